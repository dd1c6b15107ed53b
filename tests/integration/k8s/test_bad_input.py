"""Bad input fails with a message naming the field, before anything on the cluster changes."""

import json

from kubernetes import client

from kserve_fixtures import OVMS_RUNTIME

KINDS = {"inference_service": ("serving.kserve.io", "v1beta1", "inferenceservices"),
         "serving_runtime": ("serving.kserve.io", "v1alpha1", "servingruntimes"),
         "route": ("route.openshift.io", "v1", "routes"),
         "model_server": ("intel.com", "v1alpha1", "modelservers")}

ISVC = dict(name="m", model_format="openvino_ir", protocol_version="v2", storage_uri="oci://quay.io/x/m:1")
ROUTE = dict(name="r", service="svc", target_port=8080)
MS = dict(name="ms", image_name="quay.io/x/ovms:1", models_settings=dict(model_name="m", model_path="/models/m"))
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def cases(tmp):
    """(module, args, text the message must contain)."""
    bad_yaml = tmp / "bad.yaml"
    bad_yaml.write_text("spec: [unclosed\n")
    deployment = tmp / "deployment.yaml"
    deployment.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n")
    shipped = tmp / "vllm.yaml"
    shipped.write_text(json.dumps(dict(OVMS_RUNTIME, spec=dict(OVMS_RUNTIME["spec"], containers=[
        {"name": "kserve-container", "image": "vllm-image"}]))))
    release = tmp / "release.json"
    release.write_text(json.dumps({"release": {"base": "4.19.0"}, "images": {"vllm-cuda-image": "a", "ovms-image": "b"}}))
    return [
        ("inference_service", dict(ISVC, name="Bad_Name"), "name: 'Bad_Name' must consist"),
        ("inference_service", dict(ISVC, name="x" * 64), "is 64 characters long; the limit is 63"),
        ("inference_service", dict(ISVC, namespace="UPPER"), "namespace: 'UPPER'"),
        ("inference_service", dict(ISVC, storage_uri="ftp://host/m"), "storage_uri: scheme 'ftp' is not supported"),
        ("inference_service", dict(ISVC, storage_uri="models/resnet"), "storage_uri: 'models/resnet' has no scheme"),
        ("inference_service", dict(ISVC, storage_uri="oci://quay.io/x/m:latest", offline=True),
         "storage_uri: oci://quay.io/x/m:latest uses the tag 'latest'"),
        ("inference_service", dict(ISVC, model_format=None), "model_format: is required"),
        ("inference_service", dict(ISVC, min_replicas=-1), "min_replicas: -1 is not within 0..2147483647"),
        ("inference_service", dict(ISVC, max_replicas=-2), "max_replicas: -2 is not within 0..2147483647"),
        ("inference_service", dict(ISVC, wait_timeout=-1), "wait_timeout: -1 is not within 1..86400"),
        ("inference_service", dict(ISVC, wait_timeout=0), "wait_timeout: 0 is not within 1..86400"),
        ("inference_service", dict(ISVC, storage_uri="s3://bucket/my model\nx"),
         "storage_uri: 's3://bucket/my model\\nx' contains whitespace or a control character"),
        ("inference_service", dict(ISVC, storage_uri="oci://quay.io/x/m:1\t"), "storage_uri: "),
        ("inference_service", dict(ISVC, host="https://api.example:6443 "), "host: "),
        ("inference_service", dict(ISVC, min_replicas=3, max_replicas=2), "min_replicas: 3 is more than max_replicas 2"),
        ("inference_service", dict(ISVC, resources={"limits": {"nvidia.com/gpu": "0.5"}}),
         "resources.limits.nvidia.com/gpu: GPUs are whole devices"),
        ("inference_service", dict(ISVC, resources={"limit": {"cpu": "1"}}), "resources.limit: unknown section"),
        ("inference_service", dict(ISVC, env=[{"value": "x"}]), "env[0]: must be a mapping with a name"),
        ("inference_service", dict(ISVC, protocol_version="v3"), "protocol_version"),
        ("inference_service", dict(ISVC, wait_timeout="soon"), "wait_timeout"),
        ("inference_service", dict(ISVC, definition={"kind": "Pod"}), "definition.kind: is 'Pod'"),
        ("inference_service", dict(ISVC, labels={"tier": 3}), "labels.tier: must be a string"),
        ("inference_service", dict(ISVC, definition={"metadata": {"name": "other"}}),
         "definition.metadata.name: is 'other' but name is 'm'"),
        ("route", dict(ROUTE, tls=dict(termination="passthrough", insecure_edge_termination_policy="Allow")),
         "tls.insecure_edge_termination_policy: Allow is not valid with passthrough"),
        ("route", dict(ROUTE, tls=dict(certificate=PEM)), "tls.key: certificate and key must be given together"),
        ("route", dict(ROUTE, tls=dict(termination="magic")), "termination"),
        ("route", dict(ROUTE, path="v2"), "path: 'v2' must start with /"),
        ("route", dict(ROUTE, target_port=70000), "target_port: 70000 is not within 1..65535"),
        ("route", dict(ROUTE, wait_timeout=100000), "wait_timeout: 100000 is not within 1..86400"),
        ("route", dict(ROUTE, hostname="Bad Host"), "hostname: 'Bad Host' is not a valid DNS name"),
        ("route", dict(ROUTE, service=None), "service: is required"),
        ("route", dict(ROUTE, service="nope", target_port=None), "service: Service"),
        ("route", dict(ROUTE, tls=dict(destination_ca_certificate=PEM)),
         "tls.destination_ca_certificate: only applies to reencrypt"),
        ("route", dict(ROUTE, tls=dict(termination="passthrough"), path="/x"), "path: passthrough routes cannot"),
        ("serving_runtime", dict(name="rt", src=str(tmp / "missing.yaml")), "src: cannot read"),
        ("serving_runtime", dict(name="rt", src=str(bad_yaml)), "is not valid YAML"),
        ("serving_runtime", dict(name="rt", src=str(deployment)), "must hold exactly one ServingRuntime; it holds: Deployment"),
        ("serving_runtime", dict(name="rt", src=str(shipped), release_info=str(release), image_key="vllm-image"),
         "image_key: 'vllm-image' is not in release_info images; it has: ovms-image, vllm-cuda-image"),
        ("serving_runtime", dict(name="rt", src=str(shipped), release_info={"release": {}}, image_key="x"),
         "release_info: has no 'images' mapping"),
        ("serving_runtime", dict(name="rt", src=str(shipped), image_key="ovms-image"), "image_key: needs release_info"),
        ("serving_runtime", dict(name="rt", src=str(shipped), copy_from=dict(namespace="a", name="b")),
         "mutually exclusive"),
        ("serving_runtime", dict(name="rt", copy_from=dict(namespace="nowhere", name="b")),
         "copy_from: ServingRuntime nowhere/b does not exist"),
        ("serving_runtime", dict(name="rt", image="i", model_formats=[dict(name="onnx", priority=2)]),
         "model_formats[0].priority: only applies with auto_select"),
        ("serving_runtime", dict(name="rt", image="i", model_formats=[dict(name="onnx", auto_select=True, priority=-3)]),
         "model_formats[0].priority: -3 is not within 0..2147483647"),
        ("model_server", dict(MS, image_name=None), "image_name: is required"),
        ("model_server", dict(MS, service_parameters=dict(grpc_port=9000, rest_port=9000)),
         "service_parameters.rest_port: must differ from grpc_port"),
        ("model_server", dict(MS, service_parameters=dict(grpc_port=70000)), "service_parameters.grpc_port: 70000 is not within 1..65535"),
        ("model_server", dict(MS, models_settings=dict(model_name="m")), "models_settings.model_path: is required"),
        ("model_server", dict(MS, deployment_parameters=dict(replicas=-1)), "deployment_parameters.replicas"),
        ("model_server", dict(MS, server_settings=dict(log_level="LOUD")), "log_level"),
    ]


def snapshot(api, namespace):
    co = client.CustomObjectsApi(api)
    return dict((k, sorted((o["metadata"]["name"], o["metadata"]["resourceVersion"])
                           for o in co.list_namespaced_custom_object(g, v, namespace, p)["items"]))
                for k, (g, v, p) in KINDS.items())


def test_bad_inputs_name_the_field_and_change_nothing(api, namespace, module, tmp_path, run_with_auth):
    # Something already there, which a bad update must leave alone.
    client.CustomObjectsApi(api).create_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", namespace, "servingruntimes",
        dict(OVMS_RUNTIME, metadata={"name": "kserve-ovms", "namespace": namespace}))
    kept = module("inference_service", dict(ISVC, name="keep", namespace=namespace))
    assert not kept["failed"], kept.get("msg")
    all_cases = cases(tmp_path) + [("inference_service", dict(ISVC, name="keep", storage_uri="gopher://x"),
                                    "storage_uri: scheme 'gopher'")]
    assert len(all_cases) >= 30
    before = snapshot(api, namespace)
    tasks = [{"edgeai.serving." + mod: dict({"namespace": namespace}, **dict((k, v) for k, v in args.items() if v is not None))}
             for mod, args, _expected in all_cases]
    results = run_with_auth(tasks)
    problems = []
    for (mod, args, expected), res in zip(all_cases, results):
        if not res.get("failed") or expected not in res.get("msg", ""):
            problems.append("%s %s: expected a failure naming %r, got %r" % (mod, args, expected, res.get("msg")))
    assert not problems, "\n".join(problems)
    assert snapshot(api, namespace) == before
