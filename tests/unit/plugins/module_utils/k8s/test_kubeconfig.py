import base64
import json
import os
import subprocess
import sys

import pytest
import yaml

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import kubeconfig as kc
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError


def b64(text):
    return base64.b64encode(text.encode()).decode()


def config(cluster=None, user=None, current="a"):
    return {
        "apiVersion": "v1", "kind": "Config", "current-context": current,
        "clusters": [{"name": "c", "cluster": dict({"server": "https://10.0.0.1:6443"}, **(cluster or {}))},
                     {"name": "other", "cluster": {"server": "https://10.0.0.2:6443"}}],
        "users": [{"name": "u", "user": user if user is not None else {"token": "from-kubeconfig"}},
                  {"name": "v", "user": {"token": "second"}}],
        "contexts": [{"name": "a", "context": {"cluster": "c", "user": "u"}},
                     {"name": "b", "context": {"cluster": "other", "user": "v"}}],
    }


def load(**params):
    return kc.load_credentials(params)


def test_current_context_token_and_default_verification():
    creds = load(kubeconfig=config())
    assert creds.host == "https://10.0.0.1:6443"
    assert creds.verify is True
    assert creds.authorization() == "Bearer from-kubeconfig"


def test_context_option_selects_another_context():
    creds = load(kubeconfig=config(), context="b")
    assert (creds.host, creds.authorization()) == ("https://10.0.0.2:6443", "Bearer second")


def test_cluster_fields():
    creds = load(kubeconfig=config(cluster={"insecure-skip-tls-verify": True, "proxy-url": "http://p:3128",
                                            "tls-server-name": "kubernetes", "certificate-authority-data": b64("CA")}))
    assert (creds.verify, creds.proxy, creds.tls_server_name, creds.ca_data) == (
        False, "http://p:3128", "kubernetes", b"CA")


def test_validate_certs_overrides_the_kubeconfig_both_ways():
    assert load(kubeconfig=config(cluster={"insecure-skip-tls-verify": True}), validate_certs=True).verify is True
    assert load(kubeconfig=config(), validate_certs=False).verify is False


def test_client_data_and_basic_auth():
    creds = load(kubeconfig=config(user={"client-certificate-data": b64("CERT"), "client-key-data": b64("KEY")}))
    assert (creds.cert_data, creds.key_data, creds.authorization()) == (b"CERT", b"KEY", None)
    basic = load(kubeconfig=config(user={"username": "admin", "password": "pw"}))
    assert basic.authorization() == "Basic " + b64("admin:pw")


def test_file_paths_are_relative_to_the_kubeconfig_file(tmp_path):
    (tmp_path / "token").write_text("from-file\n")
    for name in ("ca.crt", "client.crt", "client.key"):
        (tmp_path / name).write_text("x")
    path = tmp_path / "config"
    path.write_text(yaml.safe_dump(config(cluster={"certificate-authority": "ca.crt"},
                                          user={"tokenFile": "token", "client-certificate": "client.crt",
                                                "client-key": "client.key"})))
    creds = load(kubeconfig=str(path))
    assert creds.authorization() == "Bearer from-file"
    assert (creds.ca_file, creds.cert_file, creds.key_file) == (
        str(tmp_path / "ca.crt"), str(tmp_path / "client.crt"), str(tmp_path / "client.key"))


def test_options_override_the_kubeconfig(tmp_path):
    ca = tmp_path / "ca.crt"
    ca.write_text("x")
    creds = load(kubeconfig=config(cluster={"certificate-authority-data": b64("CA")}), host="https://api.edge:6443",
                 api_key="t0k", ca_cert=str(ca), proxy="http://proxy:3128")
    assert (creds.host, creds.ca_file, creds.ca_data, creds.proxy, creds.authorization()) == (
        "https://api.edge:6443", str(ca), None, "http://proxy:3128", "Bearer t0k")


def test_multiple_kubeconfig_files_merge_first_wins(tmp_path, monkeypatch):
    first, second = tmp_path / "one", tmp_path / "two"
    one = config(current="b")
    one["users"] = [{"name": "v", "user": {"token": "first-wins"}}]
    first.write_text(yaml.safe_dump(one))
    second.write_text(yaml.safe_dump(config(current="a")))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    monkeypatch.setenv("KUBECONFIG", "%s:%s" % (first, second))
    creds = load()
    assert (creds.host, creds.authorization()) == ("https://10.0.0.2:6443", "Bearer first-wins")
    assert load(kubeconfig="%s:%s" % (first, second)).authorization() == "Bearer first-wins"


@pytest.mark.parametrize("params, message", [
    (dict(kubeconfig=config(), context="nope"), "context 'nope' not found (contexts: a, b)"),
    (dict(kubeconfig=config(current=None)), "no context given and no current-context set"),
    (dict(kubeconfig=config(cluster={"server": ""})), "cluster 'c' has no server"),
    (dict(kubeconfig=config(user={"client-key-data": "%%%"})), "client-key-data is not valid base64"),
    (dict(kubeconfig=config(user={"client-key-data": b64("K")})), "a client certificate needs its key"),
    (dict(kubeconfig=config(user={"tokenFile": "/nonexistent/token"})), "cannot read tokenFile of user 'u'"),
    (dict(kubeconfig="/nonexistent/kubeconfig"), "cannot read the kubeconfig /nonexistent/kubeconfig"),
    (dict(kubeconfig=config(), ca_cert="/nonexistent/ca.crt"), "ca_cert: file not found: /nonexistent/ca.crt"),
    (dict(host=None, kubeconfig=None, api_key="t"), "no kubeconfig found at"),
])
def test_errors_name_what_is_wrong(params, message, monkeypatch, tmp_path):
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    with pytest.raises(K8sError) as e:
        kc.load_credentials(params)
    assert message in str(e.value)


def test_secrets_of_an_inline_kubeconfig():
    cfg = config(user={"token": "tok-1", "password": "pw-2", "client-key-data": "a2V5",
                       "auth-provider": {"name": "oidc", "config": {"id-token": "idt-3", "refresh-token": "rt-4"}},
                       "exec": {"command": "x", "env": [{"name": "SECRET", "value": "env-5"}]}})
    assert kc.kubeconfig_secrets(cfg) == {"tok-1", "pw-2", "a2V5", "idt-3", "rt-4", "second", "env-5"}
    assert kc.kubeconfig_secrets("/path/to/kubeconfig") == set()


def run_module_process(code, args):
    """Run `code` as an Ansible module process with `args`; return (stdout JSON, stderr)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([sys.executable, "-c", code], input=json.dumps({"ANSIBLE_MODULE_ARGS": args}),
                          capture_output=True, text=True, env=env, check=False)
    return proc.stdout, proc.stderr


MODULE_CODE = """
import json, sys
from ansible.module_utils import basic
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.args import AUTH_ARG_SPEC
from ansible_collections.edgeai.serving.plugins.module_utils.k8s import kubeconfig as kc
logged = []
basic.AnsibleModule.log = lambda self, msg, log_args=None: logged.append(msg)
m = kc.KubeconfigModule(argument_spec=dict(AUTH_ARG_SPEC))
creds = kc.load_credentials(m.params)
m.exit_json(logged=logged, kubernetes_imported="kubernetes" in sys.modules, auth=creds.authorization() is not None)
"""


def test_module_masks_inline_secrets_in_log_and_invocation_and_skips_the_kubernetes_import():
    cfg = config(user={"token": "s3cret-token-value"})
    out, err = run_module_process(MODULE_CODE, {"kubeconfig": cfg})
    assert "s3cret-token-value" not in out + err
    result = json.loads(out)
    assert result["logged"] and result["logged"][0].startswith("Invoked with")
    assert result["invocation"]["module_args"]["kubeconfig"]["users"][0]["user"]["token"] == \
        "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    # Non-secret fields stay readable.
    assert result["invocation"]["module_args"]["kubeconfig"]["clusters"][0]["cluster"]["server"] == \
        "https://10.0.0.1:6443"
    assert result["auth"] is True
    assert result["kubernetes_imported"] is False


def test_secrets_masked_when_validation_fails():
    cfg = config(user={"token": "s3cret-token-value"})
    out, err = run_module_process(MODULE_CODE, {"kubeconfig": cfg, "validate_certs": "maybe"})
    result = json.loads(out)
    assert result["failed"] and "validate_certs" in result["msg"]
    assert "s3cret-token-value" not in out + err
