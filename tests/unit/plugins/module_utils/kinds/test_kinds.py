import json

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.kinds import inference_service as isvc
from ansible_collections.edgeai.serving.plugins.module_utils.kinds import model_server as ms
from ansible_collections.edgeai.serving.plugins.module_utils.kinds import route
from ansible_collections.edgeai.serving.plugins.module_utils.kinds import serving_runtime as sr
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput


@pytest.mark.parametrize("uri,offline,fragment", [
    ("ftp://x/y", False, "scheme 'ftp'"),
    ("models/resnet", False, "no scheme"),
    ("s3://", False, "names no location"),
    ("oci://quay.io/x/model:latest", True, "offline"),
    ("oci://quay.io/x/model", True, "no tag"),
])
def test_storage_uri_rejects(uri, offline, fragment):
    with pytest.raises(InvalidInput) as e:
        isvc.check_storage_uri(uri, offline)
    assert e.value.field == "storage_uri" and fragment in str(e.value)


@pytest.mark.parametrize("uri", ["oci://quay.io/x/model:1", "oci://reg:5000/x/model@sha256:abc", "pvc://claim/path",
                                 "hf://org/model", "oci://quay.io/x/model:latest"])
def test_storage_uri_accepts(uri):
    isvc.check_storage_uri(uri, offline=uri.endswith(":1") or "@" in uri)


def test_gpu_must_be_whole():
    with pytest.raises(InvalidInput, match="resources.limits.nvidia.com/gpu"):
        isvc.check_resources({"limits": {"nvidia.com/gpu": "0.5"}})


def test_isvc_build_sets_mode_annotation_and_env_list():
    params = dict(model_format="onnx", model_format_version=None, runtime="r", storage_uri="s3://b/m", offline=False,
                  protocol_version="v2", args=None, env={"B": 2, "A": "x"}, resources=None, min_replicas=1,
                  max_replicas=None, deployment_mode="RawDeployment", service_account=None, definition=None)
    out = isvc.build(params, None)
    assert out["metadata"]["annotations"] == {"serving.kserve.io/deploymentMode": "RawDeployment"}
    model = out["spec"]["predictor"]["model"]
    assert model["env"] == [{"name": "A", "value": "x"}, {"name": "B", "value": "2"}]
    assert "version" not in model["modelFormat"] and out["spec"]["predictor"]["minReplicas"] == 1


@pytest.mark.parametrize("name,expected", [("resnet", "resnet-ovms"), ("my-ovms", "my-ovms"), ("a" * 60, "a" * 60 + "-ov"),
                                           ("c" * 59, "c" * 59 + "-ovm"), ("d" * 62, "d" * 62), ("b" * 70, "b" * 63)])
def test_model_server_naming_rule(name, expected):
    assert ms.service_name(name) == expected


def tls(**kw):
    base = dict(termination="edge", insecure_edge_termination_policy="Redirect", certificate=None, key=None,
                ca_certificate=None, destination_ca_certificate=None)
    base.update(kw)
    return base


@pytest.mark.parametrize("kw,field", [
    (dict(termination="passthrough", insecure_edge_termination_policy="Allow"), "tls.insecure_edge_termination_policy"),
    (dict(termination="passthrough", certificate="-----BEGIN CERTIFICATE-----"), "tls.certificate"),
    (dict(destination_ca_certificate="-----BEGIN CERTIFICATE-----"), "tls.destination_ca_certificate"),
    (dict(certificate="-----BEGIN CERTIFICATE-----"), "tls.key"),
    (dict(certificate="nope", key="-----BEGIN PRIVATE KEY-----"), "tls.certificate"),
    (dict(termination="none", key="k"), "tls.key"),
])
def test_route_tls_rules(kw, field):
    with pytest.raises(InvalidInput) as e:
        route.check_tls(tls(**kw))
    assert e.value.field == field


def test_route_default_is_edge_with_redirect():
    assert route.check_tls(tls()) == {"termination": "edge", "insecureEdgeTerminationPolicy": "Redirect",
                                      "certificate": None, "key": None, "caCertificate": None,
                                      "destinationCACertificate": None}


RUNTIME = """apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata:
  name: kserve-ovms
  namespace: redhat-ods-applications
  resourceVersion: "5"
spec:
  containers:
  - name: kserve-container
    image: ovms-image
"""


def test_runtime_from_src_substitutes_release_image(tmp_path):
    src = tmp_path / "ovms-kserve.yaml"
    src.write_text(RUNTIME)
    info = tmp_path / "release.json"
    info.write_text(json.dumps({"release": {"base": "4.19.0"}, "images": {"ovms-image": "quay.io/ovms@sha256:1"}}))
    out = sr.build(dict(src=str(src), release_info=str(info), image_key="ovms-image", copy_from=None,
                        model_formats=None, protocol_versions=None, multi_model=None, disabled=None, image=None,
                        definition=None), None)
    assert out["spec"]["containers"][0]["image"] == "quay.io/ovms@sha256:1"
    assert "namespace" not in out["metadata"] and "resourceVersion" not in out["metadata"]


def test_missing_release_key_lists_existing_keys():
    with pytest.raises(InvalidInput) as e:
        sr.substitute_image({"spec": {"containers": [{"image": "vllm-image"}]}},
                            {"vllm-cuda-image": "a", "ovms-image": "b"}, "vllm-image")
    assert e.value.field == "image_key" and "ovms-image, vllm-cuda-image" in str(e.value)


@pytest.mark.parametrize("text,fragment", [("a: [", "not valid YAML"), ("kind: Pod\n", "holds: Pod"),
                                           (RUNTIME + "---\n" + RUNTIME, "exactly one")])
def test_malformed_src(tmp_path, text, fragment):
    src = tmp_path / "r.yaml"
    src.write_text(text)
    with pytest.raises(InvalidInput) as e:
        sr.load_src(str(src))
    assert e.value.field == "src" and fragment in str(e.value)
