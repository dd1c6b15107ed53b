from ansible_collections.edgeai.serving.plugins.module_utils.k8s import readiness as r
from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.view import Source, View

MANAGER = "edgeai.serving"


def entry(manager, time, subresource=None):
    e = {"manager": manager, "operation": "Apply" if manager == MANAGER else "Update", "time": time}
    if subresource:
        e["subresource"] = subresource
    return e


def obj(status=None, managed=()):
    return {"metadata": {"name": "m", "managedFields": list(managed)}, "spec": {}, "status": status}


def test_condition_helpers():
    o = obj({"conditions": [{"type": "Ready", "status": "False", "reason": "Boom", "message": "it broke"},
                            {"type": "Deployed", "status": "True"}]})
    assert r.condition(o, "Ready")["reason"] == "Boom" and r.condition(o, "Nope") is None
    assert r.condition(None, "Admitted", [{"type": "Admitted", "status": "True"}])["status"] == "True"
    assert r.is_true(o, "Deployed") and not r.is_true(o, "Ready") and not r.is_true(None, "Ready")
    assert r.describe_condition(o, "Ready") == "Ready=False (Boom: it broke)"
    assert r.describe_condition(o, "Deployed") == "Deployed=True"
    assert r.describe_condition(o, "IngressReady") == "IngressReady not reported yet"


def test_managed_time_filters_and_takes_the_latest():
    o = obj(managed=[entry(MANAGER, "2026-11-25T10:00:05Z"), entry("manager", "2026-11-25T10:00:09Z", "status"),
                     entry("manager", "2026-11-25T10:00:20Z"), entry("other", "2026-11-25T10:00:07Z", "status")])
    assert r.managed_time(o, manager=MANAGER) == "2026-11-25T10:00:05Z"
    assert r.managed_time(o, subresource="status") == "2026-11-25T10:00:09Z"
    assert r.managed_time(o, subresource="status", exclude_manager="manager") == "2026-11-25T10:00:07Z"
    assert r.managed_time(o) == "2026-11-25T10:00:20Z"
    assert r.managed_time(o, manager="nobody") == "" and r.managed_time(None) == ""


OLD = {"conditions": [{"type": "Ready", "status": "Unknown"}],
       "modelStatus": {"transitionStatus": "InvalidSpec", "lastFailureInfo": {"reason": "NoSupportingRuntime"}}}
NEW = {"conditions": [{"type": "Ready", "status": "True"}], "modelStatus": {"transitionStatus": "UpToDate"}}


def test_changed_apply_is_stale_until_status_differs_from_the_applys_then_latches():
    fresh = r.StatusFreshness(obj(OLD), True, MANAGER)
    assert fresh(None) is False
    assert fresh(obj(dict(OLD))) is False, "the status our apply returned describes the old spec"
    assert fresh(obj(NEW)) is True
    assert fresh(obj(OLD)) is True, "once the controller wrote about our spec, an equal status is about it too"


def test_changed_apply_on_creation_is_fresh_at_the_first_status():
    fresh = r.StatusFreshness(obj(None), True, MANAGER)
    assert fresh(obj(None)) is False and fresh(obj({})) is False
    assert fresh(obj({"conditions": [{"type": "Ready", "status": "Unknown"}]})) is True


def test_changed_apply_ignores_managed_times():
    late = [entry(MANAGER, "2026-11-25T10:00:00Z"), entry("manager", "2026-11-25T10:00:30Z", "status")]
    assert r.StatusFreshness(obj(OLD), True, MANAGER)(obj(OLD, late)) is False


def test_unchanged_apply_is_fresh_only_after_a_strictly_later_status_write_by_another_manager():
    ours = entry(MANAGER, "2026-11-25T10:00:05Z")
    applied = obj(OLD, [ours])
    same_second = obj(OLD, [ours, entry("manager", "2026-11-25T10:00:05Z", "status")])
    earlier = obj(OLD, [ours, entry("manager", "2026-11-25T10:00:04Z", "status")])
    spec_write = obj(OLD, [ours, entry("manager", "2026-11-25T10:00:09Z")])
    own_status = obj(OLD, [ours, entry(MANAGER, "2026-11-25T10:00:09Z", "status")])
    later = obj(OLD, [ours, entry("manager", "2026-11-25T10:00:06Z", "status")])
    for stale in (applied, same_second, earlier, spec_write, own_status):
        assert r.StatusFreshness(applied, False, MANAGER)(stale) is False
    fresh = r.StatusFreshness(applied, False, MANAGER)
    assert fresh(later) is True
    assert fresh(earlier) is True, "latched"


def test_unchanged_apply_of_an_object_never_changed_since_its_creation_takes_a_status_of_the_same_second():
    # Re-run after a fast failure: KServe wrote InvalidSpec in the second our apply created the object.
    ours = entry(MANAGER, "2026-11-25T10:00:05Z")
    status = entry("manager", "2026-11-25T10:00:05Z", "status")

    def at(generation, created):
        o = obj(OLD, [ours, status])
        o["metadata"].update(generation=generation, creationTimestamp=created)
        return o
    assert r.StatusFreshness(at(1, "2026-11-25T10:00:05Z"), False, MANAGER)(at(1, "2026-11-25T10:00:05Z")) is True
    assert r.StatusFreshness(at(2, "2026-11-25T10:00:05Z"), False, MANAGER)(at(2, "2026-11-25T10:00:05Z")) is False, \
        "the spec changed since: the status may be about the earlier one"
    assert r.StatusFreshness(at(1, "2026-11-25T10:00:01Z"), False, MANAGER)(at(1, "2026-11-25T10:00:01Z")) is False, \
        "our fields changed after the creation: a status of that second may come before"
    no_status = at(1, "2026-11-25T10:00:05Z")
    no_status["metadata"]["managedFields"] = [ours]
    assert r.StatusFreshness(no_status, False, MANAGER)(no_status) is False


def test_unchanged_apply_without_our_entry_takes_any_status_write():
    assert r.StatusFreshness(obj(OLD), False, MANAGER)(obj(OLD, [entry("manager", "2026-11-25T10:00:00Z", "status")]))


def test_gone_reads_its_object_and_names_finalizers():
    check = r.Gone(res.INFERENCE_SERVICE, "ns", "m")
    (source,) = check.sources(View())
    assert source.key == ("inferenceservices.serving.kserve.io", "ns", "m", None)
    assert source.query() == {"fieldSelector": "metadata.name=m"}
    view = View()
    view.replace(source, [{"metadata": {"name": "m", "finalizers": ["inferenceservice.finalizers"]}}])
    v = check.evaluate(view, None)
    assert v.state == r.PENDING and v.message == "still present (finalizers: inferenceservice.finalizers)"
    view.update(source, "DELETED", {"metadata": {"name": "m"}})
    assert check.evaluate(view, None).state == r.READY
    assert check.target == "InferenceService ns/m"


def test_view_keeps_latest_per_source_and_forgets_on_relist():
    pods = Source(res.POD, "ns", selector="app=x")
    view = View()
    assert not view.synced(pods) and view.items(pods) == []
    view.replace(pods, [{"metadata": {"name": "a"}, "v": 1}, {"metadata": {"name": "b"}, "v": 1}])
    view.update(pods, "MODIFIED", {"metadata": {"name": "a"}, "v": 2})
    view.update(pods, "DELETED", {"metadata": {"name": "b"}})
    assert view.synced(pods) and view.items(pods) == [{"metadata": {"name": "a"}, "v": 2}]
    view.replace(pods, [{"metadata": {"name": "c"}}])
    assert [p["metadata"]["name"] for p in view.items(pods)] == ["c"]
