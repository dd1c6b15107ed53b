"""Triton Inference Server (from the nvidia-pytriton wheel) serving the same
small v2 models as tiny_model_server.py, for the inference_request tests.

Runs under the triton-server venv (Python 3.12, see
triton-server-requirements.txt), never under the test venv. Triton is a second,
independent implementation of the v2 protocol, and it takes BYTES inputs sent
with the binary data extension as raw bytes, with no patch.

* ``linear``, ``color`` and ``flaky``: as in tiny_model_server.py.
* ``seed004``: the request shape of seed 004's resnet: input ``"0"`` BYTES [1]
  holding a JPEG, output ``"1463"`` FP32 [1, 1000]. The class is a colour
  bucket of the image's mean colour, (R//32)*64 + (G//32)*8 + B//32, so a test
  knows the class of any solid colour.

All models are bound with batching=False, so Triton reports the shapes given
here (``[-1, 3]``, ``[1]``) and hands every request to the model on its own.
Every port listens on 127.0.0.1 only.
"""

import argparse
import itertools
import os
import sysconfig

# Triton's Python-backend stub links libpython3.12 from the interpreter's LIBDIR;
# Triton and the stub are child processes, so they inherit this.
os.environ["LD_LIBRARY_PATH"] = ":".join(
    p for p in (sysconfig.get_config_var("LIBDIR"), os.environ.get("LD_LIBRARY_PATH")) if p)

import numpy as np  # noqa: E402
from pytriton.model_config import ModelConfig, Tensor  # noqa: E402
from pytriton.triton import Triton, TritonConfig  # noqa: E402
from tiny_models import color_probabilities, linear_scores, seed004_scores  # noqa: E402


def linear(requests):
    return [{"scores": linear_scores(r["x"])} for r in requests]


def color(requests):
    replies = []
    for r in requests:
        probs, label = color_probabilities(r["image"].reshape(-1)[0])
        replies.append({"probabilities": probs, "label": np.array([label.encode()], dtype=np.bytes_)})
    return replies


def seed004(requests):
    return [{"1463": seed004_scores(r["0"].reshape(-1)[0])} for r in requests]


_flaky_requests = itertools.count(1)


def flaky(requests):
    number = next(_flaky_requests)
    if number % 2 == 0:
        raise ValueError("flaky: request %d fails on purpose" % number)
    return linear(requests)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--grpc-port", type=int, required=True)
    parser.add_argument("--metrics-port", type=int, required=True)
    parser.add_argument("--workspace", required=True)
    args = parser.parse_args()

    config = TritonConfig(http_address="127.0.0.1", http_port=args.port,
                          grpc_address="127.0.0.1", grpc_port=args.grpc_port,
                          metrics_address="127.0.0.1", metrics_port=args.metrics_port)
    unbatched = ModelConfig(batching=False)
    linear_io = dict(inputs=[Tensor(name="x", dtype=np.float32, shape=(-1, 3))],
                     outputs=[Tensor(name="scores", dtype=np.float32, shape=(-1, 4))], config=unbatched)
    with Triton(config=config, workspace=args.workspace) as triton:
        triton.bind("linear", linear, **linear_io)
        triton.bind("flaky", flaky, **linear_io)
        triton.bind("color", color, config=unbatched,
                    inputs=[Tensor(name="image", dtype=np.bytes_, shape=(1,))],
                    outputs=[Tensor(name="probabilities", dtype=np.float32, shape=(1, 3)),
                             Tensor(name="label", dtype=np.bytes_, shape=(1,))])
        triton.bind("seed004", seed004, config=unbatched,
                    inputs=[Tensor(name="0", dtype=np.bytes_, shape=(1,))],
                    outputs=[Tensor(name="1463", dtype=np.float32, shape=(1, 1000))])
        triton.serve()


if __name__ == "__main__":
    main()
