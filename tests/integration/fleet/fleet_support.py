"""Names the fleet tests and their fixtures share (a module of its own: `conftest` is ambiguous across folders)."""

import json
import os
import socket
import struct
import sys
import time
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
HOSTS = ("edge1", "edge2", "edge3")
MODEL = "color"
IMAGE = "oci://quay.io/edgeai/color-modelcar:%s"
# How each ModelCar tag behaves in the stand-in; 5 is served well but its pods crash-loop (a kwok label).
VERSIONS = ("1=good", "2=good", "3=wrong", "4=slow:800", "5=good")
CRASHLOOP = {"spec": {"predictor": {"labels": {"edgeai.test/crashloop": "true"},
                                    "annotations": {"edgeai.test/message": "cannot load model version 5"}}}}
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def red_png(path):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = (b"\x00" + b"\xdc\x14\x14" * 8) * 8
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def classify(url, image):
    """One v2 inference with the image as a binary BYTES input; the argmax of the probabilities."""
    with open(image, "rb") as f:
        data = f.read()
    element = struct.pack("<I", len(data)) + data
    header = json.dumps({"inputs": [{"name": "image", "datatype": "BYTES", "shape": [1],
                                     "parameters": {"binary_data_size": len(element)}}]}).encode()
    req = urllib.request.Request("%s/v2/models/%s/infer" % (url, MODEL), data=header + element, headers={
        "Content-Type": "application/octet-stream", "Inference-Header-Content-Length": str(len(header))})
    with urllib.request.urlopen(req, timeout=30) as resp:
        body = resp.read()
    length = int(resp.headers.get("Inference-Header-Content-Length") or len(body))
    probs = next(o for o in json.loads(body[:length])["outputs"] if o["name"] == "probabilities")["data"]
    return ["red", "green", "blue"][probs.index(max(probs))]


def apply_isvc(kube, namespace, tag, extra=None):
    """What serve_model.yml left on a host: the model at version `tag`, applied by the collection's field manager."""
    from kubernetes import client
    body = {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
            "metadata": {"name": MODEL, "namespace": namespace},
            "spec": {"predictor": {"model": {"modelFormat": {"name": "openvino_ir"}, "runtime": "kserve-ovms",
                                             "protocolVersion": "v2", "storageUri": IMAGE % tag}}}}
    client.CustomObjectsApi(kube).patch_namespaced_custom_object(
        "serving.kserve.io", "v1beta1", namespace, "inferenceservices", MODEL, body,
        field_manager="edgeai.serving", _content_type="application/apply-patch+yaml")


def retried(call, *args):
    """Setup calls, retried while another engineer's fault test restarts the API server or the KServe webhook,
    and while a fresh namespace's default ServiceAccount is not there yet."""
    from kubernetes.client.rest import ApiException
    from urllib3.exceptions import HTTPError
    deadline = time.monotonic() + 60
    while True:
        try:
            return call(*args)
        except (ApiException, HTTPError) as e:
            if getattr(e, "status", 500) in (400, 404, 409, 422) and "serviceaccount" not in str(e).lower() \
                    or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def isvc(kube, namespace):
    from kubernetes import client
    return client.CustomObjectsApi(kube).get_namespaced_custom_object(
        "serving.kserve.io", "v1beta1", namespace, "inferenceservices", MODEL)


def wait_ready(kube, namespace, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        conditions = (retried(isvc, kube, namespace).get("status") or {}).get("conditions") or []
        if any(c["type"] == "Ready" and c["status"] == "True" for c in conditions):
            return
        assert time.monotonic() < deadline, "InferenceService %s/%s not ready: %s" % (namespace, MODEL, conditions)
        time.sleep(0.5)
