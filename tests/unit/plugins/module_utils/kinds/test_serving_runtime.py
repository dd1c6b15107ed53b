"""serving_runtime with MicroShift's vLLM runtime, from the files the test edge host's RPM ships."""

import os

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.kinds import serving_runtime as sr

SHIPPED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "edge_host", "packages", "microshift", "files")
VLLM_CUDA = os.path.join(SHIPPED, "runtimes", "vllm-cuda.yaml")
VLLM_EARLY = os.path.join(SHIPPED, "runtimes", "vllm-early.yaml")
RELEASE = os.path.join(SHIPPED, "release.json")


def params(**overrides):
    base = dict(src=VLLM_CUDA, release_info=RELEASE, image_key="vllm-cuda-image", copy_from=None, model_formats=None,
                protocol_versions=None, multi_model=None, disabled=None, image=None, definition=None)
    base.update(overrides)
    return base


def test_vllm_cuda_runtime_gets_its_release_image():
    out = sr.build(params(), None)
    container = out["spec"]["containers"][0]
    assert container["image"] == sr.load_images(RELEASE)["vllm-cuda-image"]
    assert container["image"].startswith("registry.edge.test/modh/vllm-cuda@sha256:")
    assert "--served-model-name={{.Name}}" in container["args"]
    assert [f["name"] for f in out["spec"]["supportedModelFormats"]] == ["vLLM"]


def test_old_vllm_key_on_a_renamed_release_names_the_new_key():
    with pytest.raises(InvalidInput) as caught:
        sr.build(params(image_key="vllm-image"), None)
    assert caught.value.field == "image_key"
    assert str(caught.value).startswith("image_key: 'vllm-image' is not in release_info images; it has: ")
    assert str(caught.value).endswith(" ('vllm-image' was renamed 'vllm-cuda-image' in OpenShift AI 2.19: "
                                      "use image_key: vllm-cuda-image, with a runtime file whose image is "
                                      "vllm-cuda-image)")


def test_early_file_with_the_new_key_says_the_placeholder_differs():
    # An early file's placeholder is vllm-image: the new key has no placeholder to fill there.
    with pytest.raises(InvalidInput) as caught:
        sr.build(params(src=VLLM_EARLY), None)
    assert "no container image is the placeholder 'vllm-cuda-image' (images: vllm-image)" in str(caught.value)


def test_no_hint_when_the_new_key_is_missing_too():
    with pytest.raises(InvalidInput) as caught:
        sr.substitute_image({"spec": {"containers": [{"image": "vllm-image"}]}}, {"ovms-image": "o"}, "vllm-image")
    assert str(caught.value).endswith("'vllm-image' is not in release_info images; it has: ovms-image")
