"""MicroShift's vLLM runtime through serving_runtime on the real control plane,
from the runtime file and release info the test edge host's RPM ships."""

import json
import os

from kubernetes import client

SHIPPED = os.path.join(os.path.dirname(__file__), "..", "..", "edge_host", "packages", "microshift", "files")


def test_vllm_cuda_runtime_from_the_shipped_file(api, module, namespace):
    release = os.path.join(SHIPPED, "release.json")
    args = dict(name="vllm-cuda-runtime", namespace=namespace, src=os.path.join(SHIPPED, "runtimes", "vllm-cuda.yaml"),
                release_info=release, image_key="vllm-cuda-image")

    made = module("serving_runtime", args)
    assert made["changed"] and not made["failed"], made.get("msg")
    live = client.CustomObjectsApi(api).get_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", namespace, "servingruntimes", "vllm-cuda-runtime")
    container = live["spec"]["containers"][0]
    with open(release) as f:
        assert container["image"] == json.load(f)["images"]["vllm-cuda-image"]
    assert "--served-model-name={{.Name}}" in container["args"]

    renamed = module("serving_runtime", dict(args, name="vllm-old-key", image_key="vllm-image"))
    assert renamed["failed"]
    assert "'vllm-image' was renamed 'vllm-cuda-image' in OpenShift AI 2.19: use image_key: vllm-cuda-image" \
        in renamed["msg"]
    names = [o["metadata"]["name"] for o in client.CustomObjectsApi(api).list_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", namespace, "servingruntimes")["items"]]
    assert names == ["vllm-cuda-runtime"]
