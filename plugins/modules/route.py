#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: route
short_description: Expose a Service with an OpenShift or MicroShift Route and wait until a router admits it
version_added: 0.1.0
description:
  - Manages a C(route.openshift.io/v1) Route by server-side apply.
  - TLS is on by default, terminated at the router (V(edge)) with HTTP redirected to HTTPS.
  - With O(wait), waits until the platform has assigned C(spec.host) (when not given) and every router reports
    C(Admitted=True) for that host. Routers write C(status.ingress[]) per host, so an entry naming another host is
    from before a host change and proves nothing.
  - C(Admitted=False) (for example V(HostAlreadyClaimed)) fails at once with the router's reason when the router
    wrote it after the apply; an older refusal only makes the wait go on.
  - The returned O(hostname)-derived URL is the admitted host's.
author:
  - edgeai.serving contributors (@edgeai)
extends_documentation_fragment:
  - edgeai.serving.k8s_auth
  - edgeai.serving.k8s_apply
  - ansible.builtin.action_common_attributes
options:
  service:
    description:
      - The Service to route to, for example the C(predictor_service) returned by M(edgeai.serving.inference_service).
        Required with O(state=present) unless O(definition) gives C(spec.to).
    type: str
  target_port:
    description:
      - The Service port (name or number) to route to.
      - When not given it is read from the Service. A Service with one port, or with a port named C(http),
        C(https), C(rest), C(http1) or C(h2c), needs no choice.
    type: raw
  hostname:
    description:
      - The host name the route serves. Without it MicroShift and OpenShift assign
        C(<name>-<namespace>.<apps domain>).
      - Called C(hostname) because O(host) is the API server, as in C(community.okd.openshift_route).
    type: str
  path:
    description:
      - Path prefix to route. Not possible with V(passthrough) termination.
    type: str
  tls:
    description:
      - TLS settings. Omit for the secure default (edge termination, redirect HTTP).
    type: dict
    default: {}
    suboptions:
      termination:
        description:
          - Where TLS ends. V(none) makes a plain HTTP route.
        type: str
        choices: [edge, passthrough, reencrypt, none]
        default: edge
      insecure_edge_termination_policy:
        description:
          - What happens to plain HTTP requests. V(Allow) is invalid with V(passthrough).
        type: str
        choices: [Redirect, Allow, None]
        default: Redirect
        aliases: [insecure_policy]
      certificate:
        description:
          - PEM certificate for the route's host. Without it the router's default certificate is used.
        type: str
      key:
        description:
          - PEM private key of O(tls.certificate). Never logged, returned or shown in a diff.
        type: str
      ca_certificate:
        description:
          - PEM CA chain of O(tls.certificate).
        type: str
      destination_ca_certificate:
        description:
          - PEM CA that signed the pod's certificate, for V(reencrypt).
        type: str
seealso:
  - module: edgeai.serving.inference_service
"""

EXAMPLES = r"""
- name: Expose the predictor over HTTPS (edge, redirect), host assigned by MicroShift
  edgeai.serving.route:
    name: resnet
    namespace: ai-demo
    service: "{{ isvc.predictor_service }}"
  register: route

- name: Check the model through the route
  edgeai.serving.inference_request:
    url: "{{ route.url }}"
    model: resnet

- name: Serve a custom certificate on a chosen host
  edgeai.serving.route:
    name: resnet
    namespace: ai-demo
    service: resnet-predictor
    hostname: resnet.edge.example.com
    tls:
      certificate: "{{ lookup('ansible.builtin.file', 'resnet.crt') }}"
      key: "{{ lookup('ansible.builtin.file', 'resnet.key') }}"
"""

RETURN = r"""
result:
  description: The Route as last read, after the wait when O(wait) is set; the TLS key is hidden.
  returned: always
  type: dict
host:
  description: The host the router admitted (or the requested one before admission).
  returned: success with O(state=present)
  type: str
  sample: resnet-ai-demo.apps.edge.example
url:
  description: The URL of the route, C(https) when TLS is on.
  returned: success with O(state=present)
  type: str
  sample: https://resnet-ai-demo.apps.edge.example
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
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.route import KIND

OPTIONS = dict(
    service=dict(type="str"),
    target_port=dict(type="raw"),
    hostname=dict(type="str"),
    path=dict(type="str"),
    tls=dict(type="dict", default={}, options=dict(
        termination=dict(type="str", default="edge", choices=["edge", "passthrough", "reencrypt", "none"]),
        insecure_edge_termination_policy=dict(type="str", default="Redirect", choices=["Redirect", "Allow", "None"],
                                              aliases=["insecure_policy"]),
        certificate=dict(type="str"),
        key=dict(type="str", no_log=True),
        ca_certificate=dict(type="str"),
        destination_ca_certificate=dict(type="str"),
    )),
)


def main():
    run(KIND, OPTIONS)


if __name__ == "__main__":
    main()
