#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: job_run
short_description: Run a Kubernetes Job to its end and return its pod's log
version_added: 0.2.0
description:
  - Runs a check as a Job, for example NVIDIA's vectorAdd sample on a GPU node, and returns the log of its pod.
  - A Job of the same name left by an earlier run is deleted first. The Job has no retries (C(backoffLimit=0)) and
    is bounded by O(timeout) (C(activeDeadlineSeconds)).
  - The module waits by watch until the Job is C(Complete) or C(Failed), reads the log of its newest pod through
    the API server (C(pods/log)), then deletes the Job unless O(keep) is true.
  - A failed Job, or one still running at O(timeout) (its C(activeDeadlineSeconds), which the Job controller turns
    into C(DeadlineExceeded)), fails the module with the reason and the end of the log.
  - The Job is created and deleted within the run, so the module reports no change unless O(keep) is true.
    In check mode nothing is created or run.
author:
  - edgeai.serving contributors (@edgeai)
extends_documentation_fragment:
  - edgeai.serving.k8s_auth
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: No Job is created or run.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  name:
    description: Name of the Job (a DNS label). Its pods carry the label C(job-name=<name>).
    type: str
    required: true
  namespace:
    description: Namespace of the Job.
    type: str
    required: true
  pod_spec:
    description:
      - The pod template's C(spec) (containers, resources, node selector, tolerations ...).
        C(restartPolicy) defaults to V(Never).
    type: dict
    required: true
  labels:
    description: Labels of the Job and its pods.
    type: dict
    default: {}
  container:
    description: Container whose log is returned; default the first one.
    type: str
  timeout:
    description: Seconds the Job may run (its C(activeDeadlineSeconds)) and the module waits.
    type: int
    default: 300
  keep:
    description: Keep the Job afterwards instead of deleting it.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Run NVIDIA's vectorAdd sample on a GPU
  edgeai.serving.job_run:
    name: vectoradd
    namespace: nvidia-device-plugin
    kubeconfig: /var/lib/microshift/resources/kubeadmin/kubeconfig
    pod_spec:
      containers:
        - name: vectoradd
          image: nvcr.io/nvidia/k8s/cuda-sample:vectoradd-cuda12.5.0-ubi8
          resources:
            limits:
              nvidia.com/gpu: 1
  register: vectoradd

- name: Check the sample passed
  ansible.builtin.assert:
    that: "'Test PASSED' in vectoradd.log"
"""

RETURN = r"""
succeeded:
  description: True when the Job completed.
  returned: success
  type: bool
log:
  description: The log of the Job's newest pod (the O(container)).
  returned: when the Job ran and made a pod
  type: str
pod:
  description: Name of that pod.
  returned: when the Job made a pod
  type: str
node:
  description: Node the pod ran on.
  returned: when the Job made a pod
  type: str
job_status:
  description: The Job's final C(status).
  returned: when the Job ran
  type: dict
api_requests:
  description: HTTP requests sent to the API server.
  returned: success
  type: int
"""

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.job import run_job_module


def main():
    run_job_module(dict(
        name=dict(type="str", required=True),
        namespace=dict(type="str", required=True),
        pod_spec=dict(type="dict", required=True),
        labels=dict(type="dict", default={}),
        container=dict(type="str"),
        timeout=dict(type="int", default=300),
        keep=dict(type="bool", default=False),
    ))


if __name__ == "__main__":
    main()
