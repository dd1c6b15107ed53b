import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.client import bearer_token, load_configuration
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError

KUBECONFIG = {
    "apiVersion": "v1", "kind": "Config", "current-context": "a",
    "clusters": [{"name": "c", "cluster": {"server": "https://10.0.0.1:6443", "insecure-skip-tls-verify": True}}],
    "users": [{"name": "u", "user": {"token": "from-kubeconfig"}}],
    "contexts": [{"name": "a", "context": {"cluster": "c", "user": "u"}}],
}


def test_inline_kubeconfig_with_tls_verification_kept_on():
    cfg = load_configuration({"kubeconfig": KUBECONFIG, "validate_certs": True})
    assert cfg.host == "https://10.0.0.1:6443"
    assert cfg.verify_ssl is True
    assert bearer_token(cfg) == "Bearer from-kubeconfig"


def test_options_override_kubeconfig():
    cfg = load_configuration({"kubeconfig": KUBECONFIG, "host": "https://api.edge:6443", "api_key": "t0k",
                              "ca_cert": "/ca.crt", "validate_certs": False, "proxy": "http://proxy:3128"})
    assert (cfg.host, cfg.ssl_ca_cert, cfg.verify_ssl, cfg.proxy) == ("https://api.edge:6443", "/ca.crt", False,
                                                                      "http://proxy:3128")
    assert bearer_token(cfg) == "Bearer t0k"


def test_unknown_context_is_a_clear_error():
    with pytest.raises(K8sError, match="cannot load the Kubernetes client configuration"):
        load_configuration({"kubeconfig": KUBECONFIG, "context": "nope"})
