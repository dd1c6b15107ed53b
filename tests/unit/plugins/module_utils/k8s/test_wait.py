import threading

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import FAILED, PENDING, READY, Check, Gone, Verdict
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.view import Source
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import Waiter, WaitFailed


def obj(name, rv, state):
    return {"metadata": {"name": name, "resourceVersion": str(rv)}, "state": state}


GONE_410 = {"type": "ERROR", "object": {"code": 410, "message": "too old resource version: 5 (90)"}}


class QuickEvent(threading.Event):
    """The waiter's stop flag, with the pause before a reconnect cut short so the test runs fast."""

    def wait(self, timeout=None):
        return super(QuickEvent, self).wait(0.01 if timeout else timeout)


def waiter(cluster, timeout=30):
    w = Waiter(cluster, timeout)
    w.stopped = QuickEvent()
    return w


class StateCheck(Check):
    """Ready when the named object's `state` says so; other states are verdicts of their own."""

    resource = res.INFERENCE_SERVICE
    description = "state ready"

    def __init__(self, name, pod_selector=None):
        super(StateCheck, self).__init__("ns", name)
        self.source = Source(self.resource, "ns", name)
        self.pod_selector = pod_selector

    def sources(self, view):
        return [self.source]

    def evaluate(self, view, cluster):
        o = view.get(self.source)
        if o is None:
            return Verdict(PENDING, "absent")
        return Verdict(o["state"], "state %s" % o["state"])


X = ("InferenceService", "metadata.name=x")


def test_lists_then_watches_from_the_lists_version_until_ready(scripted, wl):
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, PENDING))]},
                       watches={X: [[wl.event("MODIFIED", obj("x", 6, PENDING)), wl.event("MODIFIED", obj("x", 7, READY))]]})
    out = waiter(cluster).run([StateCheck("x")])
    assert cluster.watched[0] == X + ("5",)
    assert out["stages"][0]["state"] == READY and out["stages"][0]["target"] == "InferenceService ns/x"
    assert out["history"][-1]["message"] == "state ready"
    assert out["relists"] == 0 and out["reconnects"] == 0


def test_a_seed_skips_the_list_and_watches_from_its_version(scripted, wl):
    check = StateCheck("x")
    cluster = scripted(watches={X: [[wl.event("MODIFIED", obj("x", 43, READY))]]})
    out = waiter(cluster).run([check], seeds={check.source.key: obj("x", 42, PENDING)})
    assert cluster.listed == [] and cluster.watched[0] == X + ("42",)
    assert out["history"][-1]["message"] == "state ready"


class FromNowCheck(StateCheck):
    def __init__(self, name):
        super(FromNowCheck, self).__init__(name)
        self.source = Source(self.resource, "ns", name, from_now=True)


def test_a_source_from_now_is_read_by_its_watch_alone_and_listed_after_a_lost_connection(scripted, wl):
    lost = K8sError("connection refused", retryable=True)
    cluster = scripted(lists={X: [wl.listing(8, obj("x", 5, PENDING)), wl.listing(9, obj("x", 9, PENDING))]},
                       watches={X: [[wl.event("MODIFIED", obj("x", 6, PENDING)), lost],
                                    [wl.event("MODIFIED", obj("x", 10, READY))]]})
    out = waiter(cluster).run([FromNowCheck("x")])
    # The first watch sent the object as it was (the first list answer, as ADDED); after the connection was
    # lost, a list (the second answer) and a watch from its version: a deletion meanwhile is not missed.
    assert cluster.watched[:2] == [X + ("",), X + ("9",)] and cluster.listed == [X]
    assert out["stages"][0]["state"] == READY and out["reconnects"] == 1


def test_a_ready_seed_ends_the_wait_without_reading(scripted, wl):
    check = StateCheck("x")
    cluster = scripted()
    out = waiter(cluster).run([check], seeds={check.source.key: obj("x", 42, READY)})
    assert cluster.listed == [] and out["stages"][0]["state"] == READY


def test_gone_410_relists_and_watches_from_the_new_list(scripted, wl):
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, PENDING)), wl.listing(90, obj("x", 90, PENDING))]},
                       watches={X: [[GONE_410], [wl.event("MODIFIED", obj("x", 91, READY))]]})
    out = waiter(cluster).run([StateCheck("x")])
    assert out["relists"] == 1 and out["reconnects"] == 0
    assert [w[2] for w in cluster.watched[:2]] == ["5", "90"] and cluster.count(cluster.listed, X) == 2


def test_relist_drops_objects_deleted_while_not_watching(scripted, wl):
    check = Gone(res.INFERENCE_SERVICE, "ns", "x")
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, PENDING)), wl.listing(90)]}, watches={X: [[GONE_410]]})
    out = waiter(cluster).run([check])
    assert out["stages"][0]["state"] == READY and out["relists"] == 1


def test_deleted_event_removes_the_object(scripted, wl):
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, PENDING))]},
                       watches={X: [[wl.event("DELETED", obj("x", 6, PENDING))]]})
    out = waiter(cluster).run([Gone(res.INFERENCE_SERVICE, "ns", "x")])
    assert out["stages"][0]["message"] == "deleted" and cluster.count(cluster.listed, X) == 1


def test_lost_api_server_reconnects_then_succeeds(scripted, wl):
    lost = K8sError("cannot reach the API server https://127.0.0.1:6443: connection refused", retryable=True)
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, PENDING)), lost, wl.listing(8, obj("x", 8, READY))]},
                       watches={X: [[lost]]})
    progress = []
    w = waiter(cluster)
    w.progress = progress.append
    out = w.run([StateCheck("x")])
    assert out["reconnects"] == 2 and out["relists"] == 0 and out["stages"][0]["state"] == READY
    assert any("lost the API server" in p and "connection refused" in p for p in progress)


def test_bookmark_moves_the_version_without_judging(scripted, wl):
    bookmark = wl.event("BOOKMARK", {"metadata": {"resourceVersion": "40"}})
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, PENDING))]},
                       watches={X: [[bookmark], [wl.event("MODIFIED", obj("x", 41, READY))]]})
    out = waiter(cluster).run([StateCheck("x")])
    assert [w[2] for w in cluster.watched[:2]] == ["5", "40"] and out["stages"][0]["state"] == READY


def test_forbidden_list_raises_its_error(scripted, wl):
    cluster = scripted(lists={X: [K8sError("forbidden: may not list inferenceservices", status=403)]})
    with pytest.raises(K8sError, match="forbidden: may not list") as e:
        waiter(cluster).run([StateCheck("x")])
    assert not isinstance(e.value, WaitFailed)


def test_watch_error_other_than_410_raises(scripted, wl):
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, PENDING))]},
                       watches={X: [[wl.event("ERROR", {"code": 500, "message": "etcdserver: leader changed"})]]})
    with pytest.raises(K8sError, match="watch of InferenceService ns/x failed: etcdserver: leader changed"):
        waiter(cluster).run([StateCheck("x")])


def test_failed_verdict_raises_with_the_result(scripted, wl):
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, FAILED))]})
    with pytest.raises(WaitFailed) as e:
        waiter(cluster).run([StateCheck("x")])
    assert str(e.value) == "InferenceService ns/x failed: state failed"
    assert e.value.result["stages"][0]["state"] == FAILED


def test_checks_run_in_order_and_a_failure_stops_the_rest(scripted, wl):
    y = ("InferenceService", "metadata.name=y")
    z = ("InferenceService", "metadata.name=z")
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, READY))], y: [wl.listing(6, obj("y", 6, FAILED))],
                              z: [wl.listing(7, obj("z", 7, READY))]})
    with pytest.raises(WaitFailed) as e:
        waiter(cluster).run([StateCheck("x"), StateCheck("y"), StateCheck("z")])
    assert [s["target"] for s in e.value.result["stages"]] == ["InferenceService ns/x", "InferenceService ns/y"]
    assert cluster.count(cluster.listed, z) == 0


def test_timeout_names_what_is_missing_with_pods_and_events(scripted, wl):
    pod = {"metadata": {"name": "x-predictor-abc"}, "status": {"phase": "Pending", "containerStatuses": [
        {"name": "main", "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image"}}}]}}
    warnings = [{"involvedObject": {"kind": "Pod", "name": "x-predictor-abc"}, "reason": "Failed%d" % i,
                 "message": "m%d" % i, "lastTimestamp": "2026-11-25T10:00:%02dZ" % i} for i in (3, 1, 9, 5, 7, 2)]
    warnings.append({"involvedObject": {"kind": "Pod", "name": "other"}, "reason": "Unrelated", "message": "no",
                     "lastTimestamp": "2026-11-25T10:00:59Z"})
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, PENDING))], ("Pod", "app=x"): [wl.listing(1, pod)],
                              ("Event", "type=Warning"): [wl.listing(1, *warnings)]})
    w = waiter(cluster)

    def first_verdict_ends_the_time(message):
        w.deadline = w.start
    w.progress = first_verdict_ends_the_time
    with pytest.raises(WaitFailed) as e:
        w.run([StateCheck("x", pod_selector="app=x")])
    lines = str(e.value).splitlines()
    assert lines[0] == "timed out after 30s waiting for InferenceService ns/x (state ready); still missing: state pending"
    assert lines[1] == "pod x-predictor-abc: phase Pending; main waiting: ImagePullBackOff (Back-off pulling image)"
    assert lines[2:] == ["event Pod x-predictor-abc: Failed%d: m%d" % (i, i) for i in (2, 3, 5, 7, 9)]
    assert e.value.result["timeout"] == 30 and e.value.result["history"][-1]["message"] == "state pending"


def test_timeout_before_anything_was_read(scripted, wl):
    cluster = scripted()
    with pytest.raises(WaitFailed) as e:
        waiter(cluster, timeout=0).run([StateCheck("x")])
    assert str(e.value).startswith("timed out after 0s waiting for InferenceService ns/x (state ready); still missing: ")
    assert e.value.result["stages"] == []


def test_timeout_says_when_pods_and_events_cannot_be_read(scripted, wl):
    denied = K8sError("forbidden: may not list events", status=403)
    cluster = scripted(lists={("Event", "type=Warning"): [denied]})
    with pytest.raises(WaitFailed) as e:
        waiter(cluster, timeout=0).run([StateCheck("x")])
    assert str(e.value).splitlines()[1] == "(could not gather pods and events: forbidden: may not list events)"


class NeedsMore(Check):
    """Reads x; once x says it needs pods, also reads the pods labelled app=x and is ready when one runs."""

    resource = res.INFERENCE_SERVICE
    description = "x and its pods"

    def __init__(self):
        super(NeedsMore, self).__init__("ns", "x")
        self.source = Source(self.resource, "ns", "x")
        self.pods = Source(res.POD, "ns", selector="app=x")

    def sources(self, view):
        x = view.get(self.source)
        return [self.source] + ([self.pods] if x is not None and x["state"] == "needs-pods" else [])

    def evaluate(self, view, cluster):
        if any(p["state"] == "running" for p in view.items(self.pods)):
            return Verdict(READY, "a pod runs")
        return Verdict(PENDING, "no pod runs")


def test_a_source_asked_for_after_the_first_event_is_listed_and_watched(scripted, wl):
    pods = ("Pod", "app=x")
    cluster = scripted(lists={X: [wl.listing(5, obj("x", 5, PENDING))], pods: [wl.listing(20, obj("p", 20, "waiting"))]},
                       watches={X: [[wl.event("MODIFIED", obj("x", 6, "needs-pods"))]],
                                pods: [[wl.event("MODIFIED", obj("p", 21, "running"))]]})
    out = waiter(cluster).run([NeedsMore()])
    assert cluster.count(cluster.listed, pods) == 1 and pods + ("20",) in cluster.watched
    assert out["stages"][0]["message"] == "a pod runs"


def test_a_verdict_from_the_first_reads_opens_no_watch(scripted, wl):
    """A re-apply of what is already ready costs its reads only: the watches start once a verdict is pending."""
    seeded, listed = StateCheck("x"), StateCheck("y")
    cluster = scripted(lists={("InferenceService", "metadata.name=y"): [wl.listing(9, obj("y", 9, READY))]})
    w = waiter(cluster)
    out = w.run([seeded, listed], seeds={seeded.source.key: obj("x", 42, READY)})
    for feed in w._feeds.values():
        feed.join(5)
    assert [s["state"] for s in out["stages"]] == [READY, READY]
    assert cluster.listed == [("InferenceService", "metadata.name=y")]
    assert cluster.watched == []
