"""Every verdict belongs to the spec just applied: fixes after failures, new versions, failures of new pods.

All against the real KServe controller and kube-controller-manager; kwok plays the pods (see
tests/controlplane/kwok-stage-pod-crashloop.yaml for the crash-looping ones).
"""

import pytest
from kubernetes import client

from kserve_fixtures import OVMS_RUNTIME

SPEC_HASH = "serving.edgeai.io/spec-hash"
CRASH = {"labels": {"edgeai.test/crashloop": "true"},
         "annotations": {"edgeai.test/exit-code": "3", "edgeai.test/message": "cannot open /mnt/models/2/model.xml"}}


def runtime(api, namespace):
    client.CustomObjectsApi(api).create_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", namespace, "servingruntimes",
        dict(OVMS_RUNTIME, metadata={"name": "kserve-ovms", "namespace": namespace}))


def isvc_args(namespace, name="m", **extra):
    args = dict(name=name, namespace=namespace, model_format="openvino_ir", protocol_version="v2",
                storage_uri="oci://quay.io/test/m:1", wait_timeout=120)
    args.update(extra)
    return args


def live_isvc(api, namespace, name):
    return client.CustomObjectsApi(api).get_namespaced_custom_object(
        "serving.kserve.io", "v1beta1", namespace, "inferenceservices", name)


def live_pods(api, namespace, name):
    pods = client.CoreV1Api(api).list_namespaced_pod(namespace, label_selector="app=isvc.%s-predictor" % name).items
    return [p for p in pods if not p.metadata.deletion_timestamp]


def assert_serving_current_spec(api, namespace, name):
    """At the module's return: the Deployment runs the applied spec, fully rolled out, no other pods."""
    want = live_isvc(api, namespace, name)["metadata"]["annotations"][SPEC_HASH]
    dep = client.AppsV1Api(api).read_namespaced_deployment(name + "-predictor", namespace)
    assert dep.spec.template.metadata.annotations[SPEC_HASH] == want
    assert dep.status.observed_generation == dep.metadata.generation
    assert dep.status.updated_replicas == dep.status.available_replicas == dep.spec.replicas
    pods = live_pods(api, namespace, name)
    ready = [p for p in pods if any(c.type == "Ready" and c.status == "True" for c in p.status.conditions or [])]
    assert ready and all(p.metadata.annotations[SPEC_HASH] == want for p in ready), \
        [(p.metadata.name, p.metadata.annotations.get(SPEC_HASH)) for p in ready]


def test_fix_after_invalid_spec_waits_for_the_fix(api, namespace, module):
    runtime(api, namespace)
    bad = module("inference_service", isvc_args(namespace, model_format="caffe2"))
    assert bad["failed"] and "InvalidSpec: NoSupportingRuntime" in bad["msg"], bad["msg"]
    fixed = module("inference_service", isvc_args(namespace))
    assert not fixed["failed"], fixed["msg"]
    assert fixed["changed"]
    # KServe keeps lastFailureInfo after recovering; the module must not have read it as current.
    assert live_isvc(api, namespace, "m")["status"]["modelStatus"]["transitionStatus"] == "UpToDate"
    assert_serving_current_spec(api, namespace, "m")


def test_fix_after_crash_loop_waits_for_the_new_pods(api, namespace, module):
    runtime(api, namespace)
    bad = module("inference_service", isvc_args(namespace, definition={"spec": {"predictor": CRASH}}))
    assert bad["failed"], bad
    assert "CrashLoopBackOff: exit code 3 (Error): cannot open /mnt/models/2/model.xml" in bad["msg"], bad["msg"]
    assert "timed out" not in bad["msg"]
    fixed = module("inference_service", isvc_args(namespace))
    assert not fixed["failed"], fixed["msg"]
    assert_serving_current_spec(api, namespace, "m")
    assert not any((p.metadata.labels or {}).get("edgeai.test/crashloop") for p in live_pods(api, namespace, "m")
                   if any(c.type == "Ready" and c.status == "True" for c in p.status.conditions or []))


def test_new_model_version_returns_only_when_its_pods_serve(api, namespace, module):
    runtime(api, namespace)
    assert not module("inference_service", isvc_args(namespace))["failed"]
    out = module("inference_service", isvc_args(namespace, storage_uri="oci://quay.io/test/m:2"))
    assert not out["failed"], out["msg"]
    assert out["changed"]
    assert_serving_current_spec(api, namespace, "m")
    dep = client.AppsV1Api(api).read_namespaced_deployment("m-predictor", namespace)
    assert dep.spec.template.metadata.annotations["internal.serving.kserve.io/storage-initializer-sourceuri"] == \
        "oci://quay.io/test/m:2"


def test_unchanged_reapply_proves_the_same_rollout(api, namespace, module):
    runtime(api, namespace)
    first = module("inference_service", isvc_args(namespace))
    assert not first["failed"], first["msg"]
    again = module("inference_service", isvc_args(namespace))
    assert not again["failed"] and not again["changed"], again
    assert "with spec hash %s" % live_isvc(api, namespace, "m")["metadata"]["annotations"][SPEC_HASH] in \
        again["wait"]["stages"][0]["message"]


def test_crashing_new_version_fails_with_the_new_pods_reason(api, namespace, module):
    runtime(api, namespace)
    assert not module("inference_service", isvc_args(namespace))["failed"]
    args = isvc_args(namespace, storage_uri="oci://quay.io/test/m:2", definition={"spec": {"predictor": CRASH}},
                     wait_timeout=240)
    out = module("inference_service", args)
    assert out["failed"]
    assert "CrashLoopBackOff: exit code 3 (Error): cannot open /mnt/models/2/model.xml" in out["msg"], out["msg"]
    assert "timed out" not in out["msg"]
    # The reason is the new ReplicaSet's; the old pod still serves version 1.
    new_hash = live_isvc(api, namespace, "m")["metadata"]["annotations"][SPEC_HASH]
    crashing = [p for p in live_pods(api, namespace, "m") if p.metadata.annotations[SPEC_HASH] == new_hash]
    assert crashing and all("pod %s (ReplicaSet" % p.metadata.name in out["msg"] for p in crashing[:1]), out["msg"]
    serving = [p for p in live_pods(api, namespace, "m") if p.metadata.annotations[SPEC_HASH] != new_hash]
    assert serving and all(p.status.phase == "Running" for p in serving)


def test_resource_quota_failed_create_is_reported(api, namespace, module):
    runtime(api, namespace)
    client.CoreV1Api(api).create_namespaced_resource_quota(namespace, {
        "metadata": {"name": "no-pods"}, "spec": {"hard": {"pods": "0"}}})
    out = module("inference_service", isvc_args(namespace))
    assert out["failed"]
    assert "ReplicaFailure=True (FailedCreate" in out["msg"] and "exceeded quota: no-pods" in out["msg"], out["msg"]
    assert "timed out" not in out["msg"]


def test_more_gpus_than_any_node_has_fails_with_the_scheduler_message(api, namespace, module):
    runtime(api, namespace)
    out = module("inference_service", isvc_args(namespace, resources={"limits": {"nvidia.com/gpu": 2}}))
    assert out["failed"]
    assert "no node can ever run it: wants 2 nvidia.com/gpu, the most any node has is 1" in out["msg"], out["msg"]
    assert "Insufficient nvidia.com/gpu" in out["msg"], out["msg"]
    assert "timed out" not in out["msg"]


@pytest.fixture
def frozen_deployments(api, namespace):
    """A policy that denies every Deployment update in the namespace, as Gatekeeper or Kyverno would."""
    adm = client.AdmissionregistrationV1Api(api)
    name = "freeze-%s" % namespace
    adm.create_validating_admission_policy({
        "metadata": {"name": name},
        "spec": {"failurePolicy": "Fail",
                 "matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
                                                         "operations": ["UPDATE"], "resources": ["deployments"]}]},
                 "validations": [{"expression": "false", "message": "deployment updates are frozen here"}]}})
    adm.create_validating_admission_policy_binding({
        "metadata": {"name": name},
        "spec": {"policyName": name, "validationActions": ["Deny"],
                 "matchResources": {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}}}})
    yield
    adm.delete_validating_admission_policy_binding(name)
    adm.delete_validating_admission_policy(name)


def test_controller_blocked_by_policy_never_reports_ready(api, namespace, module, request):
    runtime(api, namespace)
    assert not module("inference_service", isvc_args(namespace))["failed"]
    old = client.AppsV1Api(api).read_namespaced_deployment("m-predictor", namespace)
    request.getfixturevalue("frozen_deployments")
    out = module("inference_service", isvc_args(namespace, args=["--log_level=DEBUG"], wait_timeout=20))
    assert out["failed"]
    msg = out["msg"]
    assert msg.startswith("timed out after 20s"), msg
    assert "KServe has not acted on this spec yet: Deployment m-predictor carries spec hash %s" % (
        old.spec.template.metadata.annotations[SPEC_HASH]) in msg, msg
    assert "InternalError" in msg and "deployment updates are frozen here" in msg, msg
    assert client.AppsV1Api(api).read_namespaced_deployment("m-predictor", namespace).spec.template.metadata.annotations[
        SPEC_HASH] == old.spec.template.metadata.annotations[SPEC_HASH]


def test_route_host_change_waits_for_the_new_host(namespace, module):
    first = module("route", dict(name="r", namespace=namespace, service="svc", target_port=8080,
                                 hostname="one.apps.edge.test"))
    assert not first["failed"] and first["url"] == "https://one.apps.edge.test", first
    moved = module("route", dict(name="r", namespace=namespace, service="svc", target_port=8080,
                                 hostname="two.apps.edge.test"))
    assert not moved["failed"], moved["msg"]
    assert moved["url"] == "https://two.apps.edge.test"
    assert [i["host"] for i in moved["result"]["status"]["ingress"]] == ["two.apps.edge.test"]


def test_route_fix_after_host_already_claimed(namespace, module):
    # Routes created in the same second tie on age; the stand-in router then prefers the first name in order.
    args = dict(namespace=namespace, service="svc", target_port=8080, wait_timeout=60)
    assert not module("route", dict(args, name="first", hostname="taken.apps.edge.test"))["failed"]
    clash = module("route", dict(args, name="second", hostname="taken.apps.edge.test"))
    assert clash["failed"] and "HostAlreadyClaimed" in clash["msg"], clash["msg"]
    fixed = module("route", dict(args, name="second", hostname="free.apps.edge.test"))
    assert not fixed["failed"], fixed["msg"]
    assert fixed["url"] == "https://free.apps.edge.test"


@pytest.fixture
def kserve_cannot_update_deployments(api, cluster):
    """KServe runs under its own ClusterRole (tests/controlplane); take update and patch on Deployments away."""
    rbac = client.RbacAuthorizationV1Api(api)
    name = cluster["kserve_role"]
    original = rbac.read_cluster_role(name)
    rules = api.sanitize_for_serialization(original.rules)
    for rule in rules:
        if "deployments" in rule.get("resources", []) and "apps" in rule.get("apiGroups", []):
            rule["verbs"] = [v for v in rule["verbs"] if v not in ("update", "patch")]
    rbac.patch_cluster_role(name, {"rules": rules})
    yield
    rbac.patch_cluster_role(name, {"rules": api.sanitize_for_serialization(original.rules)})


def test_controller_without_rights_never_reports_ready(api, namespace, module, request):
    runtime(api, namespace)
    assert not module("inference_service", isvc_args(namespace))["failed"]
    old = client.AppsV1Api(api).read_namespaced_deployment("m-predictor", namespace)
    request.getfixturevalue("kserve_cannot_update_deployments")
    out = module("inference_service", isvc_args(namespace, storage_uri="oci://quay.io/test/m:2", wait_timeout=20))
    assert out["failed"]
    msg = out["msg"]
    assert msg.startswith("timed out after 20s"), msg
    new_hash = live_isvc(api, namespace, "m")["metadata"]["annotations"][SPEC_HASH]
    assert "KServe has not acted on this spec yet: Deployment m-predictor carries spec hash %s, not %s" % (
        old.spec.template.metadata.annotations[SPEC_HASH], new_hash) in msg, msg
    assert "InternalError" in msg and "forbidden" in msg, msg
