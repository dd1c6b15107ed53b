import base64
import gzip
import json

from ansible_collections.edgeai.serving.plugins.module_utils.kinds import helm_release


def record(version, status, config, compress=True, name="ovms"):
    """A release Secret as the API returns it: data is base64 of Helm's base64 of (gzipped) JSON."""
    body = json.dumps({"name": name, "version": version, "config": config, "info": {"status": status}}).encode()
    helm = base64.b64encode(gzip.compress(body) if compress else body)
    return {"metadata": {"name": "sh.helm.release.v1.%s.v%d" % (name, version),
                         "labels": {"owner": "helm", "name": name, "status": status, "version": str(version)}},
            "type": "helm.sh/release.v1", "data": {"release": base64.b64encode(helm).decode()}}


def test_decode_gzipped_and_plain_records():
    assert helm_release.decode(record(3, "deployed", {"a": 1}))["config"] == {"a": 1}
    assert helm_release.decode(record(4, "deployed", {"b": [1, 2]}, compress=False))["config"] == {"b": [1, 2]}


def test_deployed_picks_the_highest_deployed_version_numerically():
    secrets = [record(9, "deployed", {"v": 9}), record(10, "deployed", {"v": 10}), record(11, "failed", {"v": 11}),
               record(2, "superseded", {"v": 2})]
    out = helm_release.deployed(secrets)
    assert out["version"] == 10 and out["config"] == {"v": 10}


def test_no_deployed_record():
    assert helm_release.deployed([record(1, "failed", {}), record(2, "pending-upgrade", {})]) is None
    assert helm_release.deployed([]) is None


def test_selector_matches_helm_labels():
    labels = record(1, "deployed", {}, name="resnet")["metadata"]["labels"]
    wanted = dict(kv.split("=") for kv in helm_release.selector("resnet").split(","))
    assert all(labels[k] == v for k, v in wanted.items())
