"""Objects shaped like MicroShift's shipped ones, for tests."""

import copy

OVMS_RUNTIME = {
    "apiVersion": "serving.kserve.io/v1alpha1",
    "kind": "ServingRuntime",
    "metadata": {"name": "kserve-ovms", "annotations": {"opendatahub.io/recommended-accelerators": '["nvidia.com/gpu"]'}},
    "spec": {
        "multiModel": False,
        "protocolVersions": ["v2", "grpc-v2"],
        "supportedModelFormats": [
            {"name": "openvino_ir", "version": "opset13", "autoSelect": True},
            {"name": "onnx", "version": "1"},
            {"name": "tensorflow", "version": "1", "autoSelect": True},
            {"name": "paddle", "version": "2", "autoSelect": True},
            {"name": "pytorch", "version": "2", "autoSelect": True},
        ],
        "containers": [{
            "name": "kserve-container",
            "image": "quay.io/test/ovms:2025.1",
            "args": ["--model_name={{.Name}}", "--port=8001", "--rest_port=8888", "--model_path=/mnt/models",
                     "--file_system_poll_wait_seconds=0"],
            "ports": [{"containerPort": 8888, "protocol": "TCP"}],
        }],
    },
}


def ovms_runtime(namespace):
    rt = copy.deepcopy(OVMS_RUNTIME)
    rt["metadata"]["namespace"] = namespace
    return rt


def isvc(namespace, name, fmt="openvino_ir", storage="oci://quay.io/test/resnet-modelcar:1", labels=None,
         annotations=None):
    return {
        "apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"predictor": {"labels": labels or {}, "annotations": annotations or {},
                               "model": {"modelFormat": {"name": fmt}, "protocolVersion": "v2",
                                         "storageUri": storage}}},
    }
