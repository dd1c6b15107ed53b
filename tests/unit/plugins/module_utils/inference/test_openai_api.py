import json

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.inference.inputs import InputSpecError
from ansible_collections.edgeai.serving.plugins.module_utils.inference.openai_api import (
    _events,
    check_llm_options,
    request_body,
    stream,
    text_check_error,
)
from ansible_collections.edgeai.serving.plugins.module_utils.inference.protocol import ProtocolError


def options(**overrides):
    base = dict(url="http://127.0.0.1:8080", model="m", timeout=5, poll_interval=1, request_timeout=10,
                base_path="/v1", api="chat", prompt=None, messages=None, max_tokens=16, temperature=0.0,
                stream=False, expected_text=None, expected_regex=None, expected_finish_reason=None, load=None)
    base.update(overrides)
    return base


def test_listing_only_needs_no_prompt():
    check_llm_options(options())


@pytest.mark.parametrize("overrides,message", [
    (dict(base_path="v1"), "base_path: must start with /, got 'v1'"),
    (dict(prompt="hi", max_tokens=0), "max_tokens: must be 1 or more, got 0"),
    (dict(prompt="hi", expected_regex="("), "expected_regex: not a valid regular expression"),
    (dict(api="completion", messages=[{"role": "user", "content": "hi"}]), "messages: only apply with api: chat"),
    (dict(expected_text="x", stream=True), "expected_text, stream: needs prompt or messages"),
    (dict(load={"requests": 1, "concurrency": 1, "max_duration": 1}), "load: needs prompt or messages"),
    (dict(prompt="hi", load={"requests": 0, "concurrency": 1, "max_duration": 1}), "load.requests"),
    (dict(url="127.0.0.1"), "url: must start with http:// or https://"),
])
def test_bad_options_are_named(overrides, message):
    with pytest.raises(InputSpecError, match=message.replace("(", r"\(")):
        check_llm_options(options(**overrides))


def test_chat_body_wraps_the_prompt_and_streaming_asks_for_usage():
    body = json.loads(request_body(options(prompt="hi", max_tokens=3), stream=True))
    assert body == {"model": "m", "max_tokens": 3, "temperature": 0.0, "stream": True,
                    "stream_options": {"include_usage": True},
                    "messages": [{"role": "user", "content": "hi"}]}


def test_completion_body_sends_the_prompt():
    body = json.loads(request_body(options(api="completion", prompt="hi"), stream=False))
    assert body == {"model": "m", "max_tokens": 16, "temperature": 0.0, "prompt": "hi"}


def sse(*events):
    lines = [b": keep-alive\n", b"\n"]
    for event in events:
        lines += [b"data: " + (event if isinstance(event, bytes) else json.dumps(event).encode()) + b"\n", b"\n"]
    return lines


def test_events_stop_at_done():
    assert list(_events(sse({"a": 1}, {"b": 2}, b"[DONE]", {"c": 3}))) == [{"a": 1}, {"b": 2}]


@pytest.mark.parametrize("lines,message", [
    (sse({"a": 1}), "stream ended without data: [DONE]"),
    (sse(b"not json"), "stream event is not JSON: not json"),
    (sse({"error": {"message": "out of memory"}}), "stream error: out of memory"),
])
def test_broken_streams_are_protocol_errors(lines, message):
    with pytest.raises(ProtocolError, match=message.replace("[", r"\[")):
        list(_events(lines))


class ReplayClient:
    """Hands stream() a recorded event stream, as InferenceClient.stream_lines would."""

    def __init__(self, lines):
        self.lines = lines

    def stream_lines(self, method, path, body=None, headers=None):
        return iter(self.lines)


def chunk(content=None, finish=None, usage=None):
    event = {"id": "c1", "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]}
    if usage:
        event = {"id": "c1", "choices": [], "usage": usage}
    return event


def test_stream_counts_tokens_from_usage_when_sent():
    lines = sse(chunk("Pa"), chunk("ris"), chunk("", "stop"), chunk(usage={"completion_tokens": 7}), b"[DONE]")
    answer = stream(ReplayClient(lines), "/v1/chat/completions", b"{}")
    assert (answer["text"], answer["finish_reason"], answer["response_id"]) == ("Paris", "stop", "c1")
    assert (answer["stream"]["output_tokens"], answer["stream"]["tokens_counted_from"]) == (7, "usage")
    assert 0 <= answer["stream"]["ttft_ms"] <= answer["stream"]["total_ms"]


def test_stream_counts_text_chunks_without_usage():
    completion = {"id": "x", "choices": [{"index": 0, "text": " word", "finish_reason": None}]}
    answer = stream(ReplayClient(sse(completion, completion, b"[DONE]")), "/v1/completions", b"{}")
    assert (answer["text"], answer["stream"]["output_tokens"]) == (" word word", 2)
    assert answer["stream"]["tokens_counted_from"] == "chunks"


def test_stream_without_text_fails():
    with pytest.raises(ProtocolError, match="stream carried no text"):
        stream(ReplayClient(sse(chunk("", "stop"), b"[DONE]")), "/v1/chat/completions", b"{}")


def answer(text="cloud to edge", finish="stop", tokens=3):
    return {"text": text, "finish_reason": finish, "usage": {"completion_tokens": tokens}}


@pytest.mark.parametrize("overrides,reply,message", [
    (dict(expected_text="edge"), answer(), None),
    (dict(expected_text="Edge"), answer(), 'expected_text "Edge" is not in the answer "cloud to edge"'),
    (dict(expected_regex="^cloud"), answer(), None),
    (dict(expected_regex="^edge"), answer(), 'expected_regex "^edge" does not match the answer "cloud to edge"'),
    (dict(expected_finish_reason="stop"), answer(finish="length"),
     "expected_finish_reason 'stop', got 'length' (answer \"cloud to edge\")"),
    (dict(max_tokens=2), answer(), "the server generated 3 tokens, more than max_tokens 2"),
    (dict(max_tokens=2), dict(answer(), usage=None), None),
])
def test_text_checks(overrides, reply, message):
    assert text_check_error(options(**overrides), reply) == message


def test_long_answers_are_cut_in_messages():
    message = text_check_error(options(expected_text="zzz"), answer(text="a" * 2000))
    assert message.endswith('"' + "a" * 500 + '..."')
