"""Faults during waits and applies: API server restart, expired watch, field ownership conflict."""

import threading
import time

import pytest
from kubernetes import client

import controlplane
from kserve_fixtures import OVMS_RUNTIME
from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.apply import APPLY_CONTENT_TYPE
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.client import Cluster
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import Gone
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import Waiter

POOL = "edgeai.test/pool"


def runtime(api, namespace):
    client.CustomObjectsApi(api).create_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", namespace, "servingruntimes",
        dict(OVMS_RUNTIME, metadata={"name": "kserve-ovms", "namespace": namespace}))


def wait_for(fn, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if fn():
            return
        time.sleep(0.3)
    raise AssertionError("condition not met within %ds" % timeout)


def label_node(api, value):
    client.CoreV1Api(api).patch_node("kwok-cpu-0", {"metadata": {"labels": {POOL: value}}})


def deployment_exists(api, namespace, name):
    return any(d.metadata.name == name for d in client.AppsV1Api(api).list_namespaced_deployment(namespace).items)


RESTARTS = {
    # SIGKILL: no shutdown of its own, watches drop mid-stream.
    "kill kube-apiserver": lambda: controlplane.kill_and_restart("kube-apiserver", down_seconds=3),
    "kill kserve-controller": lambda: controlplane.kill_and_restart("kserve-controller", down_seconds=3),
    # SIGTERM: kube-apiserver closes its watches before it goes.
    "stop kube-apiserver": lambda: controlplane.restart_apiserver(down_seconds=3),
}


@pytest.fixture
def settled(cluster):
    """After the test, the controllers watch again all they watched before it (see controlplane.settle_watches)."""
    before = controlplane.cluster_watches(cluster, samples=3)
    yield
    controlplane.settle_watches(cluster, before)


@pytest.mark.parametrize("fault", sorted(RESTARTS))
def test_component_restarted_during_wait(api, namespace, module, cluster, settled, fault):
    """The predictor cannot schedule until a node gets a label; meanwhile a component goes down and comes back."""
    runtime(api, namespace)
    pool = "late-%s" % namespace
    result = {}
    args = dict(name="resilient", namespace=namespace, model_format="openvino_ir", protocol_version="v2", storage_uri="oci://quay.io/t/m:1",
                wait_timeout=240, definition={"spec": {"predictor": {"nodeSelector": {POOL: pool}}}})
    worker = threading.Thread(target=lambda: result.update(module("inference_service", args)))
    worker.start()
    try:
        wait_for(lambda: deployment_exists(api, namespace, "resilient-predictor"))
        RESTARTS[fault]()
        label_node(api, pool)
        worker.join(300)
    finally:
        client.CoreV1Api(api).patch_node("kwok-cpu-0", {"metadata": {"labels": {POOL: None}}})
    assert not result["failed"], result.get("msg")
    if "apiserver" in fault:
        assert result["wait"]["reconnects"] >= 1, result["wait"]
    assert result["wait"]["stages"][-1]["state"] == "ready"
    dep = client.AppsV1Api(api).read_namespaced_deployment("resilient-predictor", namespace)
    assert dep.status.available_replicas == 1


def test_expired_watch_resumes(api, namespace, cluster):
    """A watch from a resourceVersion the API server no longer has gets the real 410; the wait relists."""
    runtime(api, namespace)
    k8s = Cluster.from_params({"kubeconfig": cluster["kubeconfig"], "validate_certs": True})
    real_request = k8s.request
    stale = {"left": 1}

    def request_with_stale_listing(method, resource, *a, **kw):
        out = real_request(method, resource, *a, **kw)
        if method == "GET" and "items" in out and stale["left"]:
            stale["left"] -= 1
            out["metadata"]["resourceVersion"] = "1"
        return out
    k8s.request = request_with_stale_listing
    remover = threading.Timer(2.0, lambda: client.CustomObjectsApi(api).delete_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", namespace, "servingruntimes", "kserve-ovms"))
    remover.start()
    out = Waiter(k8s, 120).run([Gone(res.SERVING_RUNTIME, namespace, "kserve-ovms")])
    remover.join()
    assert stale["left"] == 0
    assert out["relists"] >= 1, out
    assert out["stages"][0]["state"] == "ready" and out["stages"][0]["message"] == "deleted"


def test_field_owned_by_another_manager_conflicts_until_forced(api, namespace, module, cluster):
    runtime(api, namespace)
    base = dict(name="shared", namespace=namespace, model_format="openvino_ir", protocol_version="v2", storage_uri="oci://q/m:1",
                min_replicas=1)
    assert not module("inference_service", base)["failed"]
    # Another tool takes minReplicas over, as a second controller or a kubectl apply would.
    other = {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
             "metadata": {"name": "shared", "namespace": namespace},
             "spec": {"predictor": {"minReplicas": 3, "model": {"modelFormat": {"name": "openvino_ir"}}}}}
    admin = Cluster.from_params({"kubeconfig": cluster["kubeconfig"], "validate_certs": True})
    admin.request("PATCH", res.INFERENCE_SERVICE, namespace, "shared", body=other, content_type=APPLY_CONTENT_TYPE,
                  query={"fieldManager": "other-tool", "force": "true"})
    out = module("inference_service", dict(base, min_replicas=2))
    assert out["failed"]
    assert "field ownership conflict" in out["msg"] and "other-tool" in out["msg"], out["msg"]
    assert "minReplicas" in out["msg"]
    forced = module("inference_service", dict(base, min_replicas=2, force_conflicts=True))
    assert not forced["failed"], forced.get("msg")
    live = client.CustomObjectsApi(api).get_namespaced_custom_object(
        "serving.kserve.io", "v1beta1", namespace, "inferenceservices", "shared")
    assert live["spec"]["predictor"]["minReplicas"] == 2
