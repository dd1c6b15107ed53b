# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health gate behind the inference_request module: readiness, one
inference with its class check, optional load, OVMS v1 and metrics.

``check_options`` raises before any request; ``run_checks`` only reads from
the server, so it is safe in check mode.
"""

import time
import urllib.parse

from ansible_collections.edgeai.serving.plugins.module_utils.inference.classes import expected_class_error, rank
from ansible_collections.edgeai.serving.plugins.module_utils.inference.transport import InferenceClient, InferenceHTTPError
from ansible_collections.edgeai.serving.plugins.module_utils.inference.inputs import (
    InputSpecError,
    build_tensors,
    load_inputs_file,
)
from ansible_collections.edgeai.serving.plugins.module_utils.inference.protocol import (
    ProtocolError,
    build_request,
    parse_response,
)
from ansible_collections.edgeai.serving.plugins.module_utils.inference.latency import load_options_error, run_load
from ansible_collections.edgeai.serving.plugins.module_utils.inference.prometheus_text import (
    MetricsParseError,
    parse_samples,
    select_series,
)


class CheckFailed(Exception):
    """A check failed; ``result`` holds what was learnt before it did."""

    def __init__(self, message, result):
        super().__init__(message)
        self.result = result


def run_module_checks(module, check, run):
    """``main`` of the inference modules: ``check(params)`` names bad input before any request, then
    ``run(client, params, checked)`` gets what ``check`` returned; the module exits with its result."""
    try:
        checked = check(module.params)
    except InputSpecError as exc:
        module.fail_json(msg=str(exc))
    try:
        client = InferenceClient.from_params(module.params)
        module.exit_json(**run(client, module.params, checked))
    except InferenceHTTPError as exc:
        module.fail_json(msg=str(exc))
    except CheckFailed as exc:
        module.fail_json(msg=str(exc), **exc.result)


def check_common_options(options):
    """The options every inference check shares: url, timings and load bounds."""
    if not options["url"].startswith(("http://", "https://")):
        raise InputSpecError("url: must start with http:// or https://, got %r" % options["url"])
    for name in ("poll_interval", "request_timeout"):
        if options[name] <= 0:
            raise InputSpecError("%s: must be above 0, got %s" % (name, options[name]))
    if options["timeout"] < 0:
        raise InputSpecError("timeout: must be 0 or more, got %s" % options["timeout"])
    load = options["load"]
    if load:
        message = load_options_error(load["requests"], load["concurrency"], load["max_duration"])
        if message:
            raise InputSpecError(message)


def check_options(options):
    """Return the tensors to send (or None); raise InputSpecError on bad input."""
    check_common_options(options)
    tensors = None
    if options["inputs"] is not None:
        tensors = build_tensors(options["inputs"])
    elif options["inputs_file"] is not None:
        tensors = build_tensors(load_inputs_file(options["inputs_file"]), "inputs_file: inputs")
    needs_inference = [k for k in ("expected_class", "load", "outputs", "labels") if options[k] is not None]
    if options["top_k"]:
        needs_inference.append("top_k")
    if tensors is None and needs_inference:
        raise InputSpecError("%s: needs inputs or inputs_file to send an inference request" % ", ".join(needs_inference))
    if options["top_k"] < 0:
        raise InputSpecError("top_k: must be 0 or more, got %d" % options["top_k"])
    return tensors


def _retryable(exc):
    if exc.kind in ("connection", "timeout"):
        return True
    # 404 while the model registers, 5xx (503 = not ready yet) while it loads.
    return exc.kind == "http" and (exc.status == 404 or exc.status >= 500)


def wait_until_ready(probe, timeout, interval):
    """Call ``probe()`` until it passes; return (its result, seconds taken).

    Retryable failures are retried until ``timeout``, then the last one is raised.
    """
    started = time.monotonic()
    while True:
        try:
            return probe(), round(time.monotonic() - started, 3)
        except InferenceHTTPError as exc:
            waited = time.monotonic() - started
            if not _retryable(exc) or waited + interval > timeout:
                raise InferenceHTTPError("not ready after %.1fs: %s" % (waited, exc), exc.kind, exc.status)
        time.sleep(interval)


def run_checks(client, options, tensors):
    result = {"changed": False}
    model_path = "/v2/models/" + urllib.parse.quote(options["model"], safe="")
    try:
        def probe():
            client.call("GET", "/v2/health/ready")
            client.call("GET", model_path + "/ready")

        dummy, result["ready_after_s"] = wait_until_ready(probe, options["timeout"], options["poll_interval"])
        result["model_metadata"] = client.get_json(model_path)
        if tensors is not None:
            _infer(client, model_path + "/infer", options, tensors, result)
        if options["ovms_v1"]:
            result["ovms_config"] = client.get_json("/v1/config")
            result["ovms_model_metadata"] = client.get_json(
                "/v1/models/%s/metadata" % urllib.parse.quote(options["model"], safe=""))
        if options["metrics"]:
            text = client.call("GET", options["metrics_path"]).body.decode("utf-8", "replace")
            result["metrics"] = select_series(parse_samples(text), options["metrics"])
    except (InferenceHTTPError, ProtocolError, MetricsParseError) as exc:
        raise CheckFailed(str(exc), result)
    return result


def _infer(client, infer_path, options, tensors, result):
    body, headers = build_request(tensors, options["outputs"], options["binary_outputs"])
    started = time.perf_counter()
    reply = client.call("POST", infer_path, body, headers)
    result["latency_ms"] = (time.perf_counter() - started) * 1000.0
    response = parse_response(reply.body, reply.headers)
    result["response_id"] = response.get("id")
    result["model_version"] = response.get("model_version")
    result["outputs"] = [
        dict((k, output.get(k)) for k in ("name", "datatype", "shape", "data"))
        for output in response.get("outputs", [])
    ]
    _rank_classes(options, result)
    if options["load"]:
        _load(client, infer_path, body, headers, options["load"], result)


def _rank_classes(options, result):
    if not (options["top_k"] or options["labels"] or options["expected_class"] is not None):
        return
    scored = [o for o in result["outputs"] if o["datatype"] != "BYTES"]
    result["classes"] = dict((o["name"], rank(o, options["top_k"], options["labels"])) for o in scored)
    if options["expected_class"] is None:
        return
    name = options["class_output"] or (scored[0]["name"] if scored else None)
    if name not in result["classes"]:
        raise CheckFailed("class_output: no numeric output named %r in the response (got %s)"
                          % (name, ", ".join(o["name"] for o in result["outputs"]) or "none"), result)
    message = expected_class_error(options["expected_class"], name, result["classes"][name])
    if message:
        raise CheckFailed(message, result)


def _load(client, infer_path, body, headers, load, result):
    def send():
        client.call("POST", infer_path, body, headers)

    run_load_gate(send, load, result)


def run_load_gate(send, load, result):
    """Run the ``load`` option's requests into ``result["load"]``; fail past ``max_errors``."""
    result["load"] = run_load(send, load["requests"], load["concurrency"], load["max_duration"])
    if result["load"]["errors"] > load["max_errors"]:
        raise CheckFailed("load: %d of %d requests failed (max_errors %d); first error: %s" % (
            result["load"]["errors"], result["load"]["sent"], load["max_errors"], result["load"]["first_error"]), result)
