"""Every kubeconfig form and K8S_AUTH_* variable, against the real API server of the local control plane.

Each case creates a ServingRuntime through the module, so the credentials must
authenticate and authorise a write, and TLS must verify (or be skipped) as configured.
"""

import base64
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest
import yaml
from kubernetes import client

from ansible_runner import ANSIBLE_PLAYBOOK
from ansible_runner import run_tasks
from test_rbac import bind, documented_role, no_kubeconfig, runtime_spec


def b64file(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


@pytest.fixture
def plane(cluster):
    certs = cluster["certs"]
    return {"port": cluster["ports"]["apiserver"], "server": "https://127.0.0.1:%d" % cluster["ports"]["apiserver"],
            "ca": os.path.join(certs, "ca.crt"), "cert": os.path.join(certs, "admin.crt"),
            "key": os.path.join(certs, "admin.key")}


def kubeconfig(cluster, user):
    return {"apiVersion": "v1", "kind": "Config", "current-context": "t",
            "clusters": [{"name": "p", "cluster": cluster}], "users": [{"name": "u", "user": user}],
            "contexts": [{"name": "t", "context": {"cluster": "p", "user": "u"}}]}


def runtime_task(name, namespace, **auth):
    return {"edgeai.serving.serving_runtime": dict(auth, name=name, namespace=namespace,
                                                   definition={"spec": runtime_spec()})}


def created(api, namespace, name):
    try:
        client.CustomObjectsApi(api).get_namespaced_custom_object(
            "serving.kserve.io", "v1alpha1", namespace, "servingruntimes", name)
        return True
    except client.exceptions.ApiException as e:
        if e.status == 404:
            return False
        raise


class ConnectProxy(object):
    """A real HTTP CONNECT proxy on loopback that records each tunnel's target."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.url = "http://127.0.0.1:%d" % self.server.getsockname()[1]
        self.targets = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn = self.server.accept()[0]
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(conn,), daemon=True).start()

    def _tunnel(self, conn):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                return conn.close()
            head += chunk
        method, target = head.split(b" ")[:2]
        if method != b"CONNECT":
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            return conn.close()
        self.targets.append(target.decode())
        host, port = target.decode().rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        pair = {conn: upstream, upstream: conn}
        while True:
            ready = select.select(list(pair), [], [], 60)[0]
            if not ready:
                break
            data = ready[0].recv(65536)
            if not data:
                break
            pair[ready[0]].sendall(data)
        conn.close()
        upstream.close()

    def close(self):
        self.server.close()


@pytest.fixture
def proxy():
    p = ConnectProxy()
    yield p
    p.close()


@pytest.fixture
def sa_token(api, namespace):
    role = documented_role()
    token = bind(api, namespace, role)
    # The authorizer learns of a new RoleBinding from its informer, a moment after the write.
    review = {"spec": {"user": "system:serviceaccount:%s:%s" % (namespace, role["metadata"]["name"]),
                       "groups": ["system:serviceaccounts"],
                       "resourceAttributes": {"namespace": namespace, "verb": "create", "group": "serving.kserve.io",
                                              "resource": "servingruntimes"}}}
    deadline = time.monotonic() + 30
    while not client.AuthorizationV1Api(api).create_subject_access_review(review).status.allowed:
        assert time.monotonic() < deadline, "the RoleBinding never took effect"
        time.sleep(0.2)
    return token


def exec_plugin(tmp_path, token):
    """A credential plugin: a small script printing an ExecCredential, as cloud CLIs do."""
    (tmp_path / "token").write_text(token)
    script = tmp_path / "credential-plugin"
    script.write_text("#!%s\nimport json, sys\nprint(json.dumps({'apiVersion': 'client.authentication.k8s.io/v1', "
                      "'kind': 'ExecCredential', 'status': {'token': open(sys.argv[1]).read()}}))\n" % sys.executable)
    script.chmod(0o755)
    return {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(script),
                     "args": [str(tmp_path / "token")], "interactiveMode": "Never"}}


def test_every_kubeconfig_form_works(api, namespace, plane, sa_token, proxy, tmp_path):
    ca_data = {"server": plane["server"], "certificate-authority-data": b64file(plane["ca"])}
    ca_file = {"server": plane["server"], "certificate-authority": plane["ca"]}
    (tmp_path / "sa-token").write_text(sa_token)
    token_file_config = tmp_path / "token-file.kubeconfig"
    # tokenFile relative to the kubeconfig's folder, as kubectl reads it.
    token_file_config.write_text(yaml.safe_dump(kubeconfig(ca_file, {"tokenFile": "sa-token"})))
    cert_file_config = tmp_path / "client-cert.kubeconfig"
    cert_file_config.write_text(yaml.safe_dump(kubeconfig(ca_file, {"client-certificate": plane["cert"],
                                                                    "client-key": plane["key"]})))
    cases = {
        "inline-sa-token": kubeconfig(ca_data, {"token": sa_token}),
        "file-token-file": str(token_file_config),
        "file-client-cert": str(cert_file_config),
        "inline-client-cert-data": kubeconfig(ca_data, {"client-certificate-data": b64file(plane["cert"]),
                                                        "client-key-data": b64file(plane["key"])}),
        "exec-plugin": kubeconfig(ca_data, exec_plugin(tmp_path, sa_token)),
        "insecure-skip-tls-verify": kubeconfig({"server": plane["server"], "insecure-skip-tls-verify": True},
                                               {"token": sa_token}),
        # The certificate names kubernetes.default.svc; the wrong-name test below shows the field is used.
        "tls-server-name": kubeconfig(dict(ca_data, **{"tls-server-name": "kubernetes.default.svc"}),
                                      {"token": sa_token}),
        "proxy-url": kubeconfig(dict(ca_data, **{"proxy-url": proxy.url}), {"token": sa_token}),
    }
    # Two contexts: the current one points at a closed port, the `context` option picks the working one.
    two_contexts = kubeconfig({"server": "https://127.0.0.1:1", "insecure-skip-tls-verify": True}, {})
    two_contexts["clusters"].append({"name": "good", "cluster": ca_data})
    two_contexts["users"].append({"name": "sa", "user": {"token": sa_token}})
    two_contexts["contexts"].append({"name": "good", "context": {"cluster": "good", "user": "sa"}})
    tasks = [runtime_task(name, namespace, kubeconfig=cfg) for name, cfg in cases.items()]
    tasks.append(runtime_task("context-option", namespace, kubeconfig=two_contexts, context="good"))
    cases["context-option"] = two_contexts
    results = run_tasks(tasks, env=no_kubeconfig())
    for name, res in zip(cases, results):
        assert not res.get("failed"), (name, res.get("msg"))
        assert res["changed"] and created(api, namespace, name), name
    assert "127.0.0.1:%d" % plane["port"] in proxy.targets


def test_wrong_tls_server_name_and_missing_ca_fail_clearly(namespace, plane, sa_token):
    wrong_name = kubeconfig({"server": plane["server"], "certificate-authority": plane["ca"],
                             "tls-server-name": "wrong.example"}, {"token": sa_token})
    no_ca = kubeconfig({"server": plane["server"]}, {"token": sa_token})
    results = run_tasks([runtime_task("wrong-name", namespace, kubeconfig=wrong_name),
                         runtime_task("no-ca", namespace, kubeconfig=no_ca)], env=no_kubeconfig())
    for res in results:
        assert res.get("failed")
        assert "TLS verification of the API server %s failed" % plane["server"] in res["msg"]
    assert "wrong.example" in results[0]["msg"]


def test_validate_certs_variable(api, namespace, plane, sa_token, tmp_path):
    path = tmp_path / "no-ca.kubeconfig"
    path.write_text(yaml.safe_dump(kubeconfig({"server": plane["server"]}, {"token": sa_token})))
    env = dict(no_kubeconfig(), K8S_AUTH_KUBECONFIG=str(path))
    (off,) = run_tasks([runtime_task("validate-off", namespace)], env=dict(env, K8S_AUTH_VALIDATE_CERTS="false"))
    assert not off.get("failed"), off.get("msg")
    assert created(api, namespace, "validate-off")
    (on,) = run_tasks([runtime_task("validate-on", namespace)], env=dict(env, K8S_AUTH_VALIDATE_CERTS="true"))
    assert on.get("failed") and "TLS verification" in on["msg"]
    assert not created(api, namespace, "validate-on")


def test_ca_and_client_certificate_variables(api, namespace, plane):
    env = dict(no_kubeconfig(), K8S_AUTH_HOST=plane["server"], K8S_AUTH_CA_CERT=plane["ca"],
               K8S_AUTH_CLIENT_CERT=plane["cert"], K8S_AUTH_CLIENT_KEY=plane["key"])
    (res,) = run_tasks([runtime_task("from-variables", namespace)], env=env)
    assert not res.get("failed"), res.get("msg")
    assert created(api, namespace, "from-variables")


def test_inline_token_never_printed_at_vvvv(api, namespace, plane, sa_token):
    cfg = kubeconfig({"server": plane["server"], "certificate-authority-data": b64file(plane["ca"])},
                     {"token": sa_token})
    play = [{"hosts": "localhost", "gather_facts": False, "connection": "local",
             "tasks": [runtime_task("masked", namespace, kubeconfig=cfg)]}]
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        yaml.safe_dump(play, f)
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1", **no_kubeconfig())
    env.pop("ANSIBLE_STDOUT_CALLBACK", None)
    try:
        proc = subprocess.run([ANSIBLE_PLAYBOOK, "-vvvv", "-i", "localhost,", f.name], capture_output=True,
                              text=True, env=env, stdin=subprocess.DEVNULL, check=False)
    finally:
        os.unlink(f.name)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert created(api, namespace, "masked")
    # The invocation was printed, with the token masked in it.
    assert '"module_args"' in proc.stdout and "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in proc.stdout
    assert sa_token not in proc.stdout + proc.stderr
    assert json.dumps(sa_token)[1:-1] not in proc.stdout + proc.stderr
