"""The control plane itself: real CRDs, the real KServe controller, kwok nodes and the stand-ins."""

import time

from kubernetes import client

from kserve_fixtures import isvc, ovms_runtime

KSERVE = ("serving.kserve.io", "v1beta1", "inferenceservices")


def wait_for(what, fn, timeout=120):
    """Poll fn until it returns a truthy value; a bounded loop, not a timed assertion."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(0.5)
    raise AssertionError("%s did not happen within %ds; last seen: %r" % (what, timeout, last))


def isvc_named(api, namespace, name):
    return client.CustomObjectsApi(api).get_namespaced_custom_object(*KSERVE[:2], namespace, KSERVE[2], name)


def condition(obj, ctype):
    for c in (obj.get("status") or {}).get("conditions") or []:
        if c["type"] == ctype:
            return c.get("status")
    return None


def test_nodes_are_kwok_and_one_has_a_gpu(api):
    nodes = client.CoreV1Api(api).list_node().items
    assert len(nodes) >= 2
    gpus = [n.metadata.name for n in nodes if (n.status.capacity or {}).get("nvidia.com/gpu") == "1"]
    assert gpus == ["kwok-gpu-0"]
    assert all(any(c.type == "Ready" and c.status == "True" for c in n.status.conditions) for n in nodes)


def test_kserve_creates_predictor_on_kwok_and_reaches_ready(api, namespace):
    co = client.CustomObjectsApi(api)
    co.create_namespaced_custom_object("serving.kserve.io", "v1alpha1", namespace, "servingruntimes",
                                       ovms_runtime(namespace))
    co.create_namespaced_custom_object(*KSERVE[:2], namespace, KSERVE[2], isvc(namespace, "resnet"))
    wait_for("InferenceService Ready=True", lambda: condition(isvc_named(api, namespace, "resnet"), "Ready") == "True")
    obj = isvc_named(api, namespace, "resnet")
    # MicroShift sets urlScheme https, which KServe applies to the internal address too.
    assert obj["status"]["address"]["url"] == "https://resnet-predictor.%s.svc.cluster.local" % namespace
    dep = client.AppsV1Api(api).read_namespaced_deployment("resnet-predictor", namespace)
    assert dep.status.available_replicas == 1
    container = dep.spec.template.spec.containers[0]
    assert container.image == "quay.io/test/ovms:2025.1"
    client.CoreV1Api(api).read_namespaced_service("resnet-predictor", namespace)
    pods = client.CoreV1Api(api).list_namespaced_pod(
        namespace, label_selector="serving.kserve.io/inferenceservice=resnet").items
    assert pods and all(p.spec.node_name.startswith("kwok-") for p in pods)
    assert all(p.status.phase == "Running" for p in pods)


def test_unsupported_format_is_invalid_spec_no_supporting_runtime(api, namespace):
    co = client.CustomObjectsApi(api)
    co.create_namespaced_custom_object("serving.kserve.io", "v1alpha1", namespace, "servingruntimes",
                                       ovms_runtime(namespace))
    co.create_namespaced_custom_object(*KSERVE[:2], namespace, KSERVE[2],
                                       isvc(namespace, "nofmt", fmt="no-such-format"))
    wait_for("modelStatus InvalidSpec", lambda: (isvc_named(api, namespace, "nofmt").get("status") or {}).get(
        "modelStatus", {}).get("transitionStatus") == "InvalidSpec")
    obj = isvc_named(api, namespace, "nofmt")
    assert obj["status"]["modelStatus"]["lastFailureInfo"]["reason"] == "NoSupportingRuntime"
    assert condition(obj, "Ready") != "True"


def test_route_standin_assigns_host_and_admits(api, namespace, cluster):
    co = client.CustomObjectsApi(api)
    body = {"apiVersion": "route.openshift.io/v1", "kind": "Route", "metadata": {"name": "r1"},
            "spec": {"to": {"kind": "Service", "name": "svc"}}}
    co.create_namespaced_custom_object("route.openshift.io", "v1", namespace, "routes", body)

    def route():
        return co.get_namespaced_custom_object("route.openshift.io", "v1", namespace, "routes", "r1")
    wait_for("route admitted", lambda: (route().get("status") or {}).get("ingress"))
    obj = route()
    assert obj["spec"]["host"] == "r1-%s.%s" % (namespace, cluster["route_domain"])
    assert obj["status"]["ingress"][0]["conditions"][0]["status"] == "True"
