"""edgeai.serving.llm_request against KServe's real OpenAI-compatible endpoints.

The server (tiny_llm_server.py) answers with the prompt's words reversed, one
word per token, over HTTPS with a bearer token, under /openai/v1.
"""

import json

import pytest

MODULE = "edgeai.serving.llm_request"
PROMPT = "edge to cloud and back"
ANSWER = "back and cloud to edge"


@pytest.fixture
def run_llm(run_module, llm_server, tls_files):
    """llm_request against the test LLM server, with its CA and token unless overridden."""
    def run(args, **kwargs):
        full = {"url": llm_server.url, "base_path": "/openai/v1", "model": "tiny-llm",
                "ca_cert": tls_files["ca"], "token": llm_server.token}
        full.update(args)
        return run_module(dict((k, v) for k, v in full.items() if v is not None), module=MODULE, **kwargs)
    return run


def test_model_list_only(run_llm, llm_server):
    rc, result = run_llm({}, verbose=True)
    assert rc == 0, result
    assert result["changed"] is False
    assert result["models"] == ["tiny-llm"]
    assert "text" not in result
    assert result["invocation"]["module_args"]["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert llm_server.token not in json.dumps(result)


def test_completion(run_llm):
    rc, result = run_llm({"api": "completion", "prompt": PROMPT, "expected_text": "cloud to",
                          "expected_finish_reason": "stop"})
    assert rc == 0, result
    assert result["text"] == ANSWER
    assert result["finish_reason"] == "stop"
    assert result["usage"] == {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10}
    assert result["response_id"].startswith("cmpl-")


def test_chat_completion_uses_the_last_message(run_llm):
    rc, result = run_llm({"messages": [{"role": "system", "content": "you reverse words"},
                                       {"role": "user", "content": "one two three"}],
                          "expected_regex": r"^three two one$"})
    assert rc == 0, result
    assert result["text"] == "three two one"
    assert result["response_id"].startswith("chatcmpl-")


def test_max_tokens_cuts_the_answer_and_the_finish_reason_is_checked(run_llm):
    rc, result = run_llm({"prompt": PROMPT, "max_tokens": 2, "expected_finish_reason": "stop"})
    assert rc != 0
    assert result["msg"] == "expected_finish_reason 'stop', got 'length' (answer \"back and\")"
    assert result["usage"]["completion_tokens"] == 2


def test_streaming_times_the_first_token(run_llm):
    rc, result = run_llm({"prompt": PROMPT, "stream": True, "max_tokens": 8, "expected_text": ANSWER})
    assert rc == 0, result
    assert result["text"] == ANSWER
    assert result["finish_reason"] == "stop"
    stream = result["stream"]
    # The test server sends no usage in streams: the five words are five chunks.
    assert (stream["output_tokens"], stream["tokens_counted_from"]) == (5, "chunks")
    assert 0 < stream["ttft_ms"] < stream["total_ms"]
    assert stream["output_tokens_per_s"] == pytest.approx(5 / (stream["total_ms"] / 1000.0))


def test_text_mismatch_shows_what_came_back(run_llm):
    rc, result = run_llm({"api": "completion", "prompt": PROMPT, "stream": True, "expected_text": "hello"})
    assert rc != 0
    assert result["msg"] == 'expected_text "hello" is not in the answer "%s"' % ANSWER
    assert result["text"] == ANSWER


def test_model_the_server_does_not_list(run_llm, llm_server):
    rc, result = run_llm({"model": "granite", "prompt": PROMPT})
    assert rc != 0
    assert result["msg"] == "model 'granite' is not served: %s/openai/v1/models lists tiny-llm" % llm_server.url
    assert result["models"] == ["tiny-llm"]


def test_missing_token_is_a_401_at_once(run_llm):
    # A 401 is final: retrying it until this timeout would outlast run_module's own limit.
    rc, result = run_llm({"token": None, "prompt": PROMPT, "timeout": 600})
    assert rc != 0
    assert "/openai/v1/models returned HTTP 401: missing or wrong bearer token" in result["msg"]


def test_base_path_is_where_the_api_is(run_llm, llm_server):
    # vLLM's /v1 is KServe's own v1 protocol, whose model list is not OpenAI's.
    rc, result = run_llm({"base_path": "/v1"})
    assert rc != 0
    assert result["msg"] == ('%s/v1/models is not an OpenAI-compatible model list (check base_path): '
                             '{"models": ["tiny-llm"]}' % llm_server.url)


def test_server_down(run_module, closed_port_url):
    rc, result = run_module({"url": closed_port_url, "model": "tiny-llm", "prompt": PROMPT,
                             "timeout": 1, "poll_interval": 0.5}, module=MODULE)
    assert rc != 0
    assert "cannot connect to %s/v1/models" % closed_port_url in result["msg"]
    assert "Connection refused" in result["msg"]


def test_bad_input_is_named_before_any_request(run_module, closed_port_url):
    rc, result = run_module({"url": closed_port_url, "model": "tiny-llm", "api": "completion",
                             "messages": [{"role": "user", "content": "hi"}]}, module=MODULE)
    assert rc != 0
    assert result["msg"] == "messages: only apply with api: chat; give prompt for api: completion"


def test_load_percentiles_of_ttft_and_latency(run_llm):
    rc, result = run_llm({"api": "completion", "prompt": PROMPT,
                          "load": {"requests": 30, "concurrency": 3, "max_duration": 120}}, check=True)
    assert rc == 0, result
    load, ttft = result["load"], result["load"]["ttft"]
    figures = (load["sent"], load["concurrency"], ttft["p50_ms"], ttft["p95_ms"], ttft["p99_ms"],
               load["p50_ms"], load["p95_ms"], load["p99_ms"])
    print("\nllm load over %d requests at concurrency %d: ttft p50/p95/p99 %.1f/%.1f/%.1f ms, "
          "latency p50/p95/p99 %.1f/%.1f/%.1f ms" % figures)
    assert (load["sent"], load["succeeded"], load["errors"]) == (30, 30, 0)
    assert 0 < ttft["min_ms"] <= ttft["p50_ms"] <= ttft["p95_ms"] <= ttft["p99_ms"] <= ttft["max_ms"]
    assert 0 < load["min_ms"] <= load["p50_ms"] <= load["p95_ms"] <= load["p99_ms"] <= load["max_ms"]
    # Each request's first token comes before its end.
    assert ttft["min_ms"] < load["max_ms"] and ttft["max_ms"] <= load["max_ms"]
