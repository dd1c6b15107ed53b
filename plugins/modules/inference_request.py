#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: inference_request
short_description: Check a model server with the KServe v2 / Open Inference Protocol
version_added: "0.1.0"
description:
  - Health gate for a served model. Waits until C(/v2/health/ready) and C(/v2/models/<model>/ready) answer,
    then returns the model metadata from C(/v2/models/<model>).
  - Optionally sends one inference request, with inline JSON tensors, tensors from a JSON file, or a file
    (for example a JPEG) as a C(BYTES) input through the binary data extension.
    Binary outputs in the response are decoded too.
  - Optionally ranks the outputs (argmax and top-k) and fails unless an expected class comes out.
  - Optionally sends a bounded number of requests (the same inference request) at a given concurrency and reports
    latency percentiles.
  - Optionally reads the OpenVINO Model Server C(/v1/config) and C(/v1/models/<model>/metadata),
    and scrapes series from the Prometheus C(/metrics) endpoint.
  - The module only reads from the server and never reports a change.
author:
  - edgeai.serving contributors (@edgeai)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - edgeai.serving.inference_client
options:
  inputs:
    description:
      - Input tensors of one inference request.
      - Mutually exclusive with O(inputs_file).
      - The module checks every input against its O(inputs[].shape) and O(inputs[].datatype) before sending anything.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Input name, as in the model metadata.
        type: str
        required: true
      datatype:
        description:
          - Tensor datatype of the protocol.
        type: str
        required: true
        choices: [BOOL, BYTES, FP16, FP32, FP64, INT16, INT32, INT64, INT8, UINT16, UINT32, UINT64, UINT8]
      shape:
        description:
          - Tensor shape. The number of elements in O(inputs[].data) must match it.
        type: list
        elements: int
        required: true
      data:
        description:
          - Tensor values, flat or nested row-major lists.
          - Exactly one of O(inputs[].data) and O(inputs[].file) is required.
        type: raw
      file:
        description:
          - Path of a file, on the host the module runs on, whose whole content is sent as the single element
            of a C(BYTES) tensor with the binary data extension.
          - Needs O(inputs[].datatype=BYTES) and O(inputs[].shape=[1]).
        type: path
      binary_data:
        description:
          - Send O(inputs[].data) as raw bytes with the binary data extension instead of JSON.
          - File inputs always use the binary data extension.
        type: bool
        default: false
  inputs_file:
    description:
      - 'Path of a JSON file holding a v2 inference request body, C({"inputs": [...]}); only its C(inputs) are used.'
      - Each input has the keys of O(inputs).
      - Mutually exclusive with O(inputs).
    type: path
  outputs:
    description:
      - Names of the outputs to ask for. By default the server returns all outputs.
    type: list
    elements: str
  binary_outputs:
    description:
      - Ask the server to return the outputs with the binary data extension; the module decodes them.
    type: bool
    default: false
  top_k:
    description:
      - Return the top O(top_k) classes of every numeric output in RV(classes).
      - Ranking uses batch item 0, that is the first row of a C([batch, classes]) output.
    type: int
    default: 0
  labels:
    description:
      - Class names by index, used in RV(classes) and to match O(expected_class).
    type: list
    elements: str
  expected_class:
    description:
      - Fail unless the argmax of O(class_output) is this class, given as its index or its label from O(labels).
    type: str
  class_output:
    description:
      - Output checked against O(expected_class). Defaults to the first numeric output of the response.
    type: str
  ovms_v1:
    description:
      - Also read the OpenVINO Model Server C(/v1/config) and C(/v1/models/<model>/metadata) endpoints.
    type: bool
    default: false
  metrics:
    description:
      - Names of Prometheus series to return from O(metrics_path).
      - A histogram or summary family name also selects its C(_bucket), C(_sum), C(_count) samples;
        a counter name also selects its C(_total) sample.
    type: list
    elements: str
  metrics_path:
    description:
      - Path of the Prometheus metrics endpoint on O(url).
    type: str
    default: /metrics
notes:
  - Failures say what went wrong, for example C(Connection refused), the TLS verification error,
    or the HTTP status with the server's own error text.
  - C(BYTES) output elements are returned as text; elements that are not UTF-8 are returned as C(hex:) followed by
    their hexadecimal form.
seealso:
  - module: edgeai.serving.llm_request
    description: The same health gate for LLMs over the OpenAI-compatible API.
  - name: Open Inference Protocol (KServe v2) REST API
    description: The protocol this module speaks.
    link: https://kserve.github.io/website/docs/concepts/architecture/data-plane/v2-protocol
"""

EXAMPLES = r"""
- name: Wait until the model is ready and read its metadata
  edgeai.serving.inference_request:
    url: http://127.0.0.1:8080
    model: resnet
    timeout: 300

- name: Classify a test image sent with the binary data extension
  edgeai.serving.inference_request:
    url: https://resnet-ai-demo.apps.example.com
    model: resnet
    ca_cert: /etc/pki/tls/certs/router-ca.pem
    token: "{{ serving_token }}"
    inputs:
      - name: image
        datatype: BYTES
        shape: [1]
        file: /opt/checks/cat.jpg
    top_k: 3
    expected_class: "281"

- name: Send numeric tensors, then measure latency under load
  edgeai.serving.inference_request:
    url: http://127.0.0.1:8080
    model: linear
    inputs:
      - name: x
        datatype: FP32
        shape: [1, 3]
        data: [[1.0, 2.0, 3.0]]
    load:
      requests: 200
      concurrency: 4
  register: linear_check

- name: Check an OpenVINO Model Server and read its request counter
  edgeai.serving.inference_request:
    url: http://ovms.example.com:8081
    model: face-detection
    inputs_file: /opt/checks/face-detection-request.json
    ovms_v1: true
    metrics:
      - ovms_requests_success
"""

RETURN = r"""
ready_after_s:
  description: Seconds the readiness checks took to pass.
  returned: success
  type: float
  sample: 0.012
model_metadata:
  description: Model metadata from C(/v2/models/<model>).
  returned: success
  type: dict
  sample: {"name": "linear", "platform": "", "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 3]}]}
outputs:
  description: Output tensors of the inference response, with flat C(data), binary outputs decoded.
  returned: when O(inputs) or O(inputs_file) is set
  type: list
  elements: dict
  sample: [{"name": "scores", "datatype": "FP32", "shape": [1, 4], "data": [1.5, 4.0, 9.0, 6.0]}]
response_id:
  description: The C(id) of the inference response.
  returned: when O(inputs) or O(inputs_file) is set
  type: str
model_version:
  description: The C(model_version) of the inference response.
  returned: when O(inputs) or O(inputs_file) is set
  type: str
latency_ms:
  description: Wall time of the inference request in milliseconds.
  returned: when O(inputs) or O(inputs_file) is set
  type: float
classes:
  description:
    - Per numeric output name, the class ranking of batch item 0 with keys C(argmax), C(label), C(score)
      and C(top_k) (a list of C(index), C(label), C(score)).
  returned: when O(top_k), O(labels) or O(expected_class) is set
  type: dict
  sample: {"probabilities": {"argmax": 2, "label": "blue", "score": 0.98, "top_k": [{"index": 2, "label": "blue", "score": 0.98}]}}
load:
  description:
    - Result of the load run. Latency keys are in milliseconds over the successful requests and are null when none succeeded.
  returned: when O(load) is set
  type: dict
  contains:
    requests:
      description: Requests asked for.
      type: int
    sent:
      description: Requests started; fewer than asked for when O(load.max_duration) ran out.
      type: int
    succeeded:
      description: Requests that got a 2xx answer.
      type: int
    errors:
      description: Requests that failed.
      type: int
    first_error:
      description: Text of the first failure, if any.
      type: str
    concurrency:
      description: Threads used.
      type: int
    duration_s:
      description: Wall time of the run in seconds.
      type: float
    throughput_rps:
      description: Successful requests per second.
      type: float
    stopped_by_time_limit:
      description: Whether O(load.max_duration) stopped the run early.
      type: bool
    p50_ms:
      description: Median latency (nearest rank).
      type: float
    p95_ms:
      description: 95th percentile latency (nearest rank).
      type: float
    p99_ms:
      description: 99th percentile latency (nearest rank).
      type: float
    min_ms:
      description: Lowest latency.
      type: float
    max_ms:
      description: Highest latency.
      type: float
ovms_config:
  description: JSON of C(/v1/config).
  returned: when O(ovms_v1=true)
  type: dict
ovms_model_metadata:
  description: JSON of C(/v1/models/<model>/metadata).
  returned: when O(ovms_v1=true)
  type: dict
metrics:
  description:
    - Per requested name, the matching samples as C(name), C(labels) and C(value).
      A name with no sample maps to an empty list.
  returned: when O(metrics) is set
  type: dict
  sample: {"request_predict_seconds": [{"name": "request_predict_seconds_count", "labels": {"model_name": "linear"}, "value": 3.0}]}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.edgeai.serving.plugins.module_utils.inference.checks import check_options, run_checks, run_module_checks
from ansible_collections.edgeai.serving.plugins.module_utils.inference.transport import CLIENT_ARGUMENT_SPEC
from ansible_collections.edgeai.serving.plugins.module_utils.inference.latency import LOAD_ARGUMENT_SPEC
from ansible_collections.edgeai.serving.plugins.module_utils.inference.protocol import DATATYPES


def main():
    argument_spec = dict(
        CLIENT_ARGUMENT_SPEC,
        inputs=dict(type="list", elements="dict", options=dict(
            name=dict(type="str", required=True),
            datatype=dict(type="str", required=True, choices=DATATYPES),
            shape=dict(type="list", elements="int", required=True),
            data=dict(type="raw"),
            file=dict(type="path"),
            binary_data=dict(type="bool", default=False),
        ), mutually_exclusive=[("data", "file")], required_one_of=[("data", "file")]),
        inputs_file=dict(type="path"),
        outputs=dict(type="list", elements="str"),
        binary_outputs=dict(type="bool", default=False),
        top_k=dict(type="int", default=0),
        labels=dict(type="list", elements="str"),
        expected_class=dict(type="str"),
        class_output=dict(type="str"),
        load=LOAD_ARGUMENT_SPEC,
        ovms_v1=dict(type="bool", default=False),
        metrics=dict(type="list", elements="str"),
        metrics_path=dict(type="str", default="/metrics"),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        mutually_exclusive=[("inputs", "inputs_file")],
        required_by={"class_output": "expected_class"},
        supports_check_mode=True,
    )
    run_module_checks(module, check_options, run_checks)


if __name__ == "__main__":
    main()
