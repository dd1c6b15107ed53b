from ansible_collections.edgeai.serving.plugins.module_utils.k8s import readiness as r


def isvc(ready="True", transition=None, failure=None, predictor=None, mode="RawDeployment", managed=None):
    conds = [{"type": "Ready", "status": ready}]
    if predictor:
        conds.append(dict(predictor, type="PredictorReady"))
    return {"metadata": {"name": "m", "managedFields": managed or []},
            "status": {"conditions": conds, "deploymentMode": mode,
                       "modelStatus": {"transitionStatus": transition, "lastFailureInfo": failure}}}


NOT_CHANGED = r.Fresh(None, "edgeai.serving")


def test_invalid_spec_fails_although_ready_is_unknown():
    v = r.InferenceServiceReady("ns", "m", NOT_CHANGED).evaluate(
        isvc("Unknown", "InvalidSpec", {"reason": "NoSupportingRuntime", "message": "No runtime found"}), None, 1)
    assert v.state == r.FAILED and "NoSupportingRuntime: No runtime found" in v.message


def test_failed_load_reports_exit_code():
    v = r.InferenceServiceReady("ns", "m", NOT_CHANGED).evaluate(
        isvc("Unknown", "BlockedByFailedLoad", {"reason": "ModelLoadFailed", "message": "boom", "exitCode": 2}), None, 1)
    assert v.state == r.FAILED and "exit code 2" in v.message


def test_ready_then_predictor_deployment_followup():
    check = r.InferenceServiceReady("ns", "m", NOT_CHANGED)
    obj = isvc()
    assert check.evaluate(obj, None, 1).state == r.READY
    (follow,) = check.followups(obj)
    assert follow.name == "m-predictor" and follow.resource.kind == "Deployment"
    assert check.followups(isvc(mode="Serverless")) == []


def test_pending_until_controller_writes_after_our_apply():
    fresh = r.Fresh("2026-01-01T00:00:10Z", "edgeai.serving")
    check = r.InferenceServiceReady("ns", "m", fresh)
    old = isvc(managed=[{"manager": "manager", "time": "2026-01-01T00:00:05Z"}])
    new = isvc(managed=[{"manager": "manager", "time": "2026-01-01T00:00:10Z"}])
    v = check.evaluate(old, None, 1)
    assert v.state == r.PENDING and v.recheck_after == r.RECONCILE_GRACE_SECONDS - 1
    assert check.evaluate(new, None, 1).state == r.READY
    assert check.evaluate(old, None, r.RECONCILE_GRACE_SECONDS).state == r.READY


def dep(gen=2, observed=2, replicas=2, updated=2, available=2, conds=()):
    return {"metadata": {"name": "d", "generation": gen}, "spec": {"replicas": replicas},
            "status": {"observedGeneration": observed, "updatedReplicas": updated, "availableReplicas": available,
                       "replicas": replicas, "conditions": list(conds)}}


def test_deployment_rollout_states():
    check = r.DeploymentAvailable("ns", "d")
    assert check.evaluate(dep(), None, 0).state == r.READY
    assert check.evaluate(dep(observed=1), None, 0).state == r.PENDING
    assert "1/2 available" in check.evaluate(dep(available=1), None, 0).message
    failed = check.evaluate(dep(conds=[{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]),
                            None, 0)
    assert failed.state == r.FAILED and "ProgressDeadlineExceeded" in failed.message
    assert check.evaluate(None, None, 0).state == r.PENDING


def test_model_server_release_failed_is_terminal():
    obj = {"status": {"conditions": [{"type": "Deployed", "status": "False"},
                                     {"type": "ReleaseFailed", "status": "True", "reason": "InstallError",
                                      "message": "bad values"}]}}
    v = r.ModelServerDeployed("ns", "m", NOT_CHANGED, "m-ovms").evaluate(obj, None, 0)
    assert v.state == r.FAILED and "InstallError: bad values" in v.message


def test_route_admission():
    def route(*conds):
        return {"status": {"ingress": [{"host": "h", "routerName": "default", "conditions": list(conds)}]}}
    check = r.RouteAdmitted("ns", "r")
    assert check.evaluate({"status": {}}, None, 0).state == r.PENDING
    assert check.evaluate(route({"type": "Admitted", "status": "True"}), None, 0).state == r.READY
    v = check.evaluate(route({"type": "Admitted", "status": "False", "reason": "HostAlreadyClaimed"}), None, 0)
    assert v.state == r.FAILED and "HostAlreadyClaimed" in v.message


def test_gone_names_finalizers():
    v = r.Gone(None, "ns", "x").evaluate({"metadata": {"finalizers": ["f1"]}}, None, 0)
    assert v.state == r.PENDING and "f1" in v.message
    assert r.Gone(None, "ns", "x").evaluate(None, None, 0).state == r.READY
