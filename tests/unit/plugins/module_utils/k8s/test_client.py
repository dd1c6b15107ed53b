import http.server
import json
import os
import ssl
import tempfile
import threading

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import client
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.kubeconfig import Credentials
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.resources import DEPLOYMENT


def creds(**fields):
    c = Credentials("https://10.0.0.1:6443")
    for k, v in fields.items():
        setattr(c, k, v)
    return c


def self_signed_pair():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import datetime
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "unit")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


def test_verification_is_on_by_default():
    ctx = client.ssl_context(creds())
    assert ctx.verify_mode == ssl.CERT_REQUIRED


def test_verification_off_only_when_asked():
    ctx = client.ssl_context(creds(verify=False))
    assert ctx.verify_mode == ssl.CERT_NONE and not ctx.check_hostname


def test_ca_data_is_the_only_trust():
    cert = self_signed_pair()[0]
    ctx = client.ssl_context(creds(ca_data=cert))
    assert ctx.cert_store_stats()["x509"] == 1


def test_client_key_data_goes_through_a_temp_dir_removed_at_once(monkeypatch):
    cert, key = self_signed_pair()
    made = []
    real = tempfile.mkdtemp

    def spy(**kwargs):
        made.append(real(**kwargs))
        return made[-1]
    monkeypatch.setattr(client.tempfile, "mkdtemp", spy)
    client.ssl_context(creds(cert_data=cert, key_data=key))
    assert len(made) == 1 and not os.path.exists(made[0])


def test_mismatched_key_names_the_client_certificate():
    cert = self_signed_pair()[0]
    other_key = self_signed_pair()[1]
    with pytest.raises(K8sError, match="cannot load the client certificate and key"):
        client.ssl_context(creds(cert_data=cert, key_data=other_key))


def test_unreadable_ca_names_the_ca(tmp_path):
    bad = tmp_path / "ca.crt"
    bad.write_text("not a certificate")
    with pytest.raises(K8sError, match="cannot load the CA certificate"):
        client.ssl_context(creds(ca_file=str(bad)))


def test_proxy_with_credentials_tunnels_to_the_api_server():
    end = client.Endpoint(creds(proxy="http://us%40er:pw@proxy.test:3128", tls_server_name="kubernetes"))
    conn = end.connect(5)
    assert (conn.host, conn.port) == ("proxy.test", 3128)
    assert (conn._tunnel_host, conn._tunnel_port) == ("10.0.0.1", 6443)
    assert conn._tunnel_headers["Proxy-Authorization"] == "Basic dXNAZXI6cHc="
    assert conn.server_name == "kubernetes"


def test_direct_connection_without_proxy():
    conn = client.Endpoint(creds()).connect(5)
    assert (conn.host, conn.port, conn._tunnel_host) == ("10.0.0.1", 6443, None)


@pytest.mark.parametrize("field, value, message", [
    ("host", "10.0.0.1:6443", "host: '10.0.0.1:6443' is not an http(s) URL"),
    ("host", "https://h:port", "is not an http(s) URL"),
    ("proxy", "socks5://proxy:1080", "proxy: 'socks5://proxy:1080' is not supported"),
])
def test_bad_urls_name_the_option(field, value, message):
    with pytest.raises(K8sError) as e:
        client.Endpoint(creds(**{field: value}))
    assert message in str(e.value)


class LocalServer(object):
    """A real HTTP/1.1 server on loopback that counts the connections it accepts."""

    def __init__(self, close_after_each=False):
        outer = self
        self.connections = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                outer.connections += 1
                http.server.BaseHTTPRequestHandler.setup(self)

            def do_GET(self):
                body = json.dumps({"kind": "Deployment", "path": self.path}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                # An idle keep-alive connection the server drops without saying so.
                self.close_connection = close_after_each

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("close_after_each, connections", [(False, 1), (True, 3)])
def test_requests_share_one_connection_and_survive_a_dropped_one(close_after_each, connections):
    server = LocalServer(close_after_each)
    try:
        cluster = client.Cluster(Credentials(server.url))
        for name in ("a", "b", "c"):
            assert cluster.get(DEPLOYMENT, "ns", name)["path"] == "/apis/apps/v1/namespaces/ns/deployments/" + name
        assert cluster.requests == 3
        assert server.connections == connections
    finally:
        server.close()
