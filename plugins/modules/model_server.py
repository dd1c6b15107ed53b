#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: model_server
short_description: Create, update or delete an OpenVINO operator ModelServer and wait until it serves
version_added: 0.1.0
description:
  - Manages a C(ModelServer) (C(intel.com/v1alpha1)) of the OpenVINO operator by server-side apply.
  - The operator (OpenVINO Toolkit Operator, Helm chart C(ovms)) installs a Helm release named after the
    ModelServer, with one Deployment and one Service named by the chart's rule, that is the name itself when it
    contains C(ovms), otherwise C(<name>-ovms). C(fullnameOverride) or C(nameOverride) given in O(definition) change
    that as they change the chart. Helm limits release names to 53 characters, so O(name) is checked for that here.
  - The options match the operator's CRD schema, which checks their types on apply. The CRD keeps unknown top-level
    keys of C(spec) for the chart (so chart values can be given in O(definition)), but drops unknown keys inside the
    option groups without an error.
  - With O(wait), waits until the operator has deployed this spec, then for C(Deployed=True) and for that Deployment
    to have every replica of its current ReplicaSet available. The operator is Helm-based and upgrades its release
    only when the ModelServer spec differs from the deployed release's values, so the deployed release record (a
    Secret of type C(helm.sh/release.v1)) holding the applied spec proves it acted, changed or not. This needs
    C(list) and C(watch) on Secrets in the namespace; the release values are never returned.
  - C(ReleaseFailed=True) or C(Irreconcilable=True) written after the apply fails at once with the operator's
    message; one from before only makes the wait go on. A pod of the current ReplicaSet that crash-loops, is
    OOMKilled or can never be scheduled fails the wait too.
  - The option groups mirror the ModelServer spec; the operator's defaults are applied here too
    (gRPC port 8080, REST port 8081, log level INFO, the latest model version).
author:
  - edgeai.serving contributors (@edgeai)
extends_documentation_fragment:
  - edgeai.serving.k8s_auth
  - edgeai.serving.k8s_apply
  - ansible.builtin.action_common_attributes
options:
  image_name:
    description:
      - The model server image. Required with O(state=present) unless O(definition) gives C(spec.image_name).
    type: str
  deployment_parameters:
    description: Deployment settings.
    type: dict
    suboptions:
      replicas:
        description: Number of model server pods.
        type: int
      resources:
        description:
          - Container resources. The operator's chart sets one extended resource per section through
            C(xpu_device) and C(xpu_device_quantity).
        type: dict
        suboptions:
          limits:
            description: Resource limits.
            type: dict
            suboptions:
              cpu:
                description: CPU quantity, for example V(1) or V(500m).
                type: str
              memory:
                description: Memory quantity, for example V(500M) or V(1.5Gi).
                type: str
              xpu_device:
                description: Extended resource name, for example V(nvidia.com/gpu) or V(gpu.intel.com/i915).
                type: str
              xpu_device_quantity:
                description: Whole number of O(deployment_parameters.resources.limits.xpu_device) devices; the CRD
                  defaults it to V(1).
                type: str
          requests:
            description: Resource requests.
            type: dict
            suboptions:
              cpu:
                description: CPU quantity, for example V(1) or V(500m).
                type: str
              memory:
                description: Memory quantity, for example V(500M) or V(1.5Gi).
                type: str
              xpu_device:
                description: Extended resource name, for example V(nvidia.com/gpu) or V(gpu.intel.com/i915).
                type: str
              xpu_device_quantity:
                description: Whole number of O(deployment_parameters.resources.requests.xpu_device) devices; the CRD
                  defaults it to V(1).
                type: str
      node_affinity:
        description: Kubernetes node affinity.
        type: dict
      pod_affinity:
        description: Kubernetes pod affinity.
        type: dict
      pod_antiaffinity:
        description: Kubernetes pod anti-affinity.
        type: dict
      update_strategy:
        description: The Deployment update strategy.
        type: dict
      openshift_service_mesh:
        description: Annotate pods for Red Hat Service Mesh.
        type: bool
  service_parameters:
    description: Service settings.
    type: dict
    default: {}
    suboptions:
      grpc_port:
        description: gRPC port.
        type: int
        default: 8080
      rest_port:
        description: REST port; the health probes use it.
        type: int
        default: 8081
      service_type:
        description: Kubernetes Service type, spelled as the operator's CRD spells it.
        type: str
        choices: [ClusterIP, NodePort, LoadBalancer]
        default: ClusterIP
  models_settings:
    description: What the server loads.
    type: dict
    default: {}
    suboptions:
      single_model_mode:
        description:
          - Serve one model (O(models_settings.model_name), O(models_settings.model_path)); otherwise a
            C(config.json) from O(models_settings.config_configmap_name).
        type: bool
        default: true
      model_name:
        description: Name the model is served under.
        type: str
      model_path:
        description: Where the model is, for example C(gs://bucket/model), C(s3://bucket/model) or C(/models/resnet).
        type: str
      config_configmap_name:
        description: ConfigMap with C(config.json) for multi-model mode.
        type: str
      config_path:
        description: Path of the config file inside the pod.
        type: str
      batch_size:
        description: Batch size, an integer or V(auto). Ignored when O(models_settings.shape) is set.
        type: str
      shape:
        description: Input shape override.
        type: str
      layout:
        description: Input and output layouts.
        type: str
      target_device:
        description: Inference device, for example V(CPU), V(GPU), V(AUTO).
        type: str
      plugin_config:
        description: OpenVINO plugin configuration as a JSON string.
        type: str
      model_version_policy:
        description: Which model versions to serve, as JSON.
        type: str
        default: '{"latest": { "num_versions":1 }}'
      nireq:
        description: Size of the inference request queue.
        type: int
      is_stateful:
        description: The model is stateful.
        type: bool
      idle_sequence_cleanup:
        description: Stateful models only; let the sequence cleaner scan this model.
        type: bool
      low_latency_transformation:
        description: Stateful models only; apply the low latency transformation.
        type: bool
      max_sequence_number:
        description: Stateful models only; how many sequences one model instance processes at once.
        type: int
  server_settings:
    description: Server settings.
    type: dict
    default: {}
    suboptions:
      file_system_poll_wait_seconds:
        description: Interval between checks for new model versions.
        type: int
      log_level:
        description: Server log level.
        type: str
        choices: [TRACE, DEBUG, INFO, WARNING, ERROR]
        default: INFO
      grpc_workers:
        description: Number of gRPC servers.
        type: int
      rest_workers:
        description: Number of REST worker threads.
        type: int
      sequence_cleaner_poll_wait_minutes:
        description: Minutes between two sequence cleaner scans; V(0) disables the cleaner.
        type: int
  models_repository:
    description: Access to model storage. Credentials are never logged, returned or shown in a diff.
    type: dict
    suboptions:
      storage_type:
        description: Kind of storage.
        type: str
        choices: [S3, google, azure, cluster]
      models_host_path:
        description: Host path mounted as C(/models).
        type: str
      models_volume_claim:
        description: PersistentVolumeClaim mounted as C(/models).
        type: str
      aws_access_key_id:
        description: S3 access key ID.
        type: str
      aws_secret_access_key:
        description: S3 secret key.
        type: str
      aws_region:
        description: S3 region.
        type: str
      s3_compat_api_endpoint:
        description: Endpoint of S3-compatible storage such as MinIO.
        type: str
      gcp_creds_secret_name:
        description: Secret with Google Cloud Storage credentials.
        type: str
      azure_storage_connection_string:
        description: Azure Storage connection string.
        type: str
      http_proxy:
        description: HTTP proxy for the storage.
        type: str
      https_proxy:
        description: HTTPS proxy for the storage.
        type: str
      runAsUser:
        description: User ID to run the server as, for restricted storage.
        type: str
      runAsGroup:
        description: Group ID to run the server as.
        type: str
  monitoring:
    description: Metrics settings.
    type: dict
    suboptions:
      metrics_enable:
        description: Serve Prometheus metrics on the REST port.
        type: bool
      metrics_list:
        description: Comma-separated metrics to enable.
        type: str
seealso:
  - module: edgeai.serving.inference_request
"""

EXAMPLES = r"""
- name: Serve ResNet from a PersistentVolumeClaim with the OpenVINO operator
  edgeai.serving.model_server:
    name: resnet
    namespace: ai-demo
    image_name: registry.connect.redhat.com/intel/openvino-model-server:2024.4
    models_settings:
      model_name: resnet
      model_path: /models/resnet
    models_repository:
      storage_type: cluster
      models_volume_claim: models
    deployment_parameters:
      replicas: 2
  register: ovms

- name: Ask the server whether the model is ready
  edgeai.serving.inference_request:
    url: "{{ ovms.rest_endpoint }}"
    model: resnet
"""

RETURN = r"""
result:
  description: The ModelServer as last read, after the wait when O(wait) is set; credentials hidden.
  returned: always
  type: dict
service_name:
  description: Name of the Service and Deployment the operator creates.
  returned: success with O(state=present)
  type: str
  sample: resnet-ovms
rest_endpoint:
  description: In-cluster REST endpoint (KServe v2 and OVMS v1 APIs).
  returned: success with O(state=present)
  type: str
  sample: http://resnet-ovms.ai-demo.svc.cluster.local:8081
grpc_endpoint:
  description: In-cluster gRPC endpoint.
  returned: success with O(state=present)
  type: str
  sample: resnet-ovms.ai-demo.svc.cluster.local:8080
wait:
  description: What was waited for, for how long, and the readiness messages seen (see the notes).
  returned: when O(wait) is true, not in check mode
  type: dict
api_requests:
  description: HTTP requests sent to the API server.
  returned: success
  type: int
"""

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.module import run
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.model_server import KIND

RESOURCE_FIELDS = dict(cpu=dict(type="str"), memory=dict(type="str"), xpu_device=dict(type="str"),
                       xpu_device_quantity=dict(type="str"))

OPTIONS = dict(
    image_name=dict(type="str"),
    deployment_parameters=dict(type="dict", options=dict(
        replicas=dict(type="int"),
        resources=dict(type="dict", options=dict(
            limits=dict(type="dict", options=RESOURCE_FIELDS),
            requests=dict(type="dict", options=RESOURCE_FIELDS),
        )),
        node_affinity=dict(type="dict"),
        pod_affinity=dict(type="dict"),
        pod_antiaffinity=dict(type="dict"),
        update_strategy=dict(type="dict"),
        openshift_service_mesh=dict(type="bool"),
    )),
    service_parameters=dict(type="dict", default={}, options=dict(
        grpc_port=dict(type="int", default=8080),
        rest_port=dict(type="int", default=8081),
        service_type=dict(type="str", default="ClusterIP", choices=["ClusterIP", "NodePort", "LoadBalancer"]),
    )),
    models_settings=dict(type="dict", default={}, options=dict(
        single_model_mode=dict(type="bool", default=True),
        model_name=dict(type="str"),
        model_path=dict(type="str"),
        config_configmap_name=dict(type="str"),
        config_path=dict(type="str"),
        batch_size=dict(type="str"),
        shape=dict(type="str"),
        layout=dict(type="str"),
        target_device=dict(type="str"),
        plugin_config=dict(type="str"),
        model_version_policy=dict(type="str", default='{"latest": { "num_versions":1 }}'),
        nireq=dict(type="int"),
        is_stateful=dict(type="bool"),
        idle_sequence_cleanup=dict(type="bool"),
        low_latency_transformation=dict(type="bool"),
        max_sequence_number=dict(type="int"),
    )),
    server_settings=dict(type="dict", default={}, options=dict(
        file_system_poll_wait_seconds=dict(type="int"),
        log_level=dict(type="str", default="INFO", choices=["TRACE", "DEBUG", "INFO", "WARNING", "ERROR"]),
        grpc_workers=dict(type="int"),
        rest_workers=dict(type="int"),
        sequence_cleaner_poll_wait_minutes=dict(type="int"),
    )),
    models_repository=dict(type="dict", options=dict(
        storage_type=dict(type="str", choices=["S3", "google", "azure", "cluster"]),
        models_host_path=dict(type="str"),
        models_volume_claim=dict(type="str"),
        aws_access_key_id=dict(type="str", no_log=True),
        aws_secret_access_key=dict(type="str", no_log=True),
        aws_region=dict(type="str"),
        s3_compat_api_endpoint=dict(type="str"),
        gcp_creds_secret_name=dict(type="str"),
        azure_storage_connection_string=dict(type="str", no_log=True),
        http_proxy=dict(type="str"),
        https_proxy=dict(type="str"),
        runAsUser=dict(type="str"),
        runAsGroup=dict(type="str"),
    )),
    monitoring=dict(type="dict", options=dict(
        metrics_enable=dict(type="bool"),
        metrics_list=dict(type="str"),
    )),
)


def main():
    run(KIND, OPTIONS)


if __name__ == "__main__":
    main()
