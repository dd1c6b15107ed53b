"""Tiny KServe model server for the inference_request integration tests.

Runs under the model-server venv (see setup_model_server.sh), never under the
test venv.  The models are built here from fixed numbers, so nothing is
downloaded:

* ``linear``: FP32 ``x`` of shape [N, 3] times a fixed 3x4 matrix plus a bias.
* ``color``: one BYTES ``image`` (PNG/JPEG sent with the binary data
  extension); Pillow decodes it and the scores are the mean R, G and B.
* ``never_ready``: registered, but its health check always says not ready.
* ``seed004``: seed 004's resnet as OVMS shows it: metadata declares input
  ``"0"`` FP32 [1, 224, 224, 3], but the request sends a JPEG as BYTES [1];
  output ``"1463"`` FP32 [1, 1000]. The class is a colour bucket of the mean
  colour, (R//32)*64 + (G//32)*8 + B//32, as in tiny_triton_server.py.
* ``flaky``: like ``linear``, but every even-numbered request fails with
  HTTP 500, so a load run sees a known number of errors.

``/v1/config`` and ``/v1/models/{name}/metadata`` answer in the shape
OpenVINO Model Server uses, so the module's OVMS v1 option has a real HTTP
peer.  With ``--token`` every route wants that bearer token, as behind an
auth proxy.  KServe binds 0.0.0.0 by default; this script binds 127.0.0.1 only.
"""

import itertools
import uuid

import kserve
import kserve.model_server
import numpy as np
from fastapi.responses import JSONResponse
from kserve.errors import InferenceError, InvalidInput
from kserve.protocol.infer_type import InferInput, InferOutput, InferResponse
from kserve.protocol.rest.server import RESTServer
from server_helpers import require_bearer_token, server_arguments
from tiny_models import color_probabilities, linear_scores, seed004_scores


_set_input_data = InferInput.set_data_from_numpy


def _keep_bytes_inputs_binary(self, input_tensor, binary_data=True):
    """kserve 0.21's InferRequest.from_bytes turns binary-extension BYTES inputs
    back into JSON text and raises on bytes that are not UTF-8, i.e. on any
    real image; keeping BYTES inputs binary lets the model see the raw bytes."""
    _set_input_data(self, input_tensor, binary_data or self.datatype == "BYTES")


class LoopbackRESTServer(RESTServer):
    """KServe's REST server with its listen address moved to loopback."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config.host = "127.0.0.1"


def _only_input(request, name, datatype):
    if len(request.inputs) != 1 or request.inputs[0].name != name:
        got = [i.name for i in request.inputs]
        raise InvalidInput(f"expected one input named '{name}', got {got}")
    tensor = request.inputs[0]
    if tensor.datatype != datatype:
        raise InvalidInput(f"input '{name}' must be {datatype}, got {tensor.datatype}")
    return tensor


class LinearModel(kserve.Model):
    def __init__(self, name="linear"):
        super().__init__(name)
        self.ready = True

    def get_input_types(self):
        return [{"name": "x", "datatype": "FP32", "shape": [-1, 3]}]

    def get_output_types(self):
        return [{"name": "scores", "datatype": "FP32", "shape": [-1, 4]}]

    def predict(self, payload, headers=None):
        tensor = _only_input(payload, "x", "FP32")
        if len(tensor.shape) != 2 or tensor.shape[1] != 3:
            raise InvalidInput(f"input 'x' must have shape [N, 3], got {tensor.shape}")
        scores = linear_scores(tensor.as_numpy())
        out = InferOutput("scores", list(scores.shape), "FP32")
        out.set_data_from_numpy(scores, binary_data=payload.use_binary_outputs)
        return InferResponse(payload.id or uuid.uuid4().hex, self.name, [out],
                             use_binary_outputs=payload.use_binary_outputs)


class ColorModel(kserve.Model):
    def __init__(self):
        super().__init__("color")
        self.ready = True

    def get_input_types(self):
        return [{"name": "image", "datatype": "BYTES", "shape": [1]}]

    def get_output_types(self):
        return [
            {"name": "probabilities", "datatype": "FP32", "shape": [1, 3]},
            {"name": "label", "datatype": "BYTES", "shape": [1]},
        ]

    def predict(self, payload, headers=None):
        tensor = _only_input(payload, "image", "BYTES")
        encoded = tensor.as_numpy().reshape(-1)
        if encoded.size != 1:
            raise InvalidInput(f"input 'image' must hold one image, got {encoded.size}")
        try:
            probs, label = color_probabilities(encoded[0])
        except Exception as exc:  # Pillow raises several types for bad data
            raise InvalidInput(f"input 'image' is not a decodable image: {exc}")
        binary = payload.use_binary_outputs
        prob_out = InferOutput("probabilities", [1, 3], "FP32")
        prob_out.set_data_from_numpy(probs, binary_data=binary)
        label_out = InferOutput("label", [1], "BYTES")
        label_out.set_data_from_numpy(np.array([label.encode()], dtype=object), binary_data=binary)
        return InferResponse(payload.id or uuid.uuid4().hex, self.name, [prob_out, label_out],
                             use_binary_outputs=binary)


class Seed004Model(kserve.Model):
    def __init__(self):
        super().__init__("seed004")
        self.ready = True

    def get_input_types(self):
        return [{"name": "0", "datatype": "FP32", "shape": [1, 224, 224, 3]}]

    def get_output_types(self):
        return [{"name": "1463", "datatype": "FP32", "shape": [1, 1000]}]

    def predict(self, payload, headers=None):
        tensor = _only_input(payload, "0", "BYTES")
        scores = seed004_scores(tensor.as_numpy().reshape(-1)[0])
        out = InferOutput("1463", [1, 1000], "FP32")
        out.set_data_from_numpy(scores, binary_data=payload.use_binary_outputs)
        return InferResponse(payload.id or uuid.uuid4().hex, self.name, [out],
                             use_binary_outputs=payload.use_binary_outputs)


class FlakyModel(LinearModel):
    def __init__(self):
        super().__init__("flaky")
        self._requests = itertools.count(1)

    def predict(self, payload, headers=None):
        number = next(self._requests)
        if number % 2 == 0:
            raise InferenceError("flaky: request %d fails on purpose" % number)
        return super().predict(payload, headers)


class NeverReadyModel(kserve.Model):
    def __init__(self):
        super().__init__("never_ready")
        self.ready = True

    async def healthy(self):
        return False


def add_ovms_v1_routes(app, models):
    async def config():
        return JSONResponse({
            m.name: {"model_version_status": [
                {"version": "1", "state": "AVAILABLE",
                 "status": {"error_code": "OK", "error_message": "OK"}}]}
            for m in models
        })

    async def metadata(name: str):
        model = next((m for m in models if m.name == name), None)
        if model is None:
            return JSONResponse({"error": "Model with requested name is not found"},
                                status_code=404)
        return JSONResponse({"modelSpec": {"name": name, "version": "1"},
                             "metadata": {"inputs": model.get_input_types(),
                                          "outputs": model.get_output_types()}})

    app.add_api_route("/v1/config", config, methods=["GET"])
    app.add_api_route("/v1/models/{name}/metadata", metadata, methods=["GET"])


def main():
    args = server_arguments()

    kserve.model_server.RESTServer = LoopbackRESTServer
    InferInput.set_data_from_numpy = _keep_bytes_inputs_binary
    models = [LinearModel(), ColorModel(), Seed004Model(), FlakyModel(), NeverReadyModel()]
    add_ovms_v1_routes(kserve.model_server.app, models)
    if args.token:
        require_bearer_token(kserve.model_server.app, args.token)
    kserve.ModelServer(
        http_port=args.port,
        enable_grpc=False,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
    ).start(models)


if __name__ == "__main__":
    main()
