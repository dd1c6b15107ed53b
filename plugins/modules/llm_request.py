#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: llm_request
short_description: Check a large language model over the OpenAI-compatible API (vLLM, KServe)
version_added: "0.1.0"
description:
  - Health gate for a served LLM. Waits until C(<base_path>/models) answers and fails unless it lists O(model).
  - Optionally sends one completion (O(api=completion)) or chat completion (O(api=chat)) and checks the answer
    against an expected substring or regular expression, the finish reason, and that no more than O(max_tokens) tokens came back.
  - With O(stream=true) the answer is read as server-sent events and timed, giving the time to first token and
    the output tokens per second.
  - Optionally sends a bounded number of streaming requests at a given concurrency and reports percentiles of the time
    to first token and of the total latency, and the error count.
  - The module only reads from the server and never reports a change.
  - A sibling of M(edgeai.serving.inference_request) rather than a mode of it, because the two protocols share no
    request options; both use the same HTTP, TLS, token, retry and load code.
author:
  - edgeai.serving contributors (@edgeai)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - edgeai.serving.inference_client
options:
  base_path:
    description:
      - Path of the OpenAI-compatible API on O(url).
      - V(/v1) for vLLM (MicroShift's C(vllm-cuda-runtime)), V(/openai/v1) for KServe's Python model server.
    type: str
    default: /v1
  api:
    description:
      - V(chat) posts to C(<base_path>/chat/completions), V(completion) to C(<base_path>/completions).
    type: str
    choices: [chat, completion]
    default: chat
  prompt:
    description:
      - The prompt. With O(api=chat) it is sent as one C(user) message.
      - Without O(prompt) and O(messages) the module only checks that the model is listed.
    type: str
  messages:
    description:
      - The chat messages, for O(api=chat). Mutually exclusive with O(prompt).
    type: list
    elements: dict
    suboptions:
      role:
        description:
          - C(system), C(user) or C(assistant).
        type: str
        required: true
      content:
        description:
          - Text of the message.
        type: str
        required: true
  max_tokens:
    description:
      - Most tokens to generate. The module fails when the server reports more completion tokens.
    type: int
    default: 16
  temperature:
    description:
      - Sampling temperature; V(0) makes a deterministic model answer the same every time.
    type: float
    default: 0
  stream:
    description:
      - Ask for the answer as server-sent events and time it (RV(stream)).
    type: bool
    default: false
  expected_text:
    description:
      - Fail unless the answer contains this text.
    type: str
  expected_regex:
    description:
      - Fail unless this regular expression (Python syntax) matches somewhere in the answer.
    type: str
  expected_finish_reason:
    description:
      - Fail unless the answer's finish reason is this, for example V(stop) or V(length).
    type: str
notes:
  - O(load) requests always stream, so that the time to first token of RV(load) can be measured; their answers
    are not checked, but an HTTP failure, a broken stream or a stream without text counts as an error.
  - Failures say what went wrong, for example C(Connection refused), the TLS verification error,
    the HTTP status with the server's own error text, or the answer that did not match.
seealso:
  - module: edgeai.serving.inference_request
    description: The same health gate over the KServe v2 / Open Inference Protocol.
  - name: vLLM OpenAI-compatible server
    description: The API this module speaks.
    link: https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html
"""

EXAMPLES = r"""
- name: Wait until vLLM lists the model
  edgeai.serving.llm_request:
    url: https://granite-ai-demo.apps.example.com
    model: granite
    ca_cert: /etc/pki/tls/certs/router-ca.pem
    timeout: 900

- name: Ask a question and check the answer, streaming
  edgeai.serving.llm_request:
    url: https://granite-ai-demo.apps.example.com
    model: granite
    token: "{{ serving_token }}"
    prompt: What is the capital of France? Answer in one word.
    max_tokens: 8
    stream: true
    expected_regex: "(?i)paris"
  register: answer

- name: Time to first token under load, through KServe's Python server
  edgeai.serving.llm_request:
    url: http://127.0.0.1:8080
    base_path: /openai/v1
    model: tiny-llm
    api: completion
    prompt: edge to cloud
    load:
      requests: 40
      concurrency: 4
"""

RETURN = r"""
ready_after_s:
  description: Seconds until C(<base_path>/models) answered.
  returned: success
  type: float
  sample: 0.004
models:
  description: Model ids C(<base_path>/models) lists.
  returned: success
  type: list
  elements: str
  sample: ["granite"]
text:
  description: The answer, the streamed pieces joined.
  returned: when O(prompt) or O(messages) is set
  type: str
  sample: "Paris"
finish_reason:
  description: Why generation stopped, as the server says, for example C(stop) or C(length).
  returned: when O(prompt) or O(messages) is set
  type: str
  sample: stop
usage:
  description: The server's token counts (C(prompt_tokens), C(completion_tokens), C(total_tokens)), if it sent them.
  returned: when O(prompt) or O(messages) is set
  type: dict
  sample: {"prompt_tokens": 14, "completion_tokens": 2, "total_tokens": 16}
response_id:
  description: The C(id) of the response.
  returned: when O(prompt) or O(messages) is set
  type: str
latency_ms:
  description: Wall time of the request in milliseconds, until the last byte.
  returned: when O(prompt) or O(messages) is set
  type: float
stream:
  description: Timings of the streamed answer.
  returned: when O(stream=true)
  type: dict
  contains:
    ttft_ms:
      description: Milliseconds from sending the request to the first chunk that carried text.
      type: float
    total_ms:
      description: Milliseconds from sending the request to the end of the stream.
      type: float
    output_tokens:
      description: Generated tokens, see RV(stream.tokens_counted_from).
      type: int
    tokens_counted_from:
      description: V(usage) when the server sent C(usage.completion_tokens), else V(chunks) (chunks that carried text).
      type: str
    output_tokens_per_s:
      description: RV(stream.output_tokens) divided by RV(stream.total_ms) in seconds.
      type: float
load:
  description:
    - Result of the load run, with the keys of the C(load) result of M(edgeai.serving.inference_request),
      that is total latency in C(p50_ms), C(p95_ms), C(p99_ms), C(min_ms), C(max_ms),
      and C(sent), C(succeeded), C(errors), C(first_error), C(duration_s), C(throughput_rps).
    - C(ttft) holds the same percentile keys for the time to first token.
  returned: when O(load) is set
  type: dict
  sample: {"sent": 40, "succeeded": 40, "errors": 0, "p50_ms": 21.3, "p95_ms": 30.1, "p99_ms": 33.0,
           "ttft": {"p50_ms": 9.8, "p95_ms": 15.2, "p99_ms": 17.0, "min_ms": 7.1, "max_ms": 17.0}}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.edgeai.serving.plugins.module_utils.inference.checks import run_module_checks
from ansible_collections.edgeai.serving.plugins.module_utils.inference.transport import CLIENT_ARGUMENT_SPEC
from ansible_collections.edgeai.serving.plugins.module_utils.inference.latency import LOAD_ARGUMENT_SPEC
from ansible_collections.edgeai.serving.plugins.module_utils.inference.openai_api import check_llm_options, run_llm_checks


def main():
    argument_spec = dict(
        CLIENT_ARGUMENT_SPEC,
        base_path=dict(type="str", default="/v1"),
        api=dict(type="str", choices=["chat", "completion"], default="chat"),
        prompt=dict(type="str"),
        messages=dict(type="list", elements="dict", options=dict(
            role=dict(type="str", required=True),
            content=dict(type="str", required=True),
        )),
        max_tokens=dict(type="int", default=16, no_log=False),
        temperature=dict(type="float", default=0),
        stream=dict(type="bool", default=False),
        expected_text=dict(type="str"),
        expected_regex=dict(type="str"),
        expected_finish_reason=dict(type="str"),
        load=LOAD_ARGUMENT_SPEC,
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        mutually_exclusive=[("prompt", "messages")],
        supports_check_mode=True,
    )
    # check_llm_options returns nothing for run_llm_checks to take.
    run_module_checks(module, check_llm_options, lambda client, params, dummy: run_llm_checks(client, params))


if __name__ == "__main__":
    main()
