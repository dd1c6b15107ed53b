"""The model_server module against the real OpenVINO operator v1.2.0, its CRD and its Helm chart."""

import json

from kubernetes import client

from ansible_collections.edgeai.serving.plugins.modules.model_server import OPTIONS

GROUP, VERSION, PLURAL = "intel.com", "v1alpha1", "modelservers"
MS = dict(image_name="quay.io/test/ovms:1", models_settings=dict(model_name="resnet", model_path="/models/resnet"))
CRD_TYPES = {"str": "string", "int": "integer", "bool": "boolean", "dict": "object"}


def crd_spec_schema(api):
    resp = client.ApiextensionsV1Api(api).read_custom_resource_definition("modelservers.intel.com",
                                                                          _preload_content=False)
    version = next(v for v in json.loads(resp.data)["spec"]["versions"] if v["name"] == VERSION)
    return version["schema"]["openAPIV3Schema"]["properties"]["spec"]


def schema_problems(options, schema, path):
    problems = []
    props = schema.get("properties") or {}
    for name, opt in sorted(options.items()):
        where = path + name
        prop = props.get(name)
        if prop is None:
            problems.append("%s: not in the CRD (the API server would prune it without a word)" % where)
            continue
        if CRD_TYPES[opt["type"]] != prop["type"]:
            problems.append("%s: module type %s, CRD type %s" % (where, opt["type"], prop["type"]))
        if opt.get("choices") and not set(opt["choices"]) <= set(prop.get("enum") or []):
            problems.append("%s: choices %s, CRD enum %s" % (where, opt["choices"], prop.get("enum")))
        if opt["type"] == "dict":
            if opt.get("options"):
                problems += schema_problems(opt["options"], prop, where + ".")
            elif not prop.get("x-kubernetes-preserve-unknown-fields"):
                problems.append("%s: free-form in the module, but the CRD prunes unknown keys" % where)
    return problems


def test_every_option_exists_in_the_real_crd_with_its_type(api):
    assert schema_problems(OPTIONS, crd_spec_schema(api), "") == []


def snapshot(api, namespace):
    apps, core = client.AppsV1Api(api), client.CoreV1Api(api)
    return (client.CustomObjectsApi(api).list_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL)["items"],
            [d.metadata.name for d in apps.list_namespaced_deployment(namespace).items],
            [s.metadata.name for s in core.list_namespaced_secret(namespace).items
             if s.type == "helm.sh/release.v1"])


def test_crd_schema_rejects_a_bad_type_naming_the_field(api, namespace, module):
    before = snapshot(api, namespace)
    out = module("model_server", dict(MS, name="typed", namespace=namespace,
                                      definition={"spec": {"deployment_parameters": {"replicas": "two"}}}))
    assert out["failed"]
    assert ".spec.deployment_parameters.replicas: expected numeric (int or float), got string" in out["msg"], out["msg"]
    assert snapshot(api, namespace) == before == ([], [], [])


def test_names_follow_the_chart_rule(api, namespace, module):
    apps, core = client.AppsV1Api(api), client.CoreV1Api(api)
    for name, args, expected in (("edge-ovms-a", {}, "edge-ovms-a"),
                                 ("plain", {"definition": {"spec": {"fullnameOverride": "custom-server"}}},
                                  "custom-server")):
        out = module("model_server", dict(MS, name=name, namespace=namespace, **args))
        assert not out["failed"], out.get("msg")
        assert out["service_name"] == expected
        assert "Deployment %s: 1/1 available" % expected in out["wait"]["stages"][-1]["message"]
        assert apps.read_namespaced_deployment(expected, namespace).status.available_replicas == 1
        svc = core.read_namespaced_service(expected, namespace)
        assert sorted((p.name, p.port, p.target_port) for p in svc.spec.ports) == [("grpc", 8080, 8080),
                                                                                   ("rest", 8081, 8081)]
        assert out["rest_endpoint"] == "http://%s.%s.svc.cluster.local:8081" % (expected, namespace)


def test_release_failed_on_install_names_the_api_error(api, namespace, module):
    out = module("model_server", dict(MS, name="greedy", namespace=namespace, wait_timeout=120,
                                      deployment_parameters=dict(resources=dict(limits=dict(cpu="1"),
                                                                                requests=dict(cpu="2")))))
    assert out["failed"]
    assert "ReleaseFailed=True (InstallError" in out["msg"], out["msg"]
    assert "resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit" in out["msg"]
    assert "timed out" not in out["msg"]
    assert client.AppsV1Api(api).list_namespaced_deployment(namespace).items == []
    # The fix: the ReleaseFailed still in status is from before this apply and must not end the wait.
    fixed = module("model_server", dict(MS, name="greedy", namespace=namespace, wait_timeout=120,
                                        deployment_parameters=dict(resources=dict(limits=dict(cpu="2"),
                                                                                  requests=dict(cpu="1")))))
    assert not fixed["failed"], fixed["msg"]
    assert client.AppsV1Api(api).read_namespaced_deployment("greedy-ovms", namespace).status.available_replicas == 1
    conditions = dict((c["type"], c) for c in fixed["result"]["status"]["conditions"])
    assert "ReleaseFailed" not in conditions and conditions["Deployed"]["status"] == "True"


def test_values_the_chart_ignores_still_wait_for_the_operator(namespace, module):
    """A spec change that renders the same objects: the operator upgrades the release, nothing else changes."""
    first = module("model_server", dict(MS, name="quiet", namespace=namespace))
    assert not first["failed"], first["msg"]
    again = module("model_server", dict(MS, name="quiet", namespace=namespace,
                                        models_repository=dict(storage_type="S3")))
    assert not again["failed"], again["msg"]
    assert again["changed"]
    assert again["wait"]["stages"][0]["message"].startswith("release 2 deployed"), again["wait"]
    noop = module("model_server", dict(MS, name="quiet", namespace=namespace, models_repository=dict(storage_type="S3")))
    assert not noop["failed"] and not noop["changed"], noop
    assert noop["wait"]["stages"][0]["message"].startswith("release 2 deployed"), noop["wait"]


def test_missing_volume_claim_reports_the_scheduler_message(namespace, module):
    out = module("model_server", dict(MS, name="nopvc", namespace=namespace, wait_timeout=20,
                                      models_repository=dict(storage_type="cluster", models_volume_claim="models-pvc")))
    assert out["failed"]
    assert 'persistentvolumeclaim "models-pvc" not found' in out["msg"], out["msg"]
    assert "does not exist" in out["msg"] and "timed out" not in out["msg"], out["msg"]


def test_more_gpus_than_any_node_reports_insufficient(namespace, module):
    gpus = dict(xpu_device="nvidia.com/gpu", xpu_device_quantity="2")
    out = module("model_server", dict(MS, name="gpus", namespace=namespace, wait_timeout=20,
                                      deployment_parameters=dict(resources=dict(limits=gpus, requests=gpus))))
    assert out["failed"]
    assert "Insufficient nvidia.com/gpu" in out["msg"], out["msg"]
    assert "no node can ever run it: wants 2 nvidia.com/gpu, the most any node has is 1" in out["msg"], out["msg"]
    assert "timed out" not in out["msg"]
