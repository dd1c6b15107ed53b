"""Test double: one edge host's predictor pods, which kwok cannot run.

A real KServe model server on loopback (the ``color`` model of
tiny_model_server.py) that serves whatever version its host's
InferenceService names. On every request it reads the InferenceService and
takes the tag of ``spec.predictor.model.storageUri``; ``--version TAG=KIND``
says how that version behaves:

* ``good``: the colour model as it is;
* ``wrong``: answers a different class (the scores are rotated by one);
* ``slow:MS``: the right answer, MS milliseconds late.

A tag without a ``--version`` fails every inference with HTTP 500. Like real
pods, it keeps serving while the API server restarts (other tests restart it):
then it serves the version it last saw, which a poll keeps fresh. The file
given by ``--target`` holds the namespace and name of the InferenceService to
follow, so one process serves a fresh namespace per test. Runs under the
model-server venv (setup_model_server.sh), like tiny_model_server.py.
"""

import argparse
import json
import os
import sys
import threading
import time

import kserve
import kserve.model_server
import numpy as np
from kserve.errors import InferenceError
from kserve.protocol.infer_type import InferInput
from kubernetes import client, config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "inference"))
import tiny_model_server as tiny  # noqa: E402


class FollowingColorModel(tiny.ColorModel):
    def __init__(self, api, target_file, versions):
        super().__init__()
        self.api = api
        self.target_file = target_file
        self.versions = versions
        self.last_seen = None
        threading.Thread(target=self._poll, daemon=True).start()

    def _read(self):
        with open(self.target_file) as f:
            target = json.load(f)
        isvc = self.api.get_namespaced_custom_object(
            "serving.kserve.io", "v1beta1", target["namespace"], "inferenceservices", target["name"],
            _request_timeout=5)
        self.last_seen = (target, isvc["spec"]["predictor"]["model"]["storageUri"])
        return self.last_seen[1]

    def _poll(self):
        while True:
            try:
                self._read()
            except Exception:  # noqa: BLE001 - the API server is away or the target not created yet
                pass
            time.sleep(0.2)

    def _version(self):
        try:
            uri = self._read()
        except Exception:  # noqa: BLE001 - serve what was last seen, as pods do without the API server
            with open(self.target_file) as f:
                target = json.load(f)
            if not self.last_seen or self.last_seen[0] != target:
                raise
            uri = self.last_seen[1]
        tag = uri.rsplit(":", 1)[-1]
        if tag not in self.versions:
            raise InferenceError("stand-in: no behaviour for version %r (%s)" % (tag, uri))
        return self.versions[tag]

    def predict(self, payload, headers=None):
        behaviour = self._version()
        response = super().predict(payload, headers)
        if behaviour.startswith("slow:"):
            time.sleep(int(behaviour[len("slow:"):]) / 1000.0)
        elif behaviour == "wrong":
            probs = response.outputs[0]
            rotated = np.roll(np.asarray(probs.as_numpy(), dtype=np.float32), 1, axis=-1)
            probs.set_data_from_numpy(rotated, binary_data=payload.use_binary_outputs)
        return response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--version", action="append", default=[], metavar="TAG=KIND")
    args = parser.parse_args()
    versions = dict(v.split("=", 1) for v in args.version)
    api = client.CustomObjectsApi(config.new_client_from_config(config_file=args.kubeconfig))

    kserve.model_server.RESTServer = tiny.LoopbackRESTServer
    InferInput.set_data_from_numpy = tiny._keep_bytes_inputs_binary
    kserve.ModelServer(http_port=args.port, enable_grpc=False).start([FollowingColorModel(api, args.target, versions)])


if __name__ == "__main__":
    main()
