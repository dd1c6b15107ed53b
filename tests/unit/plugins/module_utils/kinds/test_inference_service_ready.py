import copy

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import FAILED, PENDING, READY
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import Waiter, WaitFailed
from ansible_collections.edgeai.serving.plugins.module_utils.kinds import inference_service as isvc

MANAGER = "edgeai.serving"
MODE = isvc.DEPLOYMENT_MODE_ANNOTATION


def definition(args=("--x",), min_replicas=1, mode="RawDeployment"):
    return {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
            "metadata": {"name": "m", "namespace": "ns", "labels": {"team": "a"}, "annotations": {MODE: mode}},
            "spec": {"predictor": {"minReplicas": min_replicas,
                                   "model": {"modelFormat": {"name": "onnx"}, "args": list(args)}}}}


HASH = isvc.spec_hash(definition())
OLD_HASH = isvc.spec_hash(definition(args=("--old",)))

NOT_READY = [{"type": "Ready", "status": "Unknown"}, {"type": "PredictorReady", "status": "Unknown"}]
READY_TRUE = [{"type": "Ready", "status": "True"}, {"type": "PredictorReady", "status": "True"},
              {"type": "IngressReady", "status": "True"}]
INVALID = {"transitionStatus": "InvalidSpec", "lastFailureInfo": {
    "reason": "NoSupportingRuntime", "message": "Specified runtime does not support specified framework/version"}}


def obj(conditions=None, model=None, mode="RawDeployment", status_mode="Standard", hash_=HASH, min_replicas=1):
    """The InferenceService as KServe 0.16 shows it: mode annotation as we applied it, status in the new spelling."""
    annotations = {isvc.SPEC_HASH: hash_}
    if mode:
        annotations[MODE] = mode
    status = {"conditions": copy.deepcopy(conditions or NOT_READY), "modelStatus": dict(model or {"transitionStatus": "InProgress"})}
    if status_mode:
        status["deploymentMode"] = status_mode
    return {"metadata": {"name": "m", "namespace": "ns", "annotations": annotations, "resourceVersion": "7",
                         "managedFields": []},
            "spec": {"predictor": {"minReplicas": min_replicas}}, "status": status}


def check(applied, changed=True):
    return isvc.checks({"namespace": "ns", "name": "m", "field_manager": MANAGER}, applied, changed)[0]


def predictor(wl, hash_=HASH, **kw):
    return wl.deployment("m-predictor", template_annotations={isvc.SPEC_HASH: hash_} if hash_ else {}, **kw)


def judge(wl, c, current, dep=None, replicasets=(), pods=(), cluster=None):
    view = wl.View()
    view.replace(c.source, [current] if current is not None else [])
    if c.rollout.deployment in c.sources(view):
        wl.fill(view, c.rollout, dep, replicasets, pods)
    return c.evaluate(view, cluster or wl.NodeCluster())


# spec hash and stamp

def test_spec_hash_ignores_replica_counts_and_key_order_but_not_the_template():
    base = isvc.spec_hash(definition())
    assert isvc.spec_hash(definition(min_replicas=3)) == base
    scaled = definition()
    scaled["spec"]["predictor"].update(maxReplicas=5, scaleTarget=80, scaleMetric="cpu")
    assert isvc.spec_hash(scaled) == base
    reordered = definition()
    reordered["spec"]["predictor"] = dict(reversed(list(reordered["spec"]["predictor"].items())))
    assert isvc.spec_hash(reordered) == base
    assert isvc.spec_hash(definition(args=("--y",))) != base
    relabelled = definition()
    relabelled["metadata"]["labels"]["team"] = "b"
    assert isvc.spec_hash(relabelled) != base
    assert isvc.spec_hash(definition(mode="Standard")) != base


def test_spec_hash_leaves_its_input_alone():
    d = definition(min_replicas=2)
    isvc.spec_hash(d)
    assert d == definition(min_replicas=2)


def test_stamp_adds_the_hash_keeps_other_annotations_and_is_stable():
    once = isvc.stamp(definition())
    assert once["metadata"]["annotations"] == {MODE: "RawDeployment", isvc.SPEC_HASH: HASH}
    assert isvc.stamp(copy.deepcopy(once))["metadata"]["annotations"][isvc.SPEC_HASH] == HASH
    bare = isvc.stamp({"spec": {"predictor": {}}})
    assert list(bare["metadata"]["annotations"]) == [isvc.SPEC_HASH]


# deployment mode

@pytest.mark.parametrize("annotation,status_mode,knative", [
    ("RawDeployment", "Standard", False), ("Standard", "Standard", False), (None, "Standard", False),
    (None, "RawDeployment", False), ("Serverless", None, True), ("Knative", "Knative", True),
    (None, "Knative", True), (None, "Serverless", True), (None, None, False)])
def test_both_spellings_of_each_mode(wl, annotation, status_mode, knative):
    c = check(obj(mode=annotation, status_mode=status_mode))
    view = wl.View()
    view.replace(c.source, [obj(mode=annotation, status_mode=status_mode)])
    kinds = [s.resource.kind for s in c.sources(view)]
    assert kinds == (["InferenceService"] if knative else ["InferenceService", "Deployment"])


def test_annotation_wins_over_status_mode():
    assert isvc.deployment_mode(obj(mode="Knative", status_mode="Standard")) == "Knative"


def test_sources_before_the_object_is_seen(wl):
    c = check(obj())
    assert [s.resource.kind for s in c.sources(wl.View())] == ["InferenceService"]
    assert c.pod_selector == "app=isvc.m-predictor"


# failures belong to this apply only

def test_stale_invalid_spec_is_pending_from_before_this_apply(wl):
    applied = obj(model=INVALID)
    v = judge(wl, check(applied), obj(model=INVALID), predictor(wl, hash_=OLD_HASH))
    assert v.state == PENDING
    assert v.message == (
        "KServe has not acted on this spec yet: Deployment m-predictor carries spec hash %s, not %s; KServe's last "
        "report (from before this apply): InvalidSpec: NoSupportingRuntime: Specified runtime does not support "
        "specified framework/version" % (OLD_HASH, HASH))


def test_fresh_invalid_spec_fails(wl):
    applied = obj(conditions=READY_TRUE, model={"transitionStatus": "UpToDate"})
    v = judge(wl, check(applied), obj(model=INVALID), predictor(wl, hash_=OLD_HASH))
    assert v.state == FAILED
    assert v.message == ("InvalidSpec: NoSupportingRuntime: Specified runtime does not support specified "
                         "framework/version")


def test_invalid_spec_fails_after_an_unchanged_apply_when_kserve_wrote_later(wl):
    ours = {"manager": MANAGER, "operation": "Apply", "time": "2026-11-25T10:00:00Z"}
    applied = obj(model=INVALID)
    applied["metadata"]["managedFields"] = [ours]
    current = obj(model=INVALID)
    current["metadata"]["managedFields"] = [ours, {"manager": "manager", "operation": "Update", "subresource": "status",
                                                   "time": "2026-11-25T10:00:01Z"}]
    assert judge(wl, check(applied, changed=False), applied, None).state == PENDING
    assert judge(wl, check(applied, changed=False), current, None).state == FAILED


def test_kserve_failed_load_from_an_old_pod_does_not_fail(wl):
    """KServe picks one pod for modelStatus; the new pods are judged directly."""
    failed_load = {"transitionStatus": "BlockedByFailedLoad",
                   "lastFailureInfo": {"reason": "ModelLoadFailed", "message": "old crash", "exitCode": 1}}
    c = check(obj())
    dep = predictor(wl, updated=1, available=0, total=2)
    old, new = wl.replicaset(dep, "1", "old"), wl.replicaset(dep, "2", "new")
    crash = wl.container(waiting="CrashLoopBackOff", last={"exitCode": 1, "reason": "Error"})
    v = judge(wl, c, obj(model=failed_load, conditions=READY_TRUE), dep, [old, new],
              [wl.pod(old, "a", containers=[crash]), wl.pod(new, "b", containers=[wl.container()])])
    assert v.state == PENDING and "1 old still running" in v.message


def test_stale_ready_with_old_hash_is_pending(wl):
    """Issue 8 item 3: the old Deployment, fully rolled out, must not pass for the new spec."""
    applied = obj(conditions=READY_TRUE, model={"transitionStatus": "UpToDate"})
    v = judge(wl, check(applied), obj(conditions=READY_TRUE, model={"transitionStatus": "UpToDate"}),
              predictor(wl, hash_=OLD_HASH))
    assert v.state == PENDING and "carries spec hash %s, not %s" % (OLD_HASH, HASH) in v.message
    assert "last report" not in v.message


def test_no_deployment_yet(wl):
    v = judge(wl, check(obj()), obj(), None)
    assert v.state == PENDING and v.message == "KServe has not acted on this spec yet: Deployment m-predictor not seen yet"


def test_deployment_without_any_hash_is_not_ours(wl):
    v = judge(wl, check(obj()), obj(conditions=READY_TRUE), predictor(wl, hash_=None))
    assert v.state == PENDING and "carries spec hash None, not %s" % HASH in v.message


# rollout, Ready, minReplicas

def test_new_pods_crashing_fail_although_kserve_says_ready(wl):
    """Issue 8 item 4: KServe reports the old pods; the new ReplicaSet's crash must end the wait."""
    dep = predictor(wl, updated=1, available=0, total=2)
    old, new = wl.replicaset(dep, "1", "old"), wl.replicaset(dep, "2", "new")
    crash = wl.container(name="kserve-container", waiting="CrashLoopBackOff",
                         last={"exitCode": 2, "reason": "Error", "message": "unknown flag --x"})
    v = judge(wl, check(obj()), obj(conditions=READY_TRUE), dep, [old, new],
              [wl.pod(old, "a", containers=[wl.container()]), wl.pod(new, "b", containers=[crash])])
    assert v.state == FAILED
    assert "pod m-predictor-new-b (ReplicaSet m-predictor-new)" in v.message
    assert "exit code 2 (Error): unknown flag --x" in v.message


def test_rolled_out_but_not_ready_is_pending_with_conditions(wl):
    v = judge(wl, check(obj()), obj(), predictor(wl))
    assert v.state == PENDING
    assert v.message == "Ready=Unknown; PredictorReady=Unknown; IngressReady not reported yet"


def test_ready_after_rollout(wl):
    v = judge(wl, check(obj()), obj(conditions=READY_TRUE), predictor(wl))
    assert v.state == READY
    assert v.message == "Ready=True; Deployment m-predictor: 1/1 available with spec hash %s" % HASH


def test_min_replicas_must_be_available(wl):
    v = judge(wl, check(obj()), obj(conditions=READY_TRUE, min_replicas=2), predictor(wl, replicas=1))
    assert v.state == PENDING and v.message == "Deployment m-predictor: 1 available, minReplicas is 2"
    assert judge(wl, check(obj()), obj(conditions=READY_TRUE, min_replicas=2), predictor(wl, replicas=2)).state == READY


def test_scale_to_zero_min_replicas_is_ready_with_no_pod(wl):
    v = judge(wl, check(obj()), obj(conditions=READY_TRUE, min_replicas=0), predictor(wl, replicas=0))
    assert v.state == READY


def test_deleted_while_waiting_fails(wl):
    v = judge(wl, check(obj()), None)
    assert v.state == FAILED and v.message == "InferenceService ns/m was deleted while waiting"


# Knative

@pytest.mark.parametrize("mode", ["Serverless", "Knative"])
def test_knative_is_judged_by_ready_alone(wl, mode):
    c = check(obj(mode=mode, status_mode=None))
    assert judge(wl, c, obj(mode=mode, status_mode="Knative")).state == PENDING
    assert judge(wl, c, obj(mode=mode, status_mode="Knative", conditions=READY_TRUE)).state == READY


def test_knative_fresh_invalid_spec_fails(wl):
    c = check(obj(mode="Knative"))
    assert judge(wl, c, obj(mode="Knative", model=INVALID)).state == FAILED


# through the Waiter, with a scripted API server

ISVC_KEY = ("InferenceService", "metadata.name=m")
DEP_KEY = ("Deployment", "metadata.name=m-predictor")
RS_KEY = ("ReplicaSet", "metadata.name=m-predictor-new")
PODS_KEY = ("Pod", "app=m-predictor")


def test_waiter_reads_pods_only_while_our_spec_rolls_out_and_no_replicaset_when_none_fails(wl, scripted):
    old = predictor(wl, hash_=OLD_HASH)
    rolling = predictor(wl, generation=3, observed=3, updated=1, available=0, total=2)
    done = predictor(wl, generation=3, observed=3)
    new_rs = wl.replicaset(done, "2", "new")
    cluster = scripted(
        lists={DEP_KEY: [wl.listing(10, old)], RS_KEY: [wl.listing(11, new_rs)],
               PODS_KEY: [wl.listing(11, wl.pod(new_rs, "a", containers=[wl.container()]))]},
        watches={DEP_KEY: [[wl.event("MODIFIED", rolling), wl.AfterListed(PODS_KEY), wl.event("MODIFIED", done)]],
                 ISVC_KEY: [[wl.AfterListed(PODS_KEY), wl.event("MODIFIED", obj(conditions=READY_TRUE))]]})
    c = check(obj())
    out = Waiter(cluster, 30).run([c], seeds={c.source.key: obj()})
    assert out["stages"][0]["message"] == "Ready=True; Deployment m-predictor: 1/1 available with spec hash %s" % HASH
    assert ISVC_KEY not in cluster.listed, "the apply's answer seeds the watch"
    # After an apply that changed the spec, each is read by one watch from now, with no list before it.
    assert [cluster.count(cluster.listed, k) for k in (DEP_KEY, PODS_KEY)] == [0, 0]
    assert [k + ("",) in cluster.watched for k in (DEP_KEY, PODS_KEY)] == [True, True]
    assert not cluster.count(cluster.watched, RS_KEY), "no pod showed a failure: no ReplicaSet read"


def test_waiter_reads_no_pods_when_our_spec_is_already_rolled_out(wl, scripted):
    cluster = scripted(lists={DEP_KEY: [wl.listing(10, predictor(wl))]})
    c = check(obj(conditions=READY_TRUE), changed=False)
    out = Waiter(cluster, 30).run([c], seeds={c.source.key: obj(conditions=READY_TRUE)})
    assert out["stages"][0]["state"] == READY and cluster.listed == [DEP_KEY]


def test_waiter_fails_fast_on_the_new_pods_crash(wl, scripted):
    rolling = predictor(wl, generation=3, observed=3, updated=1, available=0, total=2)
    old_rs, new_rs = wl.replicaset(rolling, "1", "old"), wl.replicaset(rolling, "2", "new")
    crash = wl.container(waiting="CrashLoopBackOff", last={"exitCode": 3, "reason": "Error", "message": "bad model"})
    cluster = scripted(lists={DEP_KEY: [wl.listing(10, rolling)], RS_KEY: [wl.listing(11, new_rs)],
                              PODS_KEY: [wl.listing(11, wl.pod(old_rs, "a", containers=[wl.container()]),
                                                    wl.pod(new_rs, "b", containers=[wl.container()]))]},
                       watches={PODS_KEY: [[wl.event("MODIFIED", wl.pod(new_rs, "b", containers=[crash]))]]})
    c = check(obj())
    with pytest.raises(WaitFailed) as e:
        Waiter(cluster, 30).run([c], seeds={c.source.key: obj(conditions=READY_TRUE)})
    assert str(e.value) == ("InferenceService ns/m failed: Deployment m-predictor: pod m-predictor-new-b (ReplicaSet "
                            "m-predictor-new): container main is in CrashLoopBackOff: exit code 3 (Error): bad model")
