"""Create, no-op, update, check mode, diff and delete, for each of the four kinds, on the real API."""

import copy
import json

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

import controlplane
from kserve_fixtures import OVMS_RUNTIME

KINDS = {
    "serving_runtime": dict(
        path=("serving.kserve.io", "v1alpha1", "servingruntimes"),
        # As MicroShift ships it: the image is a release-info key, the args hold Go templates.
        create=dict(name="rt-copy", src="{src}", release_info="{release_info}", image_key="ovms-image"),
        update=dict(disabled=True),
        changed_field=lambda o: o["spec"].get("disabled"), expected=True,
    ),
    "inference_service": dict(
        path=("serving.kserve.io", "v1beta1", "inferenceservices"),
        create=dict(name="resnet", model_format="openvino_ir", protocol_version="v2", runtime="kserve-ovms",
                    storage_uri="oci://quay.io/test/resnet-modelcar:1", offline=True),
        update=dict(args=["--layout=NHWC:NCHW"]),
        changed_field=lambda o: o["spec"]["predictor"]["model"].get("args"), expected=["--layout=NHWC:NCHW"],
    ),
    "route": dict(
        path=("route.openshift.io", "v1", "routes"),
        create=dict(name="resnet", service="resnet-predictor"),
        update=dict(path="/v2"),
        changed_field=lambda o: o["spec"].get("path"), expected="/v2",
    ),
    "model_server": dict(
        path=("intel.com", "v1alpha1", "modelservers"),
        create=dict(name="ovms-resnet", image_name="quay.io/test/ovms:2025.1",
                    models_settings=dict(model_name="resnet", model_path="/models/resnet")),
        update=dict(deployment_parameters=dict(replicas=2)),
        changed_field=lambda o: (o["spec"].get("deployment_parameters") or {}).get("replicas"), expected=2,
    ),
}


def read(api, path, namespace, name):
    try:
        return client.CustomObjectsApi(api).get_namespaced_custom_object(path[0], path[1], namespace, path[2], name)
    except ApiException as e:
        if e.status == 404:
            return None
        raise


@pytest.fixture
def prerequisites(api, namespace):
    """What the kinds point at: the runtime for the InferenceService, a Service for the Route."""
    client.CustomObjectsApi(api).create_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", namespace, "servingruntimes",
        dict(OVMS_RUNTIME, metadata={"name": "kserve-ovms", "namespace": namespace}))
    client.CoreV1Api(api).create_namespaced_service(namespace, {
        "metadata": {"name": "resnet-predictor"},
        "spec": {"selector": {"app": "x"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}})
    return namespace


@pytest.fixture
def shipped_files(tmp_path):
    """A runtime file and release info shaped like MicroShift's."""
    runtime = copy.deepcopy(OVMS_RUNTIME)
    runtime["spec"]["containers"][0]["image"] = "ovms-image"
    runtime["metadata"]["namespace"] = "redhat-ods-applications"
    (tmp_path / "ovms-kserve.yaml").write_text(json.dumps(runtime))
    (tmp_path / "release.json").write_text(json.dumps({"release": {"base": "4.19.0"}, "images": {
        "ovms-image": "registry.example/ovms@sha256:0123", "vllm-cuda-image": "registry.example/vllm:1"}}))
    return {"src": str(tmp_path / "ovms-kserve.yaml"), "release_info": str(tmp_path / "release.json")}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_lifecycle(kind, api, cluster, prerequisites, module, shipped_files):
    ns = prerequisites
    spec = KINDS[kind]
    name = spec["create"]["name"]
    create = dict(((k, v.format(**shipped_files) if isinstance(v, str) else v) for k, v in spec["create"].items()),
                  namespace=ns)
    update = dict(create, **spec["update"])

    dry = module(kind, create, check=True)
    assert dry["changed"] and not dry["failed"], dry
    assert read(api, spec["path"], ns, name) is None, "check mode created the object"

    made = module(kind, create)
    assert made["changed"] and not made["failed"], made.get("msg")
    assert made["result"]["metadata"]["name"] == name
    live = read(api, spec["path"], ns, name)
    assert live is not None
    if kind == "serving_runtime":
        container = live["spec"]["containers"][0]
        assert container["image"] == "registry.example/ovms@sha256:0123"
        assert "--model_name={{.Name}}" in container["args"]
    if kind != "serving_runtime":
        assert made["wait"]["stages"][-1]["state"] == "ready", made["wait"]

    applies = controlplane.requests_served(cluster, "APPLY", spec["path"][2])
    again = module(kind, create)
    assert not again["failed"], again.get("msg")
    assert again["changed"] is False, again.get("diff")
    # The object already is what the apply would make it: the API server served no apply for it.
    assert controlplane.requests_served(cluster, "APPLY", spec["path"][2]) == applies

    preview = module(kind, update, check=True, diff=True)
    assert preview["changed"] and not preview["failed"], preview.get("msg")
    assert spec["changed_field"](preview["diff"]["after"]) != spec["changed_field"](preview["diff"]["before"])
    assert "status" not in preview["diff"]["after"] and "managedFields" not in preview["diff"]["after"]["metadata"]
    assert read(api, spec["path"], ns, name)["metadata"]["resourceVersion"] == live["metadata"]["resourceVersion"] \
        or spec["changed_field"](read(api, spec["path"], ns, name)) == spec["changed_field"](live), \
        "check mode changed the object"

    updated = module(kind, update)
    assert updated["changed"] and not updated["failed"], updated.get("msg")
    assert controlplane.requests_served(cluster, "APPLY", spec["path"][2]) > applies
    assert spec["changed_field"](read(api, spec["path"], ns, name)) == spec["expected"]
    assert spec["changed_field"](live) != spec["expected"]

    keep = module(kind, dict(create, state="absent"), check=True)
    assert keep["changed"] and read(api, spec["path"], ns, name) is not None

    gone = module(kind, dict(create, state="absent"))
    assert gone["changed"] and not gone["failed"], gone.get("msg")
    assert read(api, spec["path"], ns, name) is None
    assert gone["wait"]["stages"][0]["message"] == "deleted"
    # GET, DELETE, and a watch from the version the DELETE answered with (no list).
    assert gone["api_requests"] == 3, gone["api_requests"]

    assert module(kind, dict(create, state="absent"))["changed"] is False


def test_reapply_without_an_apply_request_only_when_nothing_would_change(api, cluster, prerequisites, module):
    """A re-apply skips the PATCH only when the object holds our values and we own exactly our fields."""
    ns = prerequisites
    path = KINDS["inference_service"]["path"]
    create = dict(KINDS["inference_service"]["create"], namespace=ns, labels={"team": "a"}, min_replicas=1)
    assert module("inference_service", create)["changed"]

    noop = module("inference_service", create)
    assert noop["changed"] is False and noop["wait"]["stages"][0]["state"] == "ready", noop.get("msg")
    # GET of the InferenceService, list of its predictor Deployment: its rollout confirmed, no watch needed.
    assert noop["api_requests"] == 2, noop["api_requests"]

    # Another manager changes a field we own: the re-apply is not skipped. The API server reports the
    # conflict, and with force_conflicts the re-apply sets the field back and says so.
    client.CustomObjectsApi(api).patch_namespaced_custom_object(
        path[0], path[1], ns, path[2], "resnet", {"metadata": {"labels": {"team": "b"}}})
    applies = controlplane.requests_served(cluster, "APPLY", path[2])
    conflict = module("inference_service", create)
    assert conflict["failed"] and "conflict" in conflict["msg"] and ".metadata.labels.team" in conflict["msg"]
    back = module("inference_service", dict(create, force_conflicts=True))
    assert back["changed"] is True and back["result"]["metadata"]["labels"]["team"] == "a", back.get("msg")
    assert controlplane.requests_served(cluster, "APPLY", path[2]) == applies + 2

    # A field left out of the task is removed, as server-side apply removes fields its manager no longer sets.
    dropped = dict(create)
    del dropped["labels"]
    out = module("inference_service", dropped)
    assert out["changed"] is True and not out["failed"], out.get("msg")
    assert "team" not in (read(api, path, ns, "resnet")["metadata"].get("labels") or {})
    assert module("inference_service", dropped)["changed"] is False
