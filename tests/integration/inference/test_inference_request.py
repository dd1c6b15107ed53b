"""edgeai.serving.inference_request against real v2 servers.

Tests that take ``v2_server`` run twice: against KServe's Python server and
against Triton. The rest use features only the KServe test server has (an
OVMS v1 stand-in, TLS, a token, a never-ready model, KServe's metric names).
"""

import json

import pytest

COLORS = {"red": (230, 20, 10), "green": (15, 220, 30), "blue": (20, 25, 240)}
LABELS = ["red", "green", "blue"]
X_INPUT = {"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [[1.0, 2.0, 3.0]]}
# Each server's own words for a bad request.
BAD_REQUEST_TEXT = {
    "kserve": {"name": "expected one input named 'x', got ['y']",
               "shape": "input 'x' must have shape [N, 3], got [1, 2]"},
    "triton": {"name": "unexpected inference input 'y' for model 'linear'",
               "shape": "unexpected shape for input 'x' for model 'linear'. Expected [-1,3], got [1,2]"},
}
# The seed004 models' class of conftest.SEED004_RGB: (R//32)*64 + (G//32)*8 + B//32 = 4*64 + 6*8 + 5.
SEED004_CLASS = 309


def outputs_by_name(result):
    return dict((o["name"], o) for o in result["outputs"])


def test_ready_and_metadata(run_module, v2_server):
    rc, result = run_module({"url": v2_server.url, "model": "linear"})
    assert rc == 0, result
    assert result["changed"] is False
    assert result["ready_after_s"] >= 0
    assert result["model_metadata"]["name"] == "linear"
    assert result["model_metadata"]["inputs"] == [{"name": "x", "datatype": "FP32", "shape": [-1, 3]}]
    assert "outputs" not in result


def test_json_tensors_and_top_k(run_module, v2_server):
    rc, result = run_module({"url": v2_server.url, "model": "linear", "inputs": [X_INPUT], "top_k": 2})
    assert rc == 0, result
    scores = outputs_by_name(result)["scores"]
    assert scores["shape"] == [1, 4]
    assert scores["data"] == [1.5, 4.0, 9.0, 6.0]
    ranking = result["classes"]["scores"]
    assert ranking["argmax"] == 2
    assert [entry["index"] for entry in ranking["top_k"]] == [2, 3]
    assert result["latency_ms"] > 0


def test_binary_tensors_both_ways(run_module, v2_server):
    rc, result = run_module({
        "url": v2_server.url, "model": "linear", "binary_outputs": True,
        "inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "binary_data": True,
                    "data": [[1, 2, 3], [3, 2, 1]]}],
    })
    assert rc == 0, result
    scores = outputs_by_name(result)["scores"]
    assert scores["shape"] == [2, 4]
    assert scores["data"] == [1.5, 4.0, 9.0, 6.0, 3.5, 4.0, 3.0, 6.0]


def test_inputs_from_request_file(run_module, v2_server, tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3],
                                               "data": [0, 0, 1]}]}))
    rc, result = run_module({"url": v2_server.url, "model": "linear", "inputs_file": str(request),
                             "expected_class": "2"})
    assert rc == 0, result
    assert outputs_by_name(result)["scores"]["data"] == [0.5, 0.0, 3.0, 1.0]
    assert result["classes"]["scores"]["argmax"] == 2


@pytest.mark.parametrize("color,binary_outputs", [("red", False), ("green", True), ("blue", False)])
def test_image_bytes_through_binary_extension(run_module, v2_server, image_file, color, binary_outputs):
    rc, result = run_module({
        "url": v2_server.url, "model": "color",
        "inputs": [{"name": "image", "datatype": "BYTES", "shape": [1], "file": image_file(COLORS[color])}],
        "labels": LABELS, "top_k": 3, "expected_class": color, "binary_outputs": binary_outputs,
    })
    assert rc == 0, result
    outputs = outputs_by_name(result)
    assert outputs["label"]["data"] == [color]
    assert result["classes"]["probabilities"]["label"] == color
    assert [entry["label"] for entry in result["classes"]["probabilities"]["top_k"]][0] == color
    assert "label" not in result["classes"]


def test_expected_class_mismatch_fails_with_both_classes(run_module, v2_server, image_file):
    rc, result = run_module({
        "url": v2_server.url, "model": "color", "labels": LABELS, "expected_class": "blue",
        "inputs": [{"name": "image", "datatype": "BYTES", "shape": [1], "file": image_file(COLORS["red"])}],
    })
    assert rc != 0
    assert "expected class 'blue' from output 'probabilities', got 'red' (index 0)" in result["msg"]
    assert result["outputs"], "the outputs seen should be returned with the failure"


def test_model_not_ready_reports_server_text(run_module, model_server):
    rc, result = run_module({"url": model_server.url, "model": "never_ready", "timeout": 2, "poll_interval": 0.5})
    assert rc != 0
    assert "not ready after" in result["msg"]
    assert "HTTP 503" in result["msg"]
    assert "Model with name never_ready is not ready." in result["msg"]


def test_wrong_input_name_surfaces_400(run_module, v2_server):
    rc, result = run_module({"url": v2_server.url, "model": "linear",
                             "inputs": [dict(X_INPUT, name="y")]})
    assert rc != 0
    assert "HTTP 400" in result["msg"]
    assert BAD_REQUEST_TEXT[v2_server.name]["name"] in result["msg"]


def test_wrong_shape_surfaces_400(run_module, v2_server):
    rc, result = run_module({"url": v2_server.url, "model": "linear",
                             "inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [1, 2]}]})
    assert rc != 0
    assert "HTTP 400" in result["msg"]
    assert BAD_REQUEST_TEXT[v2_server.name]["shape"] in result["msg"]


def test_bad_input_is_rejected_before_any_request(run_module, closed_port_url):
    # Nothing listens there: a request would fail with a connection error instead.
    rc, result = run_module({"url": closed_port_url, "model": "linear",
                             "inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [1, 2]}]})
    assert rc != 0
    assert result["msg"] == "inputs[0].data: shape [1, 3] needs 3 elements, got 2"


def test_server_down_is_connection_refused(run_module, closed_port_url):
    rc, result = run_module({"url": closed_port_url, "model": "linear",
                             "timeout": 1, "poll_interval": 0.5})
    assert rc != 0
    assert "cannot connect to http://127.0.0.1:" in result["msg"]
    assert "Connection refused" in result["msg"]


def test_tls_with_right_ca_and_token(run_module, tls_model_server, tls_files, image_file):
    rc, result = run_module({
        "url": tls_model_server.url, "model": "color", "ca_cert": tls_files["ca"], "token": tls_model_server.token,
        "labels": LABELS, "expected_class": "green",
        "inputs": [{"name": "image", "datatype": "BYTES", "shape": [1], "file": image_file(COLORS["green"])}],
    })
    assert rc == 0, result
    assert outputs_by_name(result)["label"]["data"] == ["green"]


@pytest.mark.parametrize("ca", ["wrong_ca", None])
def test_tls_untrusted_certificate_fails_clearly(run_module, tls_model_server, tls_files, ca):
    # TLS failures are final: retrying until this timeout would outlast run_module's own limit.
    args = {"url": tls_model_server.url, "model": "linear", "timeout": 600}
    if ca:
        args["ca_cert"] = tls_files[ca]
    rc, result = run_module(args)
    assert rc != 0
    assert "TLS error talking to %s/v2/health/ready" % tls_model_server.url in result["msg"]
    assert "CERTIFICATE_VERIFY_FAILED" in result["msg"]


def test_load_reports_percentiles(run_module, v2_server):
    rc, result = run_module({"url": v2_server.url, "model": "linear", "inputs": [X_INPUT],
                             "load": {"requests": 60, "concurrency": 4, "max_duration": 120}})
    assert rc == 0, result
    load = result["load"]
    print("\n%s load p50/p95/p99 ms: %.2f / %.2f / %.2f over %d requests at concurrency %d" % (
        v2_server.name, load["p50_ms"], load["p95_ms"], load["p99_ms"], load["sent"], load["concurrency"]))
    assert (load["sent"], load["succeeded"], load["errors"]) == (60, 60, 0)
    assert 0 < load["min_ms"] <= load["p50_ms"] <= load["p95_ms"] <= load["p99_ms"] <= load["max_ms"]


def test_load_errors_fail_the_gate(run_module, v2_server):
    # flaky fails its even-numbered requests and only this test calls it: request 1 is
    # the checked inference, requests 2..11 the load, so 5 of the 10 load requests fail.
    rc, result = run_module({"url": v2_server.url, "model": "flaky", "inputs": [X_INPUT],
                             "load": {"requests": 10, "concurrency": 2, "max_errors": 4}})
    assert rc != 0
    assert result["msg"].startswith("load: 5 of 10 requests failed (max_errors 4); first error: POST ")
    assert "returned HTTP 500: " in result["msg"] and "flaky: request " in result["msg"]
    assert (result["load"]["errors"], result["load"]["succeeded"]) == (5, 5)


def test_ovms_v1_endpoints(run_module, model_server):
    rc, result = run_module({"url": model_server.url, "model": "linear", "ovms_v1": True})
    assert rc == 0, result
    assert result["ovms_config"]["linear"]["model_version_status"][0]["state"] == "AVAILABLE"
    assert result["ovms_model_metadata"]["modelSpec"]["name"] == "linear"


def test_metrics_series_after_inference(run_module, model_server):
    rc, result = run_module({"url": model_server.url, "model": "linear", "inputs": [X_INPUT],
                             "metrics": ["request_predict_seconds", "no_such_metric"]})
    assert rc == 0, result
    samples = result["metrics"]["request_predict_seconds"]
    counts = [s for s in samples if s["name"] == "request_predict_seconds_count"
              and s["labels"].get("model_name") == "linear"]
    assert counts and counts[0]["value"] >= 1
    assert any(s["labels"].get("le") == "+Inf" for s in samples)
    assert result["metrics"]["no_such_metric"] == []


def test_check_mode_runs_and_never_changes(run_module, v2_server):
    rc, result = run_module({"url": v2_server.url, "model": "linear", "inputs": [X_INPUT]}, check=True)
    assert rc == 0, result
    assert result["changed"] is False
    assert outputs_by_name(result)["scores"]["data"] == [1.5, 4.0, 9.0, 6.0]


def test_token_is_never_returned(run_module, model_server):
    token = "sekrit-token-value-42"
    rc, result = run_module({"url": model_server.url, "model": "linear", "token": token}, verbose=True)
    assert rc == 0, result
    assert result["invocation"]["module_args"]["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert token not in json.dumps(result)


def test_missing_token_fails_at_once_with_the_401_text(run_module, tls_model_server, tls_files):
    # A 401 is final: retrying it until this timeout would outlast run_module's own limit.
    rc, result = run_module({"url": tls_model_server.url, "model": "linear", "ca_cert": tls_files["ca"],
                             "timeout": 600})
    assert rc != 0
    assert "returned HTTP 401: missing or wrong bearer token" in result["msg"]


def test_tls_validation_can_be_turned_off_explicitly(run_module, tls_model_server):
    rc, result = run_module({"url": tls_model_server.url, "model": "linear", "validate_certs": False,
                             "token": tls_model_server.token, "inputs": [X_INPUT]})
    assert rc == 0, result
    assert outputs_by_name(result)["scores"]["data"] == [1.5, 4.0, 9.0, 6.0]


def test_unreadable_ca_cert_is_named(run_module, tls_model_server, tmp_path):
    bogus = tmp_path / "not-a-ca.pem"
    bogus.write_text("not a certificate\n")
    rc, result = run_module({"url": tls_model_server.url, "model": "linear", "ca_cert": str(bogus)})
    assert rc != 0
    assert result["msg"].startswith("ca_cert: cannot load %s" % bogus)


# How each server describes seed004's input "0": KServe's stand-in as OVMS does,
# Triton as its model config says.
SEED004_METADATA = {
    "kserve": {"name": "0", "datatype": "FP32", "shape": [1, 224, 224, 3]},
    "triton": {"name": "0", "datatype": "BYTES", "shape": [1]},
}


def test_seed004_request_shape(run_module, v2_server, seed004_jpeg):
    # Seed 004's task as written: a JPEG as BYTES [1] in input "0", class by index.
    rc, result = run_module({
        "url": v2_server.url, "model": "seed004", "top_k": 1, "expected_class": str(SEED004_CLASS),
        "inputs": [{"name": "0", "datatype": "BYTES", "shape": [1], "file": seed004_jpeg}],
    })
    assert rc == 0, result
    assert result["model_metadata"]["inputs"] == [SEED004_METADATA[v2_server.name]]
    scores = outputs_by_name(result)["1463"]
    assert (scores["datatype"], scores["shape"], len(scores["data"])) == ("FP32", [1, 1000], 1000)
    assert result["classes"]["1463"]["argmax"] == SEED004_CLASS
