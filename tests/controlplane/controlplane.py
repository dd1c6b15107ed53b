"""A real local Kubernetes control plane for the collection's tests.

etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok fake
nodes and the real KServe controller, all built from the Go modules pinned in
go.mod beside this file; the real OpenVINO operator v1.2.0, built from a copy
of its release source (shared/upstream) with its own go.mod, run with its own
CRD and Helm chart; the real CRDs; and one plainly named stand-in from
tests/standins (route admission/router).

  controlplane.py up      start (or reuse) it and print the kubeconfig path
  controlplane.py down    stop every process it started, by PID
  controlplane.py status  say what runs
  controlplane.py env     print `export KUBECONFIG=...` lines for a shell

Everything binds to 127.0.0.1.  Binaries are cached under
~/.cache/edgeai-serving/bin/<hash of the module's go.mod, go.sum and the Go
version>, one directory per Go module.
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
STANDINS = os.path.join(REPO, "tests", "standins")
CACHE = os.path.expanduser(os.environ.get("EDGEAI_CACHE", "~/.cache/edgeai-serving"))
STATE_DIR = os.path.join(CACHE, "controlplane")
STATE_FILE = os.path.join(STATE_DIR, "state.json")
KSERVE_NAMESPACE = "redhat-ods-applications"
ROUTE_DOMAIN = "apps.edge.test"
GPU_NODE = "kwok-gpu-0"
CPU_NODE = "kwok-cpu-0"
# The operator's release source, beside the repository as shared/ is (read-only there).
OPERATOR_SRC = os.path.join(os.path.dirname(REPO), "shared", "upstream", "openvino-operator-v1.2.0")
OPERATOR_BINARY = "openvino-operator"
BINARIES = ("server", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "manager")


def log(msg):
    print("[controlplane] %s" % msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- build

def go_env(*names):
    out = subprocess.run(["go", "env", "-json"] + list(names), cwd=HERE, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def pin_hash(src):
    h = hashlib.sha256()
    for name in ("go.mod", "go.sum"):
        with open(os.path.join(src, name), "rb") as f:
            h.update(f.read())
    h.update(subprocess.run(["go", "version"], capture_output=True, text=True, check=True).stdout.encode())
    return h.hexdigest()[:16]


def go_build(src, target, binaries, what, expected):
    """`go build -o <dir>/ target` in the Go module `src`, once per module, Go version and pins."""
    bindir = os.path.join(CACHE, "bin", pin_hash(src))
    if all(os.access(os.path.join(bindir, b), os.X_OK) for b in binaries):
        return bindir
    log("building %s into %s (first time on this machine: %s)" % (what, bindir, expected))
    os.makedirs(os.path.join(CACHE, "bin"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="build-", dir=os.path.join(CACHE, "bin"))
    env = dict(os.environ, GOFLAGS="-mod=readonly")
    started = time.time()
    # -v names each package as it compiles: the progress a cold build needs.
    out = os.path.join(tmp, binaries[0]) if len(binaries) == 1 else tmp + "/"
    proc = subprocess.Popen(["go", "build", "-v", "-o", out, target], cwd=src, env=env,
                            stderr=subprocess.PIPE, text=True)
    count = 0
    for line in proc.stderr:
        count += 1
        if line.startswith("#") or ".go:" in line:
            sys.stderr.write(line)
        elif count % 250 == 0:
            log("compiled %d packages (%ds)" % (count, time.time() - started))
    if proc.wait() != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SystemExit("go build of %s failed (exit %d)" % (what, proc.returncode))
    shutil.rmtree(bindir, ignore_errors=True)
    os.rename(tmp, bindir)
    log("built %d packages of %s in %ds" % (count, what, time.time() - started))
    return bindir


def ensure_binaries():
    return go_build(HERE, "tool", BINARIES, "the control plane binaries", "15-30 min")


def operator_source():
    """A writable copy of the operator's release source (shared/ is read-only in CI)."""
    copy = os.path.join(CACHE, "src", os.path.basename(OPERATOR_SRC))
    if not os.path.isfile(os.path.join(copy, "go.sum")):
        if not os.path.isdir(OPERATOR_SRC):
            raise SystemExit("the OpenVINO operator source is not at %s" % OPERATOR_SRC)
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(OPERATOR_SRC, copy + ".tmp", copy_function=shutil.copyfile)
        for root, _dirs, _files in os.walk(copy + ".tmp"):
            os.chmod(root, 0o755)
        os.rename(copy + ".tmp", copy)
    return copy


def ensure_operator():
    """The OpenVINO operator's manager, built from its own go.mod (k8s.io v0.29, Helm v3.14)."""
    src = operator_source()
    bindir = go_build(src, "./cmd", (OPERATOR_BINARY,), "the OpenVINO operator", "about 6 min on 2 cores")
    return src, os.path.join(bindir, OPERATOR_BINARY)


def pinned_version(module):
    """The version of `module` in go.mod (built) or data-modules.txt (files only)."""
    for name in ("go.mod", "data-modules.txt"):
        with open(os.path.join(HERE, name)) as f:
            for line in f:
                parts = line.split()
                if parts[:1] == ["require"]:
                    parts = parts[1:]
                if len(parts) >= 2 and parts[0] == module:
                    return parts[1]
    raise SystemExit("%s is not pinned in go.mod or data-modules.txt" % module)


def module_dir(module):
    out = subprocess.run(["go", "mod", "download", "-json", "%s@%s" % (module, pinned_version(module))],
                         cwd=HERE, capture_output=True, text=True, check=True).stdout
    return json.loads(out)["Dir"]


# ---------------------------------------------------------------- certificates

def make_certs(d):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID
    import ipaddress

    def write_key(key, path):
        with open(path, "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
        os.chmod(path, 0o600)

    def write_cert(cert, path):
        with open(path, "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "edgeai-test-ca")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    write_key(ca_key, os.path.join(d, "ca.key"))
    write_cert(ca, os.path.join(d, "ca.crt"))

    def leaf(name, cn, orgs=(), server=False):
        key = ec.generate_private_key(ec.SECP256R1())
        attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
        b = (x509.CertificateBuilder().subject_name(x509.Name(attrs)).issuer_name(ca_name)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=365)))
        if server:
            b = b.add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.DNSName("kubernetes"), x509.DNSName("kubernetes.default.svc"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        write_key(key, os.path.join(d, name + ".key"))
        write_cert(b.sign(ca_key, hashes.SHA256()), os.path.join(d, name + ".crt"))

    leaf("apiserver", "kube-apiserver", server=True)
    leaf("admin", "edgeai-admin", orgs=("system:masters",))
    leaf("webhook", "kserve-webhook", server=True)
    # kwok's kubelet endpoint: kube-apiserver proxies pods/log there and verifies it against the CA.
    leaf("kwok", "kwok-kubelet", server=True)
    sa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    write_key(sa, os.path.join(d, "sa.key"))
    with open(os.path.join(d, "sa.pub"), "wb") as f:
        f.write(sa.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo))


# ---------------------------------------------------------------- processes

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # A zombie is dead for our purpose.
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def spawn(state, name, argv, env=None, cwd=None):
    logf = open(os.path.join(STATE_DIR, "logs", name + ".log"), "ab")
    proc = subprocess.Popen(argv, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=dict(os.environ, **(env or {})), start_new_session=True, cwd=cwd)
    state["pids"][name] = proc.pid
    state["argv"][name] = argv
    state["env"][name] = env or {}
    save(state)
    return proc.pid


def stop_pid(pid, grace=10.0):
    if not alive(pid):
        return
    try:
        os.killpg(pid, signal.SIGTERM)
    except OSError:
        os.kill(pid, signal.SIGTERM)
    deadline = time.time() + grace
    while time.time() < deadline and alive(pid):
        time.sleep(0.1)
    if alive(pid):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


def wait_until(what, check, timeout=120, proc_name=None, state=None):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            if check():
                return
        except Exception as e:  # noqa: BLE001 - any failure means "not yet"
            last = e
        if proc_name and state and not alive(state["pids"][proc_name]):
            raise SystemExit("%s exited; see %s" % (proc_name, os.path.join(STATE_DIR, "logs", proc_name + ".log")))
        time.sleep(0.3)
    raise SystemExit("timed out after %ds waiting for %s (last error: %s)" % (timeout, what, last))


def save(state):
    tmp = STATE_FILE + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1)
    os.replace(tmp, STATE_FILE)


def load():
    try:
        with open(STATE_FILE) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def https_get(state, path):
    d = state["certs"]
    ctx = ssl.create_default_context(cafile=os.path.join(d, "ca.crt"))
    ctx.load_cert_chain(os.path.join(d, "admin.crt"), os.path.join(d, "admin.key"))
    with urllib.request.urlopen("https://127.0.0.1:%d%s" % (state["ports"]["apiserver"], path),
                                context=ctx, timeout=5) as r:
        return r.read().decode()


def apiserver_ready(state):
    return https_get(state, "/readyz") == "ok"


def start_apiserver(state, wait=True):
    """Start kube-apiserver with the flags recorded in state (also used by fault tests)."""
    spawn(state, "kube-apiserver", state["argv"]["kube-apiserver"])
    if wait:
        wait_until("kube-apiserver /readyz", lambda: apiserver_ready(state), 120, "kube-apiserver", state)


def metric_matches(state, pattern):
    """The lines of kube-apiserver's /metrics that `pattern` matches, as match objects."""
    for line in https_get(state, "/metrics").splitlines():
        m = pattern.match(line)
        if m:
            yield m


WATCH_METRIC = re.compile(r'^apiserver_longrunning_requests\{(?=.*verb="WATCH")(?=.*scope="cluster")'
                          r'.*?group="([^"]*)".*?resource="([^"]*)".*\} (\S+)$')


def cluster_watches(state, samples=1):
    """Open cluster-wide watches per resource, from the API server's own metrics: the controllers' informers.

    With several samples, the least of each: a watch being renewed counts twice for a moment.
    """
    least = None
    for i in range(samples):
        counts = {}
        for m in metric_matches(state, WATCH_METRIC):
            key = "%s/%s" % (m.group(1) or "core", m.group(2))
            counts[key] = counts.get(key, 0) + int(float(m.group(3)))
        least = counts if least is None else dict((k, min(n, counts.get(k, 0))) for k, n in least.items())
        if i + 1 < samples:
            time.sleep(0.2)
    return least


REQUEST_METRIC = re.compile(r'^apiserver_request_total(?=\{.*[{,]verb="([A-Z]+)")(?=\{.*[{,]resource="([^"]*)")'
                            r'(?=.*[{,]subresource="")(?=.*[{,]dry_run="")\{[^}]*\} (\S+)$')


def requests_served(state, verb, resource):
    """Requests of `verb` (APPLY, LIST, WATCH...) on `resource` the API server has served, by its own count."""
    return sum(int(float(m.group(3))) for m in metric_matches(state, REQUEST_METRIC)
               if m.group(1) == verb and m.group(2) == resource)


def settle_watches(state, before, timeout=240):
    """Wait until the controllers watch again at least what they watched before a fault.

    After an API server restart, client-go informers come back one by one over
    a minute or two (back-off up to 60 s, seen here up to 115 s). Until then a
    controller misses new objects: KServe reports NoSupportingRuntime for an
    InferenceService created right after its ServingRuntime. A fault test
    settles before the next test starts.
    """
    deadline = time.time() + timeout
    while True:
        now = cluster_watches(state)
        short = sorted("%s %d of %d" % (k, now.get(k, 0), n) for k, n in before.items() if now.get(k, 0) < n)
        if not short:
            return
        if time.time() > deadline:
            raise AssertionError("after %ds, cluster-wide watches still missing: %s" % (timeout, ", ".join(short)))
        time.sleep(1)


def restart_apiserver(state=None, down_seconds=0.0):
    """Stop kube-apiserver gracefully (SIGTERM) by PID and start it again: for the fault tests."""
    state = state or load()
    stop_pid(state["pids"]["kube-apiserver"], grace=5)
    time.sleep(down_seconds)
    start_apiserver(state)


def kill_and_restart(name, down_seconds=0.0):
    """SIGKILL one component by PID (no shutdown of its own), then start it again as before."""
    state = load()
    pid = state["pids"][name]
    os.kill(pid, signal.SIGKILL)
    while alive(pid):
        time.sleep(0.05)
    time.sleep(down_seconds)
    spawn(state, name, state["argv"][name], state["env"].get(name))
    if name == "kube-apiserver":
        wait_until("kube-apiserver /readyz", lambda: apiserver_ready(state), 120, name, state)
    elif name == "kserve-controller":
        port = state["ports"]["kserve_health"]
        wait_until("the KServe controller's health probe",
                   lambda: urllib.request.urlopen("http://127.0.0.1:%d/readyz" % port, timeout=2).status == 200,
                   180, name, state)


# ---------------------------------------------------------------- cluster content

def kube_client(state):
    from kubernetes import client, config
    return config.new_client_from_config(config_file=state["kubeconfig"])


def write_kubeconfig(state, path=None, user=None):
    """The admin kubeconfig, or one for `user` (a kubeconfig user entry, such as a token)."""
    d = state["certs"]
    cfg = {
        "apiVersion": "v1", "kind": "Config", "current-context": "edgeai-test",
        "clusters": [{"name": "edgeai-test", "cluster": {
            "server": "https://127.0.0.1:%d" % state["ports"]["apiserver"],
            "certificate-authority": os.path.join(d, "ca.crt")}}],
        "users": [{"name": "admin", "user": user or {
            "client-certificate": os.path.join(d, "admin.crt"), "client-key": os.path.join(d, "admin.key")}}],
        "contexts": [{"name": "edgeai-test", "context": {"cluster": "edgeai-test", "user": "admin"}}],
    }
    with open(path or state["kubeconfig"], "w") as f:
        yaml.safe_dump(cfg, f)
    os.chmod(path or state["kubeconfig"], 0o600)


KSERVE_SERVICE_ACCOUNT = "kserve-controller-manager"


def kserve_identity(state, api, kserve_dir):
    """KServe's own ServiceAccount bound to its real ClusterRole, as a kubeconfig: it runs with the rights it ships with."""
    from kubernetes import client
    role = yaml_files(os.path.join(kserve_dir, "config", "rbac", "role.yaml"))[0]
    create_all(api, [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": KSERVE_SERVICE_ACCOUNT, "namespace": KSERVE_NAMESPACE}},
        role,
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
         "metadata": {"name": role["metadata"]["name"]},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role["metadata"]["name"]},
         "subjects": [{"kind": "ServiceAccount", "name": KSERVE_SERVICE_ACCOUNT, "namespace": KSERVE_NAMESPACE}]}])
    token = client.CoreV1Api(api).create_namespaced_service_account_token(
        KSERVE_SERVICE_ACCOUNT, KSERVE_NAMESPACE, {"spec": {"expirationSeconds": 7 * 24 * 3600}}).status.token
    path = os.path.join(STATE_DIR, "kserve.kubeconfig")
    write_kubeconfig(state, path, {"token": token})
    state["kserve_role"] = role["metadata"]["name"]
    return path


def create_all(api, docs):
    """Create each object, leaving ones that exist; server-side so big CRDs fit."""
    from kubernetes import dynamic
    from kubernetes.client.rest import ApiException
    dyn = dynamic.DynamicClient(api)
    for doc in docs:
        if not doc:
            continue
        res = dyn.resources.get(api_version=doc["apiVersion"], kind=doc["kind"])
        ns = doc["metadata"].get("namespace")
        try:
            res.server_side_apply(body=doc, name=doc["metadata"]["name"], namespace=ns,
                                  field_manager="edgeai-controlplane", force_conflicts=True)
        except ApiException as e:
            raise SystemExit("cannot create %s %s: %s" % (doc["kind"], doc["metadata"]["name"], e.body))


def yaml_files(*paths):
    docs = []
    for p in paths:
        with open(p) as f:
            docs.extend(d for d in yaml.safe_load_all(f) if d)
    return docs


def kserve_content(state, kserve_dir):
    crd_dir = os.path.join(kserve_dir, "config", "crd", "full")
    crds = []
    for root, _dirs, files in os.walk(crd_dir):
        crds += [os.path.join(root, f) for f in sorted(files) if f.startswith("serving.kserve.io_")]
    docs = yaml_files(*crds)
    # KServe's namespace, and the workload namespace of the local default inventory.
    docs += [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}} for ns in (KSERVE_NAMESPACE, "ai-demo")]

    # The upstream config, patched as MicroShift patches it.
    cm = yaml_files(os.path.join(kserve_dir, "config", "configmap", "inferenceservice.yaml"))[0]
    cm["metadata"]["namespace"] = KSERVE_NAMESPACE
    data = cm["data"]
    deploy = json.loads(data["deploy"])
    deploy["defaultDeploymentMode"] = "RawDeployment"
    data["deploy"] = json.dumps(deploy)
    ingress = json.loads(data["ingress"])
    ingress.update(disableIngressCreation=True, urlScheme="https", ingressDomain=ROUTE_DOMAIN)
    data["ingress"] = json.dumps(ingress)
    storage = json.loads(data["storageInitializer"])
    storage["enableModelcar"] = True
    data["storageInitializer"] = json.dumps(storage)
    docs.append(cm)

    # The webhooks, pointed at the manager on loopback.
    with open(os.path.join(state["certs"], "ca.crt"), "rb") as f:
        import base64
        bundle = base64.b64encode(f.read()).decode()
    keep = {"inferenceservice.serving.kserve.io", "servingruntime.serving.kserve.io",
            "trainedmodel.serving.kserve.io", "inferencegraph.serving.kserve.io"}
    for hook in yaml_files(os.path.join(kserve_dir, "config", "webhook", "manifests.yaml")):
        if hook["metadata"]["name"] not in keep:
            continue
        for w in hook["webhooks"]:
            path = w["clientConfig"]["service"]["path"]
            w["clientConfig"] = {"url": "https://127.0.0.1:%d%s" % (state["ports"]["webhook"], path),
                                 "caBundle": bundle}
            w["failurePolicy"] = "Fail"
        docs.append(hook)
    return docs


def nodes():
    def node(name, extra):
        cap = {"cpu": "16", "memory": "64Gi", "pods": "110"}
        cap.update(extra)
        meta = {"name": name,
                "annotations": {"node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake"},
                "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                           "type": "kwok", "node-role.kubernetes.io/worker": ""}}
        return {"apiVersion": "v1", "kind": "Node", "metadata": meta, "status": {"allocatable": cap, "capacity": cap}}
    return [node(CPU_NODE, {}), node(GPU_NODE, {"nvidia.com/gpu": "1"})]


def kwok_config(kwok_dir):
    """kwok's own fast node and pod stages, our crash-loop stage (which pod-ready must then skip), and pod logs."""
    stage = os.path.join(kwok_dir, "kustomize", "stage")
    docs = yaml_files(os.path.join(stage, "node", "fast", "node-initialize.yaml"),
                      os.path.join(stage, "node", "heartbeat", "node-heartbeat.yaml"),
                      *[os.path.join(stage, "pod", "fast", f) for f in ("pod-ready.yaml", "pod-complete.yaml",
                                                                        "pod-delete.yaml")])
    for doc in docs:
        if doc["metadata"]["name"] == "pod-ready":
            doc["spec"]["selector"]["matchExpressions"].append(
                {"key": '.metadata.labels["edgeai.test/crashloop"]', "operator": "DoesNotExist"})
    docs += yaml_files(os.path.join(HERE, "kwok-stage-pod-crashloop.yaml"))
    # A container named "vectoradd" logs what NVIDIA's vectorAdd sample prints on a GPU.
    docs.append({"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "ClusterLogs", "metadata": {"name": "vectoradd"},
                 "spec": {"logs": [{"containers": ["vectoradd"],
                                    "logsFile": os.path.join(HERE, "kwok-logs", "vectoradd.log")}]}})
    path = os.path.join(STATE_DIR, "kwok.yaml")
    with open(path, "w") as f:
        yaml.safe_dump_all(docs, f)
    return path


# ---------------------------------------------------------------- up / down

def running(state):
    """Fully started (not just partly, by an `up` that failed) and answering."""
    if not state or not state.get("complete") or not all(alive(p) for p in state["pids"].values()):
        return False
    try:
        return apiserver_ready(state)
    except Exception:  # noqa: BLE001
        return False


def up(_args):
    state = load()
    if running(state):
        log("reusing the running control plane")
        print(state["kubeconfig"])
        return state
    if state:
        down(None)
    bindir = ensure_binaries()
    operator_dir, operator_bin = ensure_operator()
    started = time.time()
    os.makedirs(os.path.join(STATE_DIR, "logs"), exist_ok=True)
    certs = os.path.join(STATE_DIR, "certs")
    etcd_data = os.path.join(STATE_DIR, "etcd")
    shutil.rmtree(etcd_data, ignore_errors=True)
    os.makedirs(certs, exist_ok=True)
    make_certs(certs)
    ports = {k: free_port() for k in ("etcd", "etcd_peer", "apiserver", "webhook", "kserve_metrics",
                                      "kserve_health", "kwok", "operator_metrics", "operator_health")}
    state = {"pids": {}, "argv": {}, "env": {}, "ports": ports, "certs": certs, "bindir": bindir,
             "kubeconfig": os.path.join(STATE_DIR, "kubeconfig"), "route_domain": ROUTE_DOMAIN}
    save(state)

    def b(name):
        return os.path.join(bindir, name)

    def c(name):
        return os.path.join(certs, name)

    log("starting etcd")
    etcd_url = "http://127.0.0.1:%d" % ports["etcd"]
    spawn(state, "etcd", [b("server"), "--data-dir", etcd_data, "--listen-client-urls", etcd_url,
                          "--advertise-client-urls", etcd_url,
                          "--listen-peer-urls", "http://127.0.0.1:%d" % ports["etcd_peer"],
                          "--initial-advertise-peer-urls", "http://127.0.0.1:%d" % ports["etcd_peer"],
                          "--initial-cluster", "default=http://127.0.0.1:%d" % ports["etcd_peer"],
                          "--unsafe-no-fsync", "--quota-backend-bytes", str(4 << 30)])
    wait_until("etcd /health", lambda: b'"health":"true"' in urllib.request.urlopen(etcd_url + "/health", timeout=2).read(),
               60, "etcd", state)

    log("starting kube-apiserver")
    state["argv"]["kube-apiserver"] = [
        b("kube-apiserver"), "--etcd-servers", etcd_url, "--bind-address", "127.0.0.1",
        "--advertise-address", "127.0.0.1", "--secure-port", str(ports["apiserver"]),
        "--tls-cert-file", c("apiserver.crt"), "--tls-private-key-file", c("apiserver.key"),
        "--client-ca-file", c("ca.crt"), "--service-account-issuer", "https://kubernetes.default.svc",
        "--service-account-key-file", c("sa.pub"), "--service-account-signing-key-file", c("sa.key"),
        "--service-cluster-ip-range", "10.96.0.0/16", "--authorization-mode", "Node,RBAC",
        "--allow-privileged", "--enable-priority-and-fairness=false", "--profiling=false",
        "--endpoint-reconciler-type", "none", "--storage-media-type", "application/json",
        "--kubelet-certificate-authority", c("ca.crt"), "--kubelet-preferred-address-types", "InternalIP",
        # Short watch timeouts make expired and re-established watches part of every run.
        "--min-request-timeout", "60"]
    start_apiserver(state)
    write_kubeconfig(state)

    log("starting kube-controller-manager and kube-scheduler")
    spawn(state, "kube-controller-manager", [
        b("kube-controller-manager"), "--kubeconfig", state["kubeconfig"], "--leader-elect=false",
        "--bind-address", "127.0.0.1", "--secure-port", "0",
        "--service-account-private-key-file", c("sa.key"), "--root-ca-file", c("ca.crt"),
        "--cluster-signing-cert-file", c("ca.crt"), "--cluster-signing-key-file", c("ca.key"),
        "--controllers", "*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller",
        "--use-service-account-credentials=false"])
    spawn(state, "kube-scheduler", [b("kube-scheduler"), "--kubeconfig", state["kubeconfig"],
                                    "--leader-elect=false", "--bind-address", "127.0.0.1", "--secure-port", "0"])

    api = kube_client(state)
    log("creating CRDs, namespaces, KServe config and webhooks")
    kserve_dir = module_dir("github.com/kserve/kserve")
    route_crd = os.path.join(module_dir("github.com/openshift/api"), "route", "v1", "route.crd.yaml")
    docs = yaml_files(route_crd, os.path.join(operator_dir, "config", "crd", "bases", "intel.com_model_servers.yaml"))
    docs += kserve_content(state, kserve_dir) + nodes()
    wait_until("the default service account controller", lambda: create_all(api, docs) is None, 60)
    wait_crds_established(api, [d["metadata"]["name"] for d in docs if d["kind"] == "CustomResourceDefinition"])

    log("starting kwok")
    kwok_dir = module_dir("sigs.k8s.io/kwok")
    spawn(state, "kwok", [b("kwok"), "--kubeconfig", state["kubeconfig"],
                          "--manage-nodes-with-annotation-selector", "kwok.x-k8s.io/node=fake",
                          "--config", kwok_config(kwok_dir), "--server-address", "127.0.0.1:%d" % ports["kwok"],
                          "--node-ip", "127.0.0.1", "--cidr", "10.244.0.0/16",
                          # Its kubelet endpoint (logs) over TLS, advertised in each node's daemonEndpoints.
                          "--node-port", str(ports["kwok"]),
                          "--tls-cert-file", c("kwok.crt"), "--tls-private-key-file", c("kwok.key")])

    log("starting the KServe controller")
    webhook_dir = os.path.join(STATE_DIR, "kserve-tmp", "k8s-webhook-server", "serving-certs")
    os.makedirs(webhook_dir, exist_ok=True)
    shutil.copy(c("webhook.crt"), os.path.join(webhook_dir, "tls.crt"))
    shutil.copy(c("webhook.key"), os.path.join(webhook_dir, "tls.key"))
    kserve_kubeconfig = kserve_identity(state, api, kserve_dir)
    spawn(state, "kserve-controller", [
        b("manager"), "--kubeconfig", kserve_kubeconfig, "--leader-elect=false",
        "--metrics-addr", "127.0.0.1:%d" % ports["kserve_metrics"],
        "--health-probe-addr", "127.0.0.1:%d" % ports["kserve_health"],
        "--webhook-port", str(ports["webhook"])],
        env={"POD_NAMESPACE": KSERVE_NAMESPACE, "TMPDIR": os.path.join(STATE_DIR, "kserve-tmp"),
             "KUBECONFIG": kserve_kubeconfig})
    wait_until("the KServe controller's health probe",
               lambda: urllib.request.urlopen("http://127.0.0.1:%d/readyz" % ports["kserve_health"], timeout=2).status == 200,
               180, "kserve-controller", state)
    wait_until("the KServe webhook", lambda: socket.create_connection(("127.0.0.1", ports["webhook"]), 1).close() is None,
               60, "kserve-controller", state)

    log("starting the OpenVINO operator")
    # Run from its folder: watches_k8s.yaml names the chart by a relative path.
    spawn(state, "openvino-operator", [
        operator_bin, "run", "--watches-file", "watches_k8s.yaml", "--leader-elect=false",
        "--metrics-bind-address", "127.0.0.1:%d" % ports["operator_metrics"],
        "--health-probe-bind-address", "127.0.0.1:%d" % ports["operator_health"]],
        env={"KUBECONFIG": state["kubeconfig"]}, cwd=operator_dir)
    wait_until("the OpenVINO operator's health probe",
               lambda: urllib.request.urlopen("http://127.0.0.1:%d/readyz" % ports["operator_health"], timeout=2).status == 200,
               120, "openvino-operator", state)

    log("starting the test stand-in for route admission and the router")
    spawn(state, "route_admission_standin", [
        sys.executable, os.path.join(STANDINS, "route_admission_standin.py"), "--kubeconfig", state["kubeconfig"],
        "--domain", ROUTE_DOMAIN])
    wait_until("kwok nodes Ready", lambda: nodes_ready(api), 60, "kwok", state)
    state["complete"] = True
    save(state)
    log("control plane up in %ds" % (time.time() - started))
    print(state["kubeconfig"])
    return state


def wait_crds_established(api, names):
    from kubernetes import client
    ext = client.ApiextensionsV1Api(api)

    def established():
        for n in names:
            conds = ext.read_custom_resource_definition(n).status.conditions or []
            if not any(c.type == "Established" and c.status == "True" for c in conds):
                return False
        return True
    wait_until("CRDs established", established, 60)


def nodes_ready(api):
    from kubernetes import client
    ready = 0
    for n in client.CoreV1Api(api).list_node().items:
        ready += any(c.type == "Ready" and c.status == "True" for c in (n.status.conditions or []))
    return ready >= 2


def down(_args):
    state = load()
    if not state:
        log("nothing to stop")
        return
    # Reverse start order: clients first, etcd last.
    for name in reversed(list(state.get("pids", {}))):
        pid = state["pids"][name]
        if alive(pid):
            log("stopping %s (pid %d)" % (name, pid))
        stop_pid(pid)
    os.remove(STATE_FILE)


def status(_args):
    state = load()
    if not state:
        print("not running")
        return 1
    for name, pid in state["pids"].items():
        print("%-30s pid %-8d %s" % (name, pid, "running" if alive(pid) else "STOPPED"))
    print("kubeconfig: %s" % state["kubeconfig"])
    return 0 if running(state) else 1


def env(_args):
    state = up(None)
    print("export KUBECONFIG=%s" % state["kubeconfig"])


def locked(fn):
    """Run `fn` holding the control plane's lock: two `up` at once would stop each other's processes."""
    def run(args):
        import fcntl
        os.makedirs(STATE_DIR, exist_ok=True)
        with open(os.path.join(STATE_DIR, "lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return fn(args)
    return run


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    p.add_argument("command", choices=["up", "down", "status", "env", "build"])
    args = p.parse_args()
    if args.command == "build":
        print(ensure_binaries())
        print(ensure_operator()[1])
        return 0
    return {"up": locked(up), "down": locked(down), "status": status, "env": locked(env)}[args.command](args) and 0


if __name__ == "__main__":
    sys.exit(main() or 0)
