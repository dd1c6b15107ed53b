from ansible_collections.edgeai.serving.plugins.module_utils.k8s import apply as k8s_apply


def obj(rv="1", replicas=1, status=None):
    meta = {"name": "a", "resourceVersion": rv, "generation": 3, "managedFields": [{"manager": "m"}]}
    return {"apiVersion": "v1", "kind": "X", "metadata": meta, "spec": {"replicas": replicas}, "status": status or {}}


def test_status_and_server_metadata_are_not_changes():
    assert k8s_apply.comparable(obj("1", status={"a": 1})) == k8s_apply.comparable(obj("2", status={"a": 2}))


def test_spec_difference_is_a_change():
    assert k8s_apply.comparable(obj(replicas=1)) != k8s_apply.comparable(obj(replicas=2))


def test_redact_hides_secret_paths_only_where_set():
    o = {"spec": {"tls": {"key": "PRIVATE", "certificate": "CERT"}}}
    out = k8s_apply.redact(o, [("spec", "tls", "key"), ("spec", "missing", "key")])
    assert out["spec"]["tls"] == {"key": k8s_apply.REDACTED, "certificate": "CERT"}
    assert o["spec"]["tls"]["key"] == "PRIVATE"


class FakeCluster(object):
    """Records requests; answers GET with `existing` and PATCH with the applied body."""

    def __init__(self, existing):
        self.existing = existing
        self.calls = []

    def get(self, resource, ns, name):
        self.calls.append(("GET", name))
        return self.existing

    def request(self, method, resource, ns, name, query=None, body=None, content_type=None):
        self.calls.append((method, query))
        return dict(body, metadata=dict(body["metadata"], resourceVersion="9"))


def test_apply_is_two_requests_and_check_mode_is_server_dry_run():
    from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
    cluster = FakeCluster(None)
    out = k8s_apply.apply(cluster, res.ROUTE, {"metadata": {"name": "a", "namespace": "n"}, "spec": {}},
                          "mgr", False, True)
    assert out.changed
    assert [c[0] for c in cluster.calls] == ["GET", "PATCH"]
    assert cluster.calls[1][1]["dryRun"] == "All" and cluster.calls[1][1]["fieldManager"] == "mgr"


class DeleteCluster(object):
    """GET answers `existing`; DELETE answers `answer` (the object in deletion, or a Status)."""

    def __init__(self, existing, answer):
        self.existing, self.answer = existing, answer

    def get(self, resource, ns, name):
        return self.existing

    def request(self, method, resource, ns, name, query=None, body=None, content_type=None):
        assert method == "DELETE" and query["propagationPolicy"] == "Foreground"
        return self.answer


def test_delete_hands_the_object_in_deletion_to_the_wait_and_nothing_when_it_is_gone():
    from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
    live = obj("5")
    deleting = dict(obj("6"), metadata=dict(obj("6")["metadata"], deletionTimestamp="2026-12-06T07:00:00Z"))
    out = k8s_apply.delete(DeleteCluster(live, deleting), res.ROUTE, "n", "a", False)
    assert out.changed and out.after is None and out.latest["metadata"]["resourceVersion"] == "6"
    out = k8s_apply.delete(DeleteCluster(live, {"kind": "Status", "status": "Success"}), res.ROUTE, "n", "a", False)
    assert out.changed and out.after is None and out.latest is None
