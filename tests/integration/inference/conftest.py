"""Fixtures for the inference_request and llm_request tests: real model
servers on loopback (KServe plain and TLS, Triton, and KServe's OpenAI-compatible
server with a tiny LLM), TLS material, test images, and a runner that calls the
modules through ``ansible`` exactly as a user would."""

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
LLM_TOKEN = "llm-test-token"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def closed_port_url():
    """URL of a loopback port nobody listens on."""
    return "http://127.0.0.1:%d" % free_port()


def server_python(requirements):
    """The python of a test server's venv, created by setup_model_server.sh if needed."""
    proc = subprocess.run(
        ["bash", str(HERE / "setup_model_server.sh"), requirements],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        pytest.fail("setup_model_server.sh %s failed:\n%s%s" % (requirements, proc.stdout, proc.stderr))
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def model_server_python():
    return server_python("model-server-requirements.txt")


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
    """A test server process in its own session; ready once every ``ready_paths`` answers 200."""

    def __init__(self, python, script, log_path, tls=None, token=None, ready_paths=("/v2/health/ready",),
                 extra_args=(), name="kserve"):
        self.name = name
        self.port = free_port()
        self.tls = tls
        self.token = token
        self.ready_paths = ready_paths
        scheme = "https" if tls else "http"
        self.url = "%s://127.0.0.1:%d" % (scheme, self.port)
        args = [python, str(HERE / script), "--port", str(self.port)] + list(extra_args)
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

    def _answers(self, path, context, headers):
        try:
            request = urllib.request.Request(self.url + path, headers=headers)
            with urllib.request.urlopen(request, timeout=2, context=context):
                return True
        except (urllib.error.URLError, OSError):
            return False

    def wait_ready(self):
        context = ssl.create_default_context(cafile=self.tls["ca"]) if self.tls else None
        headers = {"Authorization": "Bearer " + self.token} if self.token else {}
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail("%s server exited with %s:\n%s" % (self.name, self.process.returncode, self.log_tail()))
            if all(self._answers(path, context, headers) for path in self.ready_paths):
                return self
            time.sleep(0.5)
        self.stop()
        pytest.fail("%s server not ready after %ss:\n%s" % (self.name, SERVER_START_TIMEOUT, self.log_tail()))

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="session")
def model_server(model_server_python, tmp_path_factory):
    server = ModelServer(model_server_python, "tiny_model_server.py",
                         tmp_path_factory.mktemp("server") / "plain.log")
    yield server.wait_ready()
    server.stop()


@pytest.fixture(scope="session")
def tls_model_server(model_server_python, tls_files, tmp_path_factory):
    """HTTPS and a bearer token, like a model behind an authenticating route."""
    server = ModelServer(model_server_python, "tiny_model_server.py",
                         tmp_path_factory.mktemp("server") / "tls.log", tls=tls_files, token="tls-test-token")
    yield server.wait_ready()
    server.stop()


TRITON_MODELS = ("linear", "color", "flaky", "seed004")


@pytest.fixture(scope="session")
def triton_server(tmp_path_factory):
    """Triton Inference Server from the nvidia-pytriton wheel, unpatched."""
    python = server_python("triton-server-requirements.txt")
    folder = tmp_path_factory.mktemp("triton")
    server = ModelServer(
        python, "tiny_triton_server.py", folder / "triton.log", name="triton",
        ready_paths=["/v2/models/%s/ready" % m for m in TRITON_MODELS],
        extra_args=["--grpc-port", str(free_port()), "--metrics-port", str(free_port()),
                    "--workspace", str(folder / "workspace")])
    yield server.wait_ready()
    server.stop()


@pytest.fixture(scope="session", params=["kserve", "triton"])
def v2_server(request):
    """Each v2 test runs against KServe's Python server and against Triton."""
    return request.getfixturevalue({"kserve": "model_server", "triton": "triton_server"}[request.param])


@pytest.fixture(scope="session")
def llm_server(tls_files, tmp_path_factory):
    """KServe's OpenAI-compatible endpoints serving tiny_llm_server.py's model, over HTTPS with a token."""
    python = server_python("llm-server-requirements.txt")
    server = ModelServer(python, "tiny_llm_server.py", tmp_path_factory.mktemp("llm") / "llm.log", name="llm",
                         tls=tls_files, token=LLM_TOKEN, ready_paths=["/openai/v1/models"])
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


# A solid colour for the seed004 test models (their class 309).
SEED004_RGB = (144, 208, 176)


@pytest.fixture(scope="session")
def seed004_jpeg(tmp_path_factory):
    """A solid-colour JPEG, written by Pillow in the Triton server's venv (the test venv has no Pillow)."""
    path = tmp_path_factory.mktemp("seed004") / "solid.jpg"
    subprocess.run([server_python("triton-server-requirements.txt"), "-c",
                    "import sys; from PIL import Image; Image.new('RGB', (224, 224), %r).save(sys.argv[1], quality=95)"
                    % (SEED004_RGB,), str(path)], check=True)
    return str(path)


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
    """Run a module (inference_request by default) with ``ansible localhost -m``; return (rc, result dict)."""
    def run(args, check=False, verbose=False, module=MODULE):
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
            "-m", module, "-a", json.dumps(args), "--tree", str(tree),
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
