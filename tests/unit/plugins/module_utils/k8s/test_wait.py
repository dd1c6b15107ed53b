import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import READY, Check, Verdict, PENDING
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import Waiter, WaitFailed


def obj(rv, state):
    return {"metadata": {"name": "x", "resourceVersion": str(rv)}, "state": state}


class ScriptedCluster(object):
    """Plays back list answers and watch streams; a script item may be an exception to raise."""

    def __init__(self, lists, watches):
        self.lists = list(lists)
        self.watches = list(watches)
        self.watch_rvs = []

    def request(self, method, resource, namespace=None, name=None, query=None, **kw):
        if resource is res.POD or resource is res.EVENT:
            return {"items": []}
        item = self.lists.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def watch(self, resource, namespace, query, timeout):
        self.watch_rvs.append(query["resourceVersion"])
        for event in self.watches.pop(0) if self.watches else []:
            if isinstance(event, Exception):
                raise event
            yield event


class StateCheck(Check):
    resource = res.INFERENCE_SERVICE
    description = "state ready"

    def evaluate(self, obj, cluster, elapsed):
        if obj is None:
            return Verdict(PENDING, "absent")
        return Verdict(obj["state"], "state %s" % obj["state"])


def listing(rv, *items):
    return {"metadata": {"resourceVersion": str(rv)}, "items": list(items)}


def test_watch_from_list_rv_until_ready():
    cluster = ScriptedCluster([listing(5, obj(5, PENDING))],
                              [[{"type": "MODIFIED", "object": obj(6, PENDING)}, {"type": "MODIFIED", "object": obj(7, READY)}]])
    out = Waiter(cluster, 30).run([StateCheck("ns", "x")])
    assert cluster.watch_rvs == ["5"]
    assert out["stages"][0]["state"] == READY
    assert [h["message"] for h in out["history"]] == ["state pending", "state ready"]


def test_expired_watch_relists():
    gone = {"type": "ERROR", "object": {"code": 410, "message": "too old resource version"}}
    cluster = ScriptedCluster([listing(5, obj(5, PENDING)), listing(90, obj(90, PENDING))],
                              [[gone], [{"type": "MODIFIED", "object": obj(91, READY)}]])
    out = Waiter(cluster, 30).run([StateCheck("ns", "x")])
    assert cluster.watch_rvs == ["5", "90"] and out["relists"] == 1


def test_lost_connection_reconnects_and_relists():
    lost = K8sError("cannot reach the API server", retryable=True)
    cluster = ScriptedCluster([listing(5, obj(5, PENDING)), listing(8, obj(8, READY))], [[lost]])
    out = Waiter(cluster, 30).run([StateCheck("ns", "x")])
    assert out["reconnects"] == 1 and out["stages"][0]["state"] == READY


def test_bookmarks_move_the_rv_only():
    cluster = ScriptedCluster([listing(5, obj(5, PENDING))], [
        [{"type": "BOOKMARK", "object": {"metadata": {"resourceVersion": "40"}}}],
        [{"type": "MODIFIED", "object": obj(41, READY)}]])
    Waiter(cluster, 30).run([StateCheck("ns", "x")])
    assert cluster.watch_rvs == ["5", "40"]


def test_failure_verdict_raises_with_result():
    cluster = ScriptedCluster([listing(5, obj(5, "failed"))], [])
    with pytest.raises(WaitFailed) as e:
        Waiter(cluster, 30).run([StateCheck("ns", "x")])
    assert "failed: state failed" in str(e.value) and e.value.result["stages"][0]["state"] == "failed"


def test_timeout_names_what_is_missing():
    cluster = ScriptedCluster([listing(5, obj(5, PENDING))], [])
    with pytest.raises(WaitFailed) as e:
        Waiter(cluster, 0).run([StateCheck("ns", "x")])
    assert str(e.value).startswith("timed out after 0s waiting for InferenceService ns/x (state ready); "
                                   "still missing: state pending")


def test_other_watch_errors_are_not_swallowed():
    cluster = ScriptedCluster([listing(5, obj(5, PENDING))],
                              [[{"type": "ERROR", "object": {"code": 500, "message": "etcd down"}}]])
    with pytest.raises(K8sError, match="etcd down"):
        Waiter(cluster, 30).run([StateCheck("ns", "x")])


def test_followups_run_after_ready():
    class WithFollowup(StateCheck):
        def followups(self, obj):
            return [StateCheck("ns", "y")]
    cluster = ScriptedCluster([listing(5, obj(5, READY)), listing(6, obj(6, READY))], [])
    out = Waiter(cluster, 30).run([WithFollowup("ns", "x")])
    assert [s["target"] for s in out["stages"]] == ["InferenceService ns/x", "InferenceService ns/y"]
