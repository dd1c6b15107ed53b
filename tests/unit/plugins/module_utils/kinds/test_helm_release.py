from ansible_collections.edgeai.serving.plugins.module_utils.kinds import helm_release


def test_decode_gzipped_and_plain_records(wl):
    assert helm_release.decode(wl.helm_record("ovms", 3, "deployed", {"a": 1}))["config"] == {"a": 1}
    plain = wl.helm_record("ovms", 4, "deployed", {"b": [1, 2]}, compress=False)
    assert helm_release.decode(plain)["config"] == {"b": [1, 2]}


def test_deployed_picks_the_highest_deployed_version_numerically(wl):
    secrets = [wl.helm_record("ovms", v, s, {"v": v})
               for v, s in ((9, "deployed"), (10, "deployed"), (11, "failed"), (2, "superseded"))]
    out = helm_release.deployed(secrets)
    assert out["version"] == 10 and out["config"] == {"v": 10}


def test_no_deployed_record(wl):
    assert helm_release.deployed([wl.helm_record("ovms", 1, "failed", {}),
                                  wl.helm_record("ovms", 2, "pending-upgrade", {})]) is None
    assert helm_release.deployed([]) is None


def test_selector_matches_helm_labels(wl):
    labels = wl.helm_record("resnet", 1, "deployed", {})["metadata"]["labels"]
    wanted = dict(kv.split("=") for kv in helm_release.selector("resnet").split(","))
    assert wanted == {"owner": "helm", "name": "resnet"} and all(labels[k] == v for k, v in wanted.items())
