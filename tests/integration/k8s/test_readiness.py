"""Waits end with the controller's reason, not with the timeout."""

from kubernetes import client

from kserve_fixtures import OVMS_RUNTIME


def runtime(api, namespace):
    client.CustomObjectsApi(api).create_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", namespace, "servingruntimes",
        dict(OVMS_RUNTIME, metadata={"name": "kserve-ovms", "namespace": namespace}))


def test_inference_service_ready_then_predictor_rolled_out(api, namespace, module):
    runtime(api, namespace)
    out = module("inference_service", dict(name="resnet", namespace=namespace, model_format="openvino_ir", protocol_version="v2",
                                           storage_uri="oci://quay.io/test/resnet-modelcar:1", min_replicas=1))
    assert not out["failed"], out.get("msg")
    stages = out["wait"]["stages"]
    assert [s["target"] for s in stages] == ["InferenceService %s/resnet" % namespace]
    assert stages[0]["message"].startswith("Ready=True; Deployment resnet-predictor: 1/1 available with spec hash ")
    assert out["internal_url"] == "https://resnet-predictor.%s.svc.cluster.local" % namespace
    assert out["result"]["status"]["conditions"]
    dep = client.AppsV1Api(api).read_namespaced_deployment("resnet-predictor", namespace)
    assert dep.status.available_replicas == 1


def test_unsupported_format_fails_with_no_supporting_runtime(api, namespace, module):
    runtime(api, namespace)
    task = dict(name="nofmt", namespace=namespace, model_format="caffe2", protocol_version="v2",
                storage_uri="oci://quay.io/test/m:1", wait_timeout=240)
    out = module("inference_service", task)
    assert out["failed"]
    assert "InvalidSpec: NoSupportingRuntime" in out["msg"], out["msg"]
    assert "timed out" not in out["msg"]
    # Run again unchanged: KServe's verdict is about the only spec the object ever had (generation 1), even when it
    # was written in the second of the creation, so the re-run fails at once too instead of waiting for the timeout.
    again = module("inference_service", dict(task, wait_timeout=30))
    assert again["failed"] and again["changed"] is False
    assert "InvalidSpec: NoSupportingRuntime" in again["msg"] and "timed out" not in again["msg"], again["msg"]


def test_crashing_model_container_fails_with_model_load_failed(api, namespace, module):
    runtime(api, namespace)
    predictor = {"labels": {"edgeai.test/crashloop": "true"},
                 "annotations": {"edgeai.test/exit-code": "3", "edgeai.test/message": "cannot open /mnt/models/1/model.xml"}}
    out = module("inference_service", dict(name="crash", namespace=namespace, model_format="openvino_ir", protocol_version="v2",
                                           storage_uri="oci://quay.io/test/m:1", wait_timeout=240,
                                           definition={"spec": {"predictor": predictor}}))
    assert out["failed"]
    assert "container kserve-container is in CrashLoopBackOff: exit code 3 (Error): cannot open /mnt/models/1/model.xml" \
        in out["msg"], out["msg"]
    assert "timed out" not in out["msg"]


def test_timeout_says_what_is_missing_with_pod_reasons_and_events(api, namespace, module):
    runtime(api, namespace)
    # A node selector no node matches yet: unschedulable now, but a node could get the label.
    out = module("inference_service", dict(name="greedy", namespace=namespace, model_format="openvino_ir", protocol_version="v2",
                                           storage_uri="oci://quay.io/test/m:1", wait_timeout=15,
                                           definition={"spec": {"predictor": {"nodeSelector": {"edgeai.test/pool": "none"}}}}))
    assert out["failed"]
    msg = out["msg"]
    assert msg.startswith("timed out after 15s waiting for InferenceService %s/greedy" % namespace), msg
    assert "still missing: Deployment greedy-predictor: 1/1 updated, 0/1 available" in msg
    assert "phase Pending" in msg
    assert "FailedScheduling" in msg and "didn't match Pod's node affinity/selector" in msg


def test_route_whose_host_is_taken_fails_with_host_already_claimed(namespace, module):
    first = module("route", dict(name="first", namespace=namespace, service="svc", target_port=8080,
                                 hostname="model.apps.edge.test"))
    assert not first["failed"], first.get("msg")
    assert first["url"] == "https://model.apps.edge.test"
    second = module("route", dict(name="second", namespace=namespace, service="svc", target_port=8080,
                                  hostname="model.apps.edge.test", wait_timeout=120))
    assert second["failed"]
    assert "HostAlreadyClaimed" in second["msg"] and "timed out" not in second["msg"], second["msg"]


def test_route_takes_target_port_and_host_from_the_platform(api, namespace, module, cluster):
    client.CoreV1Api(api).create_namespaced_service(namespace, {
        "metadata": {"name": "resnet-predictor"},
        "spec": {"selector": {"a": "b"}, "ports": [{"name": "grpc", "port": 81}, {"name": "http", "port": 80}]}})
    out = module("route", dict(name="resnet", namespace=namespace, service="resnet-predictor"))
    assert not out["failed"], out.get("msg")
    assert out["result"]["spec"]["port"] == {"targetPort": "http"}
    assert out["result"]["spec"]["tls"] == {"termination": "edge", "insecureEdgeTerminationPolicy": "Redirect"}
    assert out["url"] == "https://resnet-%s.%s" % (namespace, cluster["route_domain"])


def test_model_server_returns_operator_names_and_endpoints(namespace, module, api):
    out = module("model_server", dict(name="resnet", namespace=namespace, image_name="quay.io/test/ovms:1",
                                      models_settings=dict(model_name="resnet", model_path="/models/resnet"),
                                      service_parameters=dict(rest_port=9001)))
    assert not out["failed"], out.get("msg")
    assert out["service_name"] == "resnet-ovms"
    assert out["rest_endpoint"] == "http://resnet-ovms.%s.svc.cluster.local:9001" % namespace
    assert out["grpc_endpoint"] == "resnet-ovms.%s.svc.cluster.local:8080" % namespace
    spec = out["result"]["spec"]
    assert spec["server_settings"]["log_level"] == "INFO"
    assert spec["models_settings"]["model_version_policy"] == '{"latest": { "num_versions":1 }}'
    (stage,) = out["wait"]["stages"]
    assert stage["target"] == "ModelServer %s/resnet" % namespace
    assert stage["message"] == "release 1 deployed; Deployment resnet-ovms: 1/1 available"
    svc = client.CoreV1Api(api).read_namespaced_service("resnet-ovms", namespace)
    assert sorted(p.port for p in svc.spec.ports) == [8080, 9001]
