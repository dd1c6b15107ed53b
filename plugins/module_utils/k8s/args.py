# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument specs shared by every module that talks to a cluster.

They match the doc fragments edgeai.serving.k8s_auth and edgeai.serving.k8s_apply.
Option names, aliases and K8S_AUTH_* variables follow kubernetes.core, so
existing inventories and module_defaults keep working.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import env_fallback


def _env(*names):
    # kubernetes.core reads K8S_AUTH_<option> first, then K8S_AUTH_<its older name>.
    return (env_fallback, ["K8S_AUTH_%s" % name for name in names])


AUTH_ARG_SPEC = dict(
    kubeconfig=dict(type="raw", fallback=_env("KUBECONFIG")),
    context=dict(type="str", fallback=_env("CONTEXT")),
    host=dict(type="str", fallback=_env("HOST")),
    api_key=dict(type="str", no_log=True, fallback=_env("API_KEY")),
    ca_cert=dict(type="path", aliases=["ssl_ca_cert"], fallback=_env("CA_CERT", "SSL_CA_CERT")),
    client_cert=dict(type="path", aliases=["cert_file"], fallback=_env("CLIENT_CERT", "CERT_FILE")),
    client_key=dict(type="path", aliases=["key_file"], no_log=False, fallback=_env("CLIENT_KEY", "KEY_FILE")),
    # No default: unset, the kubeconfig decides (verification on unless it sets insecure-skip-tls-verify).
    validate_certs=dict(type="bool", aliases=["verify_ssl"], fallback=_env("VALIDATE_CERTS", "VERIFY_SSL")),
    proxy=dict(type="str", fallback=_env("PROXY")),
)

APPLY_ARG_SPEC = dict(
    name=dict(type="str", required=True),
    namespace=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    definition=dict(type="dict"),
    labels=dict(type="dict", default={}),
    annotations=dict(type="dict", default={}),
    field_manager=dict(type="str", default="edgeai.serving"),
    force_conflicts=dict(type="bool", default=False),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=300),
)


def kind_argument_spec(**kind_options):
    """The full spec of a kind module: auth, apply/wait, then its own options."""
    spec = dict(AUTH_ARG_SPEC)
    spec.update(APPLY_ARG_SPEC)
    spec.update(kind_options)
    return spec
