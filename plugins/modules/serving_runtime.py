#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serving_runtime
short_description: Create, update or delete a KServe ServingRuntime, from options, a shipped file or a copy
version_added: 0.1.0
description:
  - Manages a KServe C(ServingRuntime) (C(serving.kserve.io/v1alpha1)) by server-side apply.
  - Three sources, as MicroShift users work. From a runtime file as MicroShift ships it (O(src)) whose C(image)
    is a placeholder equal to a key of the release-info JSON (O(release_info), O(image_key)). As a copy of a
    runtime in another namespace (O(copy_from)), with server metadata stripped. Or from options and O(definition).
  - A ServingRuntime is ready once the API server accepts it; O(wait) only matters for O(state=absent).
author:
  - edgeai.serving contributors (@edgeai)
extends_documentation_fragment:
  - edgeai.serving.k8s_auth
  - edgeai.serving.k8s_apply
  - ansible.builtin.action_common_attributes
options:
  src:
    description:
      - Path, on the host that runs the module, of a YAML file holding exactly one ServingRuntime, such as
        C(/usr/lib/microshift/manifests.d/050-microshift-ai-model-serving-runtimes/ovms-kserve.yaml).
      - Its C(metadata.name) and C(namespace) are replaced by O(name) and O(namespace).
    type: path
  copy_from:
    description:
      - Copy an existing ServingRuntime, for example from C(redhat-ods-applications).
    type: dict
    suboptions:
      namespace:
        description: Namespace of the runtime to copy.
        type: str
        required: true
      name:
        description: Name of the runtime to copy.
        type: str
        required: true
  release_info:
    description:
      - MicroShift's release-info JSON, as a path on the host that runs the module
        (C(/usr/share/microshift/release/release-ai-model-serving-x86_64.json)) or as the parsed dictionary.
    type: raw
  image_key:
    description:
      - The key of C(images) in O(release_info) whose image replaces the container image placeholder of the same
        name, for example V(ovms-image) or V(vllm-cuda-image). A key that is missing fails and lists those present.
      - Keys change between releases. V(vllm-image) became V(vllm-cuda-image) in OpenShift AI 2.19, which also added
        V(vllm-cpu-image); asked for V(vllm-image) on such a release, the error says so and names the new key.
    type: str
  image:
    description:
      - Image of the first container, set directly.
    type: str
  model_formats:
    description:
      - C(supportedModelFormats) of the runtime.
    type: list
    elements: dict
    suboptions:
      name:
        description: Format name, for example V(openvino_ir) or V(onnx).
        type: str
        required: true
      version:
        description: Format version.
        type: str
      auto_select:
        description: Let InferenceServices without an explicit runtime select this one for the format.
        type: bool
      priority:
        description: Preference among auto-selectable runtimes; higher wins. Needs O(model_formats[].auto_select).
        type: int
  protocol_versions:
    description:
      - Inference protocols the runtime serves.
    type: list
    elements: str
    choices: [v1, v2, grpc-v1, grpc-v2]
  multi_model:
    description:
      - The runtime serves several models per pod (ModelMesh).
    type: bool
  disabled:
    description:
      - Disable the runtime; InferenceServices that name it then fail with C(RuntimeDisabled).
    type: bool
seealso:
  - module: edgeai.serving.inference_service
"""

EXAMPLES = r"""
- name: Create the OVMS runtime in the workload namespace from the file MicroShift ships
  edgeai.serving.serving_runtime:
    name: kserve-ovms
    namespace: ai-demo
    src: /usr/lib/microshift/manifests.d/050-microshift-ai-model-serving-runtimes/ovms-kserve.yaml
    release_info: /usr/share/microshift/release/release-ai-model-serving-x86_64.json
    image_key: ovms-image

- name: Create MicroShift's vLLM runtime (OpenAI-compatible API on port 8080) for an LLM
  edgeai.serving.serving_runtime:
    name: vllm-cuda-runtime
    namespace: ai-demo
    src: /usr/lib/microshift/manifests.d/050-microshift-ai-model-serving-runtimes/vllm-cuda.yaml
    release_info: /usr/share/microshift/release/release-ai-model-serving-x86_64.json
    image_key: vllm-cuda-image

- name: Copy a runtime from the KServe namespace
  edgeai.serving.serving_runtime:
    name: kserve-ovms
    namespace: team-b
    copy_from:
      namespace: redhat-ods-applications
      name: kserve-ovms

- name: A runtime from options
  edgeai.serving.serving_runtime:
    name: sklearn-server
    namespace: ai-demo
    image: docker.io/kserve/sklearnserver:v0.16.0
    model_formats:
      - name: sklearn
        version: "1"
        auto_select: true
    protocol_versions: [v1, v2]
"""

RETURN = r"""
result:
  description: The ServingRuntime as applied.
  returned: always
  type: dict
images:
  description: The container images of the runtime, after substitution from release info.
  returned: success with O(state=present)
  type: list
  elements: str
  sample: ["registry.redhat.io/rhoai/odh-openvino-model-server-rhel9@sha256:..."]
model_formats:
  description: Names of the supported model formats.
  returned: success with O(state=present)
  type: list
  elements: str
  sample: [openvino_ir, onnx]
wait:
  description: With O(state=absent), the wait for deletion (see the notes).
  returned: with O(state=absent) and O(wait), not in check mode
  type: dict
api_requests:
  description: HTTP requests sent to the API server.
  returned: success
  type: int
"""

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.module import run
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.serving_runtime import KIND

OPTIONS = dict(
    src=dict(type="path"),
    copy_from=dict(type="dict", options=dict(
        namespace=dict(type="str", required=True),
        name=dict(type="str", required=True),
    )),
    release_info=dict(type="raw"),
    image_key=dict(type="str", no_log=False),
    image=dict(type="str"),
    model_formats=dict(type="list", elements="dict", options=dict(
        name=dict(type="str", required=True),
        version=dict(type="str"),
        auto_select=dict(type="bool"),
        priority=dict(type="int"),
    )),
    protocol_versions=dict(type="list", elements="str", choices=["v1", "v2", "grpc-v1", "grpc-v2"]),
    multi_model=dict(type="bool"),
    disabled=dict(type="bool"),
)


def main():
    run(KIND, OPTIONS, mutually_exclusive=[("src", "copy_from", "definition")])


if __name__ == "__main__":
    main()
