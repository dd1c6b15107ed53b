# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The LLM health gate behind the llm_request module, over the OpenAI-compatible
API that vLLM and KServe serve: the model list, one completion or chat
completion with its text checks, streaming with time to first token and
output tokens per second, and bounded load.

``check_llm_options`` raises before any request; ``run_llm_checks`` only reads
from the server, so it is safe in check mode.
"""

import json
import re
import time

from ansible_collections.edgeai.serving.plugins.module_utils.inference.checks import (
    CheckFailed,
    check_common_options,
    run_load_gate,
    wait_until_ready,
)
from ansible_collections.edgeai.serving.plugins.module_utils.inference.transport import InferenceHTTPError
from ansible_collections.edgeai.serving.plugins.module_utils.inference.inputs import InputSpecError
from ansible_collections.edgeai.serving.plugins.module_utils.inference.protocol import ProtocolError

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
# Completion text quoted in failure messages is cut to this many characters.
QUOTE_LIMIT = 500
TEXT_CHECKS = ("expected_text", "expected_regex", "expected_finish_reason")


def check_llm_options(options):
    """Raise InputSpecError naming the field on bad input."""
    check_common_options(options)
    if not options["base_path"].startswith("/"):
        raise InputSpecError("base_path: must start with /, got %r" % options["base_path"])
    if options["max_tokens"] < 1:
        raise InputSpecError("max_tokens: must be 1 or more, got %d" % options["max_tokens"])
    if options["expected_regex"] is not None:
        try:
            re.compile(options["expected_regex"])
        except re.error as exc:
            raise InputSpecError("expected_regex: not a valid regular expression: %s" % exc)
    if options["messages"] is not None and options["api"] != "chat":
        raise InputSpecError("messages: only apply with api: chat; give prompt for api: %s" % options["api"])
    needs_prompt = [k for k in TEXT_CHECKS + ("load",) if options[k] is not None]
    if options["stream"]:
        needs_prompt.append("stream")
    if options["prompt"] is None and options["messages"] is None and needs_prompt:
        raise InputSpecError("%s: needs prompt or messages to send a request" % ", ".join(needs_prompt))


def request_body(options, stream):
    body = {"model": options["model"], "max_tokens": options["max_tokens"], "temperature": options["temperature"]}
    if options["api"] == "chat":
        body["messages"] = options["messages"] or [{"role": "user", "content": options["prompt"]}]
    else:
        body["prompt"] = options["prompt"]
    if stream:
        # include_usage makes vLLM send the exact token count in a last chunk.
        body.update(stream=True, stream_options={"include_usage": True})
    return json.dumps(body).encode("utf-8")


def _choice_text(choice):
    """Text of a completion choice, a chat message or a streamed chat delta."""
    if "text" in choice:
        return choice["text"] or ""
    message = choice.get("message") or choice.get("delta") or {}
    return message.get("content") or ""


def _first_choice(response):
    choices = response.get("choices") if isinstance(response, dict) else None
    if not choices or not isinstance(choices[0], dict):
        raise ProtocolError("response has no choices: %s" % json.dumps(response)[:QUOTE_LIMIT])
    return choices[0]


def complete(client, path, body):
    """One non-streaming request: text, finish_reason, usage and latency."""
    started = time.perf_counter()
    response = client.call("POST", path, body, JSON_HEADERS).json()
    latency_ms = (time.perf_counter() - started) * 1000.0
    choice = _first_choice(response)
    return {"text": _choice_text(choice), "finish_reason": choice.get("finish_reason"),
            "usage": response.get("usage"), "response_id": response.get("id"), "latency_ms": latency_ms}


def _events(lines):
    """JSON payloads of server-sent ``data:`` lines, up to ``data: [DONE]``."""
    for raw in lines:
        line = raw.decode("utf-8", "replace").strip()
        if not line.startswith("data:"):
            continue
        data = line[len("data:"):].strip()
        if data == "[DONE]":
            return
        try:
            event = json.loads(data)
        except ValueError:
            raise ProtocolError("stream event is not JSON: %s" % data[:QUOTE_LIMIT])
        if isinstance(event, dict) and event.get("error"):
            error = event["error"]
            raise ProtocolError("stream error: %s" % (error.get("message", error) if isinstance(error, dict) else error))
        yield event
    raise ProtocolError("stream ended without data: [DONE]")


def stream(client, path, body):
    """One streaming request, timed: time to first token, total time, tokens per second.

    Output tokens are the server's ``usage.completion_tokens`` when it sends
    usage, otherwise the number of chunks that carried text (one token each on vLLM).
    """
    started = time.perf_counter()
    first = None
    parts, finish_reason, usage, response_id = [], None, None, None
    for event in _events(client.stream_lines("POST", path, body, JSON_HEADERS)):
        response_id = response_id or event.get("id")
        usage = event.get("usage") or usage
        for choice in event.get("choices") or []:
            piece = _choice_text(choice)
            if piece:
                first = first or time.perf_counter()
                parts.append(piece)
            finish_reason = choice.get("finish_reason") or finish_reason
    ended = time.perf_counter()
    if first is None:
        raise ProtocolError("stream carried no text")
    tokens = (usage or {}).get("completion_tokens") or len(parts)
    total_s = ended - started
    return {
        "text": "".join(parts), "finish_reason": finish_reason, "usage": usage, "response_id": response_id,
        "latency_ms": total_s * 1000.0,
        "stream": {
            "ttft_ms": (first - started) * 1000.0,
            "total_ms": total_s * 1000.0,
            "output_tokens": tokens,
            "tokens_counted_from": "usage" if (usage or {}).get("completion_tokens") else "chunks",
            "output_tokens_per_s": tokens / total_s if total_s > 0 else None,
        },
    }


def _quote(text):
    return json.dumps(text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT] + "...")


def text_check_error(options, answer):
    """Message for the first failed check of the answer, or None."""
    text = answer["text"]
    if options["expected_text"] is not None and options["expected_text"] not in text:
        return "expected_text %s is not in the answer %s" % (_quote(options["expected_text"]), _quote(text))
    if options["expected_regex"] is not None and not re.search(options["expected_regex"], text):
        return "expected_regex %s does not match the answer %s" % (_quote(options["expected_regex"]), _quote(text))
    reason = options["expected_finish_reason"]
    if reason is not None and answer["finish_reason"] != reason:
        return "expected_finish_reason %r, got %r (answer %s)" % (reason, answer["finish_reason"], _quote(text))
    tokens = (answer["usage"] or {}).get("completion_tokens")
    if tokens is not None and tokens > options["max_tokens"]:
        return "the server generated %d tokens, more than max_tokens %d" % (tokens, options["max_tokens"])
    return None


def run_llm_checks(client, options):
    result = {"changed": False}
    base = options["base_path"].rstrip("/")
    try:
        listing, result["ready_after_s"] = wait_until_ready(
            lambda: client.get_json(base + "/models"), options["timeout"], options["poll_interval"])
        if not (isinstance(listing, dict) and isinstance(listing.get("data"), list)):
            raise CheckFailed("%s%s/models is not an OpenAI-compatible model list (check base_path): %s" % (
                client.base_url, base, json.dumps(listing)[:QUOTE_LIMIT]), result)
        result["models"] = [m.get("id") for m in listing["data"] if isinstance(m, dict)]
        if options["model"] not in result["models"]:
            raise CheckFailed("model %r is not served: %s%s/models lists %s" % (
                options["model"], client.base_url, base, ", ".join(map(str, result["models"])) or "no model"), result)
        if options["prompt"] is None and options["messages"] is None:
            return result
        path = base + ("/chat/completions" if options["api"] == "chat" else "/completions")
        send = stream if options["stream"] else complete
        answer = send(client, path, request_body(options, options["stream"]))
        result.update(answer)
        message = text_check_error(options, answer)
        if message:
            raise CheckFailed(message, result)
        if options["load"]:
            # Load requests stream, so that time to first token gets percentiles too.
            load_body = request_body(options, True)
            run_load_gate(lambda: {"ttft": stream(client, path, load_body)["stream"]["ttft_ms"]},
                          options["load"], result)
    except (InferenceHTTPError, ProtocolError) as exc:
        raise CheckFailed(str(exc), result)
    return result
