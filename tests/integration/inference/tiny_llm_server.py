"""Tiny generative model behind KServe's OpenAI-compatible endpoints, for the
llm_request integration tests.

Runs under the llm-server venv (KServe 0.14.1, see llm-server-requirements.txt),
never under the test venv. KServe serves the model under /openai/v1: the model
list, completions and chat completions, streamed as server-sent events or not.

The model ``tiny-llm`` is made here, not downloaded: its answer to a prompt (or
to the last chat message) is the prompt's words in reverse order, one word per
token, so every answer is known in advance. It stops with ``length`` after
``max_tokens`` words, else with ``stop``. A short pause before the first word and
between words stands in for prefill and decode, so timings are not all zero.
With ``--token`` every route wants that bearer token; with ``--certfile`` and
``--keyfile`` it serves HTTPS. It binds 127.0.0.1 only.
"""

import asyncio
import time
import uuid

import kserve
import kserve.model_server
from kserve.protocol.rest.openai import OpenAIModel
from kserve.protocol.rest.openai.types import (
    ChatCompletion,
    ChatCompletionChoice,
    ChatCompletionChunk,
    ChatCompletionResponseMessage,
    ChoiceDelta,
    ChunkChoice,
    Completion,
    CompletionChoice,
    CompletionUsage,
)
from kserve.protocol.rest.server import RESTServer
from server_helpers import require_bearer_token, server_arguments

PREFILL_S = 0.02
PER_TOKEN_S = 0.005


class LoopbackRESTServer(RESTServer):
    """KServe 0.14's REST server, bound to loopback, optionally with TLS."""

    certfile = keyfile = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        config = self._server.config
        config.host = "127.0.0.1"
        config.ssl_certfile, config.ssl_keyfile = self.certfile, self.keyfile


def _content_text(content):
    if isinstance(content, str):
        return content
    return " ".join(getattr(part, "text", "") for part in content or [])


class ReverseWordsModel(OpenAIModel):
    def __init__(self):
        super().__init__("tiny-llm")

    @staticmethod
    def _generate(prompt, max_tokens):
        words = list(reversed(prompt.split()))
        limit = max_tokens if max_tokens is not None else len(words)
        return words[:limit], "length" if len(words) > limit else "stop", len(prompt.split())

    @staticmethod
    async def _tokens(words):
        await asyncio.sleep(PREFILL_S)
        for i, word in enumerate(words):
            if i:
                await asyncio.sleep(PER_TOKEN_S)
            yield (" " if i else "") + word

    async def create_completion(self, request):
        params = request.params
        words, finish, prompt_tokens = self._generate(params.prompt, params.max_tokens)
        rid, created = "cmpl-" + uuid.uuid4().hex, int(time.time())
        if params.stream:
            async def chunks():
                async for piece in self._tokens(words):
                    yield Completion(id=rid, created=created, model=self.name, object="text_completion",
                                     choices=[CompletionChoice(index=0, text=piece, logprobs=None, finish_reason=None)])
                yield Completion(id=rid, created=created, model=self.name, object="text_completion",
                                 choices=[CompletionChoice(index=0, text="", logprobs=None, finish_reason=finish)])
            return chunks()
        text = "".join([piece async for piece in self._tokens(words)])
        return Completion(id=rid, created=created, model=self.name, object="text_completion",
                          choices=[CompletionChoice(index=0, text=text, logprobs=None, finish_reason=finish)],
                          usage=CompletionUsage(prompt_tokens=prompt_tokens, completion_tokens=len(words),
                                                total_tokens=prompt_tokens + len(words)))

    async def create_chat_completion(self, request):
        params = request.params
        prompt = _content_text(params.messages[-1].content)
        words, finish, prompt_tokens = self._generate(prompt, params.max_tokens)
        rid, created = "chatcmpl-" + uuid.uuid4().hex, int(time.time())
        if params.stream:
            async def chunks():
                async for piece in self._tokens(words):
                    yield ChatCompletionChunk(
                        id=rid, created=created, model=self.name, object="chat.completion.chunk",
                        choices=[ChunkChoice(index=0, delta=ChoiceDelta(role="assistant", content=piece),
                                             logprobs=None, finish_reason=None)])
                yield ChatCompletionChunk(
                    id=rid, created=created, model=self.name, object="chat.completion.chunk",
                    choices=[ChunkChoice(index=0, delta=ChoiceDelta(content=""), logprobs=None, finish_reason=finish)])
            return chunks()
        text = "".join([piece async for piece in self._tokens(words)])
        return ChatCompletion(
            id=rid, created=created, model=self.name, object="chat.completion",
            choices=[ChatCompletionChoice(index=0, message=ChatCompletionResponseMessage(role="assistant", content=text),
                                          logprobs=None, finish_reason=finish)],
            usage=CompletionUsage(prompt_tokens=prompt_tokens, completion_tokens=len(words),
                                  total_tokens=prompt_tokens + len(words)))


def main():
    args = server_arguments()

    LoopbackRESTServer.certfile, LoopbackRESTServer.keyfile = args.certfile, args.keyfile
    kserve.model_server.RESTServer = LoopbackRESTServer
    if args.token:
        require_bearer_token(kserve.model_server.app, args.token)
    kserve.ModelServer(http_port=args.port, enable_grpc=False).start([ReverseWordsModel()])


if __name__ == "__main__":
    main()
