import copy

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import FAILED, PENDING, READY
from ansible_collections.edgeai.serving.plugins.module_utils.kinds import model_server

MANAGER = "edgeai.serving"
SPEC = {"image_name": "openvino/model_server:2025.3", "deployment_parameters": {"replicas": 1},
        "models_settings": {"single_model_mode": True, "model_name": "resnet", "model_path": "gs://m/resnet"},
        "service_parameters": {"grpc_port": 8080, "rest_port": 8081}}
OLD_SPEC = dict(SPEC, image_name="openvino/model_server:2025.2")
DEPLOYED = {"type": "Deployed", "status": "True", "reason": "UpgradeSuccessful"}
UPGRADE_FAILED = {"type": "ReleaseFailed", "status": "True", "reason": "UpgradeError",
                  "message": "failed to upgrade release: Deployment.apps \"m-ovms\" is invalid: spec.replicas: "
                             "Invalid value: -1"}


def obj(*conditions):
    return {"metadata": {"name": "m", "namespace": "ns", "managedFields": []}, "spec": copy.deepcopy(SPEC),
            "status": {"conditions": [{"type": "Initialized", "status": "True"}] + list(conditions)}}


def check(applied, changed=True):
    return model_server.checks({"namespace": "ns", "name": "m", "field_manager": MANAGER}, applied, changed)[0]


def judge(wl, c, current, releases=(), dep=None, replicasets=(), pods=()):
    view = wl.View()
    view.replace(c.source, [current] if current is not None else [])
    view.replace(c.releases, list(releases))
    wl.fill(view, c.rollout, dep, replicasets, pods)
    return c.evaluate(view, wl.NodeCluster())


def release(wl, version, config, status="deployed"):
    return wl.helm_record("m", version, status, copy.deepcopy(config))


def test_sources_are_the_cr_its_release_records_and_the_helm_deployment(wl):
    c = check(obj())
    sources = c.sources(wl.View())
    assert [s.resource.kind for s in sources] == ["ModelServer", "Secret", "Deployment"]
    assert sources[1].selector == "owner=helm,name=m" and sources[2].name == "m-ovms"
    assert c.pod_selector == "release=m"


def test_fresh_release_failed_fails(wl):
    v = judge(wl, check(obj(DEPLOYED)), obj(DEPLOYED, UPGRADE_FAILED), [release(wl, 1, OLD_SPEC)])
    assert v.state == FAILED
    assert v.message == "ReleaseFailed=True (UpgradeError: %s)" % UPGRADE_FAILED["message"]


def test_fresh_irreconcilable_fails(wl):
    irreconcilable = {"type": "Irreconcilable", "status": "True", "reason": "ReconcileError", "message": "boom"}
    v = judge(wl, check(obj(DEPLOYED)), obj(DEPLOYED, irreconcilable), [release(wl, 1, SPEC)], wl.deployment("m-ovms"))
    assert v.state == FAILED and v.message == "Irreconcilable=True (ReconcileError: boom)"


def test_stale_release_failed_is_pending_naming_it_as_history(wl):
    """Fix after failure: the ReleaseFailed our apply got back belongs to the spec before."""
    applied = obj(DEPLOYED, UPGRADE_FAILED)
    v = judge(wl, check(applied), obj(DEPLOYED, UPGRADE_FAILED),
              [release(wl, 1, OLD_SPEC, "superseded"), release(wl, 3, OLD_SPEC)], wl.deployment("m-ovms"))
    assert v.state == PENDING
    assert v.message == ("the operator has not deployed this spec yet (deployed release 3 has other values); its last "
                         "report, from before this apply: ReleaseFailed=True (UpgradeError: %s)" % UPGRADE_FAILED["message"])


def test_stale_deployed_with_old_values_is_pending(wl):
    """Issue 8 item 3 for ModelServer: Deployed=True and a finished rollout of the old release prove nothing."""
    v = judge(wl, check(obj(DEPLOYED)), obj(DEPLOYED), [release(wl, 2, OLD_SPEC)], wl.deployment("m-ovms"))
    assert v.state == PENDING and v.message == ("the operator has not deployed this spec yet "
                                                "(deployed release 2 has other values)")


def test_no_release_yet(wl):
    v = judge(wl, check(obj()), obj(), [release(wl, 1, SPEC, "pending-install")])
    assert v.state == PENDING and v.message == "the operator has not deployed this spec yet (no deployed release)"


def test_values_must_equal_the_applied_spec_exactly(wl):
    extra = dict(SPEC, monitoring={"metrics_enable": True})
    assert judge(wl, check(obj()), obj(DEPLOYED), [release(wl, 2, extra)], wl.deployment("m-ovms")).state == PENDING


def test_release_with_our_values_then_deployed_then_rollout(wl):
    c = check(obj())
    releases = [release(wl, 1, OLD_SPEC, "superseded"), release(wl, 2, SPEC)]
    assert judge(wl, c, obj(), releases, wl.deployment("m-ovms")).message == "Deployed not reported yet"
    dep = wl.deployment("m-ovms", updated=1, available=0, total=2)
    v = judge(wl, c, obj(DEPLOYED), releases, dep)
    assert v.state == PENDING and "0/1 available, 1 old still running" in v.message
    v = judge(wl, c, obj(DEPLOYED), releases, wl.deployment("m-ovms"))
    assert v.state == READY and v.message == "release 2 deployed; Deployment m-ovms: 1/1 available"


def test_new_pods_crashing_fail_after_the_release_is_deployed(wl):
    dep = wl.deployment("m-ovms", updated=1, available=0, total=2)
    new = wl.replicaset(dep, "2", "new")
    crash = wl.container(name="ovms", waiting="CrashLoopBackOff",
                         last={"exitCode": 255, "reason": "Error", "message": "Error: model path not found"})
    v = judge(wl, check(obj()), obj(DEPLOYED), [release(wl, 2, SPEC)], dep, [new],
              [wl.pod(new, "a", containers=[crash])])
    assert v.state == FAILED and "exit code 255 (Error): Error: model path not found" in v.message


def test_unchanged_apply_with_the_release_already_holding_our_values_is_ready(wl):
    """Nothing to do for the operator: the deployed release already holds our spec."""
    applied = obj(DEPLOYED)
    v = judge(wl, check(applied, changed=False), obj(DEPLOYED), [release(wl, 2, SPEC)], wl.deployment("m-ovms"))
    assert v.state == READY


def test_deleted_while_waiting(wl):
    v = judge(wl, check(obj()), None)
    assert v.state == FAILED and v.message == "ModelServer ns/m was deleted while waiting"
