#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: inference_service
short_description: Create, update or delete a KServe InferenceService and wait until the model serves
version_added: 0.1.0
description:
  - Manages a KServe C(InferenceService) (C(serving.kserve.io/v1beta1)) by server-side apply.
  - The applied object carries the annotation C(serving.edgeai.io/spec-hash), a hash of the spec, labels and
    annotations sent (replica counts left out, so changing only them rolls no pods). KServe copies InferenceService
    annotations onto the predictor pod template, so the hash on the C(<name>-predictor) Deployment proves that KServe
    has acted on this spec.
  - With O(wait), waits until that Deployment carries the hash, has every replica of its current ReplicaSet updated
    and available (at least C(minReplicas)), no pod of an older ReplicaSet left, and C(Ready=True).
    Status written before the apply, or pods of an older ReplicaSet, never decide the verdict either way.
  - The wait ends at once, with the reason, on C(InvalidSpec) in a status KServe wrote after the apply (for example
    V(NoSupportingRuntime)); on C(ReplicaFailure) (for example C(FailedCreate) from a ResourceQuota) or
    C(ProgressDeadlineExceeded); and when a pod of the current ReplicaSet is in C(CrashLoopBackOff) (exit code and
    message), was C(OOMKilled), failed its second image pull back-off, or asks for more of a resource than any node
    has (this one needs C(list) on nodes).
  - KServe's own C(BlockedByFailedLoad) is not used, because KServe takes it from the first pod it lists, which can be
    an old one during a rollout.
  - A timeout says what was still missing, for example which spec hash the Deployment still carries, with the pods'
    reasons and recent Warning events (such as KServe's C(InternalError) when it cannot update the Deployment).
  - In Knative (Serverless) mode there is no Deployment to carry the hash; the wait then takes KServe's C(Ready)
    alone, and does not prove that it is about the current spec. MicroShift runs Raw (Standard) mode.
author:
  - edgeai.serving contributors (@edgeai)
extends_documentation_fragment:
  - edgeai.serving.k8s_auth
  - edgeai.serving.k8s_apply
  - ansible.builtin.action_common_attributes
options:
  model_format:
    description:
      - The model format, for example V(openvino_ir), V(onnx), V(sklearn). Required with O(state=present) unless
        O(definition) gives C(spec.predictor).
    type: str
  model_format_version:
    description:
      - The format version, used by runtime auto-selection.
    type: str
  runtime:
    description:
      - The ServingRuntime to use. It must exist in the namespace and support the format.
        Without it KServe picks a runtime that has C(autoSelect) for the format.
    type: str
  storage_uri:
    description:
      - Where the model is. The scheme must be one of C(s3), C(gs), C(pvc), C(file), C(http), C(https), C(hdfs),
        C(webhdfs), C(oci) (ModelCar image) or C(hf).
    type: str
  offline:
    description:
      - The host has no registry access. Then an C(oci://) image without a tag or with the tag C(latest) is refused,
        because KServe pulls those with C(imagePullPolicy=Always).
    type: bool
    default: false
  protocol_version:
    description:
      - The inference protocol the runtime should serve.
    type: str
    choices: [v1, v2, grpc-v2]
  args:
    description:
      - Extra arguments for the model server container.
    type: list
    elements: str
  env:
    description:
      - Environment of the model server container, as a name-to-value mapping or a list of Kubernetes C(EnvVar).
    type: raw
  resources:
    description:
      - C(requests) and C(limits) for the model server container.
      - "For a GPU: C({limits: {nvidia.com/gpu: 1}})."
    type: dict
  min_replicas:
    description:
      - Minimum number of predictor replicas.
    type: int
  max_replicas:
    description:
      - Maximum number of predictor replicas.
    type: int
  deployment_mode:
    description:
      - Sets the C(serving.kserve.io/deploymentMode) annotation. MicroShift runs V(RawDeployment)
        (called V(Standard) from KServe 0.16).
    type: str
    choices: [RawDeployment, Standard, Serverless]
  service_account:
    description:
      - ServiceAccount of the predictor pods, for example one that holds storage credentials.
    type: str
seealso:
  - module: edgeai.serving.serving_runtime
  - module: edgeai.serving.route
  - module: edgeai.serving.inference_request
"""

EXAMPLES = r"""
- name: Serve an OpenVINO IR model from a ModelCar image and wait until it answers
  edgeai.serving.inference_service:
    name: resnet
    namespace: ai-demo
    model_format: openvino_ir
    runtime: kserve-ovms
    storage_uri: oci://quay.io/example/resnet-modelcar:1
    offline: true
    protocol_version: v2
    args: ["--layout=NHWC:NCHW"]
    resources:
      limits:
        nvidia.com/gpu: 1
  register: isvc

- name: Serve an LLM on one GPU with MicroShift's vLLM runtime (its OpenAI-compatible API answers on port 8080)
  edgeai.serving.inference_service:
    name: granite  # vLLM serves the model under this name (--served-model-name={{.Name}})
    namespace: ai-demo
    model_format: vLLM
    runtime: vllm-cuda-runtime
    storage_uri: oci://registry.example.com/models/granite-3-8b-instruct-modelcar:1.0
    offline: true
    args:
      - --max-model-len=4096
      - --gpu-memory-utilization=0.90
    resources:
      requests:
        nvidia.com/gpu: 1
      limits:
        nvidia.com/gpu: 1
    wait_timeout: 1200

- name: Use auth set once for every module of the collection
  module_defaults:
    group/edgeai.serving.k8s:
      kubeconfig: /var/lib/microshift/resources/kubeadmin/kubeconfig
  block:
    - name: Remove the InferenceService and wait until its pods are gone
      edgeai.serving.inference_service:
        name: resnet
        namespace: ai-demo
        state: absent
"""

RETURN = r"""
result:
  description: The InferenceService as last read, after the wait when O(wait) is set.
  returned: always
  type: dict
url:
  description: C(status.url), the external URL from KServe's domain template.
  returned: success with O(state=present)
  type: str
  sample: https://resnet-ai-demo.apps.edge.example
internal_url:
  description: C(status.address.url), the cluster-internal URL of the predictor.
  returned: success with O(state=present)
  type: str
  sample: http://resnet-predictor.ai-demo.svc.cluster.local
predictor_service:
  description: Name of the predictor Service (and Deployment), for a Route.
  returned: success with O(state=present)
  type: str
  sample: resnet-predictor
wait:
  description: What was waited for, for how long, and the readiness messages seen (see the notes).
  returned: when O(wait) is true, not in check mode
  type: dict
api_requests:
  description: HTTP requests sent to the API server.
  returned: success
  type: int
"""

from ansible_collections.edgeai.serving.plugins.module_utils.kinds.inference_service import KIND
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.module import run

OPTIONS = dict(
    model_format=dict(type="str"),
    model_format_version=dict(type="str"),
    runtime=dict(type="str"),
    storage_uri=dict(type="str"),
    offline=dict(type="bool", default=False),
    protocol_version=dict(type="str", choices=["v1", "v2", "grpc-v2"]),
    args=dict(type="list", elements="str"),
    env=dict(type="raw"),
    resources=dict(type="dict"),
    min_replicas=dict(type="int"),
    max_replicas=dict(type="int"),
    deployment_mode=dict(type="str", choices=["RawDeployment", "Standard", "Serverless"]),
    service_account=dict(type="str"),
)


def main():
    run(KIND, OPTIONS)


if __name__ == "__main__":
    main()
