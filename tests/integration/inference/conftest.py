"""Fixtures for the inference_request tests: a real KServe model server on
loopback (plain and TLS), TLS material, test images, and a runner that calls
the module through ``ansible`` exactly as a user would."""

import datetime
import ipaddress
import json
import os
import signal
import socket
import ssl
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
SERVER_START_TIMEOUT = 180
MODULE = "edgeai.serving.inference_request"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def closed_port_url():
    """URL of a loopback port nobody listens on."""
    return "http://127.0.0.1:%d" % free_port()


@pytest.fixture(scope="session")
def model_server_python():
    """The model-server venv's python, created by setup_model_server.sh if needed."""
    proc = subprocess.run(
        ["bash", str(HERE / "setup_model_server.sh")],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        pytest.fail("setup_model_server.sh failed:\n%s%s" % (proc.stdout, proc.stderr))
    return proc.stdout.strip().splitlines()[-1]


# --- TLS material ----------------------------------------------------------

def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_pem(path, data):
    path.write_bytes(data)
    return str(path)


def _make_ca(common_name):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name)).issuer_name(_name(common_name))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """Server cert for 127.0.0.1 signed by ``ca``; ``wrong_ca`` signed nothing."""
    out = tmp_path_factory.mktemp("tls")
    ca_key, ca_cert = _make_ca("edgeai test CA")
    dummy, wrong_ca_cert = _make_ca("edgeai unrelated CA")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1")).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return {
        "ca": _write_pem(out / "ca.pem", ca_cert.public_bytes(pem)),
        "wrong_ca": _write_pem(out / "wrong-ca.pem", wrong_ca_cert.public_bytes(pem)),
        "cert": _write_pem(out / "server.pem", cert.public_bytes(pem)),
        "key": _write_pem(out / "server-key.pem", key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
    }


# --- model servers ---------------------------------------------------------

class ModelServer:
    def __init__(self, python, log_path, tls=None, token=None):
        self.port = free_port()
        self.tls = tls
        self.token = token
        scheme = "https" if tls else "http"
        self.url = "%s://127.0.0.1:%d" % (scheme, self.port)
        args = [python, str(HERE / "tiny_model_server.py"), "--port", str(self.port)]
        if tls:
            args += ["--certfile", tls["cert"], "--keyfile", tls["key"]]
        if token:
            args += ["--token", token]
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                cwd=str(HERE), start_new_session=True)

    def log_tail(self):
        return Path(self.log_path).read_text(errors="replace")[-4000:]

    def wait_ready(self):
        context = ssl.create_default_context(cafile=self.tls["ca"]) if self.tls else None
        headers = {"Authorization": "Bearer " + self.token} if self.token else {}
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail("model server exited with %s:\n%s" % (self.process.returncode, self.log_tail()))
            try:
                request = urllib.request.Request(self.url + "/v2/health/ready", headers=headers)
                with urllib.request.urlopen(request, timeout=2, context=context):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        self.stop()
        pytest.fail("model server not ready after %ss:\n%s" % (SERVER_START_TIMEOUT, self.log_tail()))

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="session")
def model_server(model_server_python, tmp_path_factory):
    server = ModelServer(model_server_python, tmp_path_factory.mktemp("server") / "plain.log")
    yield server.wait_ready()
    server.stop()


@pytest.fixture(scope="session")
def tls_model_server(model_server_python, tls_files, tmp_path_factory):
    """HTTPS and a bearer token, like a model behind an authenticating route."""
    server = ModelServer(model_server_python, tmp_path_factory.mktemp("server") / "tls.log",
                         tls=tls_files, token="tls-test-token")
    yield server.wait_ready()
    server.stop()


# --- images ----------------------------------------------------------------

def solid_png(rgb, size=16):
    """A size x size PNG of one colour, written with zlib so the test venv needs no Pillow."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b""))


@pytest.fixture
def image_file(tmp_path):
    def make(rgb):
        path = tmp_path / ("image-%02x%02x%02x.png" % tuple(rgb))
        path.write_bytes(solid_png(rgb))
        return str(path)
    return make


# --- running the module the way Ansible does ------------------------------

@pytest.fixture(scope="session")
def collections_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("collections")
    namespace = root / "ansible_collections" / "edgeai"
    namespace.mkdir(parents=True)
    (namespace / "serving").symlink_to(REPO_ROOT, target_is_directory=True)
    return str(root)


@pytest.fixture
def run_module(collections_path, tmp_path):
    """Run the module with ``ansible localhost -m``; return (rc, result dict)."""
    def run(args, check=False, verbose=False):
        tree = tmp_path / "tree"
        env = dict(os.environ)
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": collections_path,
            "ANSIBLE_HOST_KEY_CHECKING": "False",
            "ANSIBLE_NOCOLOR": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        })
        command = [
            os.path.join(os.path.dirname(sys.executable), "ansible"), "localhost",
            "-i", "localhost,", "-c", "local",
            "-e", "ansible_python_interpreter=%s" % sys.executable,
            "-m", MODULE, "-a", json.dumps(args), "--tree", str(tree),
        ]
        if check:
            command.append("--check")
        if verbose:
            # -vvv makes results carry "invocation", i.e. the module arguments as logged.
            command.append("-vvv")
        proc = subprocess.run(command, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=300, check=False)
        result_file = tree / "localhost"
        if not result_file.exists():
            pytest.fail("ansible gave no result (rc %s):\n%s\n%s" % (proc.returncode, proc.stdout, proc.stderr))
        return proc.returncode, json.loads(result_file.read_text())
    return run
