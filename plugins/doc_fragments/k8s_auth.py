# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Matches AUTH_ARG_SPEC in plugins/module_utils/k8s/args.py.
    DOCUMENTATION = r"""
options:
  kubeconfig:
    description:
      - Path to a kubeconfig file, or the kubeconfig itself as a dictionary.
      - Read without the C(kubernetes) Python package, for C(token), C(tokenFile), client certificate and key as files
        or data, CA file or data, C(username)/C(password), C(insecure-skip-tls-verify), C(proxy-url) and
        C(tls-server-name). Users with C(exec) or C(auth-provider) need the C(kubernetes) package.
      - In a dictionary, the values of C(token), C(password), C(client-key-data), C(auth-provider) config and
        C(exec) env are masked in all output and logs, at any verbosity.
      - Without O(kubeconfig) and O(host), the in-cluster service account is used when present,
        otherwise C(~/.kube/config) or the E(KUBECONFIG) environment variable.
      - Can also be set with the E(K8S_AUTH_KUBECONFIG) environment variable.
    type: raw
  context:
    description:
      - The kubeconfig context to use. Defaults to the kubeconfig's current context.
      - Can also be set with the E(K8S_AUTH_CONTEXT) environment variable.
    type: str
  host:
    description:
      - URL of the API server, for example V(https://api.edge.example:6443). Overrides the kubeconfig's server.
      - Can also be set with the E(K8S_AUTH_HOST) environment variable.
    type: str
  api_key:
    description:
      - Bearer token for the API server, for example a ServiceAccount token.
      - Can also be set with the E(K8S_AUTH_API_KEY) environment variable.
    type: str
  ca_cert:
    description:
      - Path to the CA bundle that signed the API server's certificate. Overrides the kubeconfig's CA.
      - Can also be set with the E(K8S_AUTH_CA_CERT) or E(K8S_AUTH_SSL_CA_CERT) environment variable.
    type: path
    aliases: [ssl_ca_cert]
  client_cert:
    description:
      - Path to a client certificate for mutual TLS. Overrides the kubeconfig's client certificate.
      - Can also be set with the E(K8S_AUTH_CLIENT_CERT) or E(K8S_AUTH_CERT_FILE) environment variable.
    type: path
    aliases: [cert_file]
  client_key:
    description:
      - Path to the key of O(client_cert).
      - Can also be set with the E(K8S_AUTH_CLIENT_KEY) or E(K8S_AUTH_KEY_FILE) environment variable.
    type: path
    aliases: [key_file]
  validate_certs:
    description:
      - Verify the API server's TLS certificate. Leave this on outside throw-away test clusters.
      - When not set, the certificate is verified unless the kubeconfig's cluster sets C(insecure-skip-tls-verify),
        as with C(kubectl). When set, it overrides the kubeconfig.
      - Can also be set with the E(K8S_AUTH_VALIDATE_CERTS) or E(K8S_AUTH_VERIFY_SSL) environment variable.
    type: bool
    aliases: [verify_ssl]
  proxy:
    description:
      - URL of an HTTP proxy to reach the API server through (C(http://[user:password@]host:port)); the
        connection to the API server is tunnelled with CONNECT.
      - Can also be set with the E(K8S_AUTH_PROXY) environment variable.
    type: str
requirements:
  - PyYAML (to read a kubeconfig file)
  - kubernetes >= 31.0.0 (Python library), only for C(exec) and C(auth-provider) kubeconfig users and the
    in-cluster ServiceAccount
notes:
  - All modules of this collection that talk to a cluster are in the action group C(edgeai.serving.k8s),
    so connection options can be set once with C(module_defaults).
  - The option names and E(K8S_AUTH_*) variables are those of C(kubernetes.core).
"""
