#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: k8s_info
short_description: Read Kubernetes objects of any kind, one by name or a filtered list
version_added: 0.2.0
description:
  - Finds the kind's REST path by API discovery, then reads one object (O(name)) or lists them, filtered by
    label and field selectors.
  - Uses the same connection options and credentials as the collection's other cluster modules, so roles need
    no second Kubernetes client.
author:
  - edgeai.serving contributors (@edgeai)
extends_documentation_fragment:
  - edgeai.serving.k8s_auth
  - ansible.builtin.action_common_attributes
options:
  api_version:
    description: API group and version of the kind, for example V(v1), V(apps/v1) or V(batch/v1).
    type: str
    default: v1
  kind:
    description: The kind, for example V(Node), V(DaemonSet) or V(ConfigMap).
    type: str
    required: true
  name:
    description: Read only the object of this name.
    type: str
  namespace:
    description: Namespace to read in. Ignored for cluster-scoped kinds; omitted, a list covers every namespace.
    type: str
  label_selectors:
    description: Label selector terms, ANDed, for example V(app=nvidia-device-plugin).
    type: list
    elements: str
    default: []
  field_selectors:
    description: Field selector terms, ANDed, for example V(metadata.name=edge-0).
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    support: full
    details: Reads as in a normal run; it changes nothing either way.
  diff_mode:
    support: none
  platform:
    platforms: posix
"""

EXAMPLES = r"""
- name: Read the nodes' GPU capacity on a MicroShift host
  edgeai.serving.k8s_info:
    kind: Node
    kubeconfig: /var/lib/microshift/resources/kubeadmin/kubeconfig
  register: nodes

- name: Show it
  ansible.builtin.debug:
    msg: "{{ nodes.resources | map(attribute='status.capacity') | map(attribute='nvidia.com/gpu', default='0') | list }}"
"""

RETURN = r"""
resources:
  description: The objects found (empty when none matches or the named object does not exist).
  returned: success
  type: list
  elements: dict
api_requests:
  description: HTTP requests sent to the API server.
  returned: success
  type: int
"""

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.objects import run_info


def main():
    run_info(dict(
        api_version=dict(type="str", default="v1"),
        kind=dict(type="str", required=True),
        name=dict(type="str"),
        namespace=dict(type="str"),
        label_selectors=dict(type="list", elements="str", default=[]),
        field_selectors=dict(type="list", elements="str", default=[]),
    ))


if __name__ == "__main__":
    main()
