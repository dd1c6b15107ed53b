"""Per-task cost of edgeai.serving against kubernetes.core.k8s and Ansible's own floor, in one run, as one table.

Method (a benchmark, never a test):
- Each step is one ansible-playbook of N tasks (one object each, in order), timed as the
  playbook's wall time. The floor is a playbook of N `ansible.builtin.ping` tasks run
  just before the step. "Above floor" = (step wall - floor wall) / N: what the module
  costs beyond Ansible running any module at all.
- Requests per object come from a separate, untimed pass on 2 objects: a sitecustomize
  counts every urllib3 request the module processes send (both tools use urllib3).
- Readiness detection: a watch opened by this program records when each InferenceService
  turns Ready=True (the controller's write, as seen by a watch) and when each predictor
  Deployment has rolled out the applied args. The latency is the task result's arrival
  in Ansible minus that moment.
- Fleet: F hosts in the inventory (one namespace each), forks=F, one task per host.
Nothing here depends on how the modules wait, so any version of them can be measured.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import yaml
from kubernetes import client, config, watch

HERE = os.path.dirname(os.path.abspath(__file__))
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")

RUNTIME = {
    "apiVersion": "serving.kserve.io/v1alpha1", "kind": "ServingRuntime", "metadata": {"name": "kserve-ovms"},
    "spec": {"protocolVersions": ["v2"], "supportedModelFormats": [{"name": "openvino_ir", "autoSelect": True}],
             "containers": [{"name": "kserve-container", "image": "quay.io/test/ovms:1"}]},
}
STORAGE_URI = "oci://quay.io/test/m:1"


def ours(namespace, name, arg, state):
    return {"edgeai.serving.inference_service": {
        "name": name, "namespace": namespace, "state": state, "model_format": "openvino_ir", "protocol_version": "v2",
        "storage_uri": STORAGE_URI, "args": [arg], "wait_timeout": 300}}


def theirs(namespace, name, arg, state):
    definition = {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
                  "metadata": {"name": name, "namespace": namespace},
                  "spec": {"predictor": {"model": {"modelFormat": {"name": "openvino_ir"}, "protocolVersion": "v2",
                                                   "storageUri": STORAGE_URI, "args": [arg]}}}}
    task = {"state": state, "definition": definition, "wait": True, "wait_timeout": 300}
    if state == "present":
        task["wait_condition"] = {"type": "Ready", "status": "True"}
    return {"kubernetes.core.k8s": task}


def ping(*_args):
    return {"ansible.builtin.ping": {}}


TOOLS = (("ours", ours), ("kubernetes.core", theirs))
# step -> (args value, state); the no-op re-applies exactly what create applied.
STEPS = {"create + wait": ("--a", "present"), "no-op re-apply": ("--a", "present"),
         "update + wait": ("--b", "present"), "delete + wait": ("--b", "absent")}
RUN_ORDER = ("create + wait", "no-op re-apply", "update + wait", "delete + wait")
TABLE_ORDER = ("no-op re-apply", "create + wait", "update + wait", "delete + wait")


# ------------------------------------------------------------------ running playbooks

SITECUSTOMIZE = '''
import os
if os.environ.get("BENCH_REQUEST_LOG"):
    # Both tools end in http.client and ssl (urllib3 builds on them): count requests and TLS connections there.
    import http.client
    import ssl

    def log(line):
        with open(os.environ["BENCH_REQUEST_LOG"], "a") as f:
            f.write("%d %s\\n" % (os.getpid(), line))

    _putrequest, _wrap_socket = http.client.HTTPConnection.putrequest, ssl.SSLContext.wrap_socket

    def putrequest(self, method, url, *args, **kwargs):
        log("%s %s" % (method, url))
        return _putrequest(self, method, url, *args, **kwargs)

    def wrap_socket(self, *args, **kwargs):
        log("CONNECTION tls")
        return _wrap_socket(self, *args, **kwargs)
    http.client.HTTPConnection.putrequest, ssl.SSLContext.wrap_socket = putrequest, wrap_socket
'''


class Runner(object):
    """Runs playbooks with the bench callback; returns wall seconds and per-task results."""

    def __init__(self, kubeconfig, workdir):
        self.workdir = workdir
        self.env = dict(os.environ, K8S_AUTH_KUBECONFIG=kubeconfig, ANSIBLE_STDOUT_CALLBACK="bench_tasks",
                        ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"),
                        ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1",
                        ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
        with open(os.path.join(workdir, "sitecustomize.py"), "w") as f:
            f.write(SITECUSTOMIZE)

    def run(self, tasks, hosts=None, count_requests=False):
        """`tasks` on localhost, or one task (templated by `bench_ns`) on each of `hosts` with forks=len(hosts)."""
        play = {"hosts": "all", "gather_facts": False, "tasks": tasks}
        path = os.path.join(self.workdir, "play.yml")
        with open(path, "w") as f:
            yaml.safe_dump([play], f)
        inventory = os.path.join(self.workdir, "inventory.yml")
        host_vars = dict((h, {"bench_ns": ns}) for h, ns in (hosts or {"localhost": None}).items())
        for hv in host_vars.values():
            hv.update(ansible_connection="local", ansible_python_interpreter=sys.executable)
        with open(inventory, "w") as f:
            yaml.safe_dump({"all": {"hosts": host_vars}}, f)
        env = dict(self.env, ANSIBLE_FORKS=str(len(host_vars)))
        log = os.path.join(self.workdir, "requests.log")
        if count_requests:
            open(log, "w").close()
            env.update(BENCH_REQUEST_LOG=log, PYTHONPATH=self.workdir)
        start = time.monotonic()
        proc = subprocess.run([ANSIBLE_PLAYBOOK, "-i", inventory, path], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, check=False)
        wall = time.monotonic() - start
        results = [json.loads(line[len("BENCH "):]) for line in proc.stdout.splitlines() if line.startswith("BENCH ")]
        failed = [r for r in results if r["failed"]]
        if proc.returncode or failed or not results:
            raise SystemExit("playbook failed (rc %d): %s\n%s" % (
                proc.returncode, failed[:1] or proc.stdout[-2000:], proc.stderr[-2000:]))
        requests = None
        if count_requests:
            with open(log) as f:
                requests = [line.split(" ", 2) for line in f.read().splitlines()]
        return {"wall": wall, "results": results, "requests": requests}


# ------------------------------------------------------------------ watching the controller's writes

class Observer(object):
    """Records, from its own watches, when each InferenceService turned Ready and each Deployment rolled out."""

    def __init__(self, api, prefix):
        self.api, self.prefix = api, prefix
        self.ready = {}        # (ns, name) -> first time seen Ready=True
        self.rolled_out = {}   # (ns, deployment, arg) -> first time seen fully rolled out with arg
        self.stop = False
        self.threads = [threading.Thread(target=self._loop, args=(w,), daemon=True)
                        for w in (self._isvcs, self._deployments)]
        for t in self.threads:
            t.start()

    def _loop(self, stream):
        while not self.stop:
            try:
                stream()
            except Exception:  # noqa: BLE001 - a dropped watch is reopened
                time.sleep(0.2)

    def _isvcs(self):
        objs = client.CustomObjectsApi(self.api)
        for event in watch.Watch().stream(objs.list_cluster_custom_object, "serving.kserve.io", "v1beta1",
                                          "inferenceservices", timeout_seconds=60):
            seen, obj = time.time(), event["object"]
            meta = obj["metadata"]
            if not meta["namespace"].startswith(self.prefix):
                continue
            conds = (obj.get("status") or {}).get("conditions") or []
            key = (meta["namespace"], meta["name"])
            if any(c["type"] == "Ready" and c["status"] == "True" for c in conds):
                self.ready.setdefault(key, seen)
            else:
                self.ready.pop(key, None)

    def _deployments(self):
        apps = client.AppsV1Api(self.api)
        for event in watch.Watch().stream(apps.list_deployment_for_all_namespaces, timeout_seconds=60):
            seen, dep = time.time(), event["object"]
            if not dep.metadata.namespace.startswith(self.prefix):
                continue
            st = dep.status
            done = ((st.observed_generation or 0) >= dep.metadata.generation
                    and (st.updated_replicas or 0) == dep.spec.replicas == (st.available_replicas or 0))
            if done:
                for arg in dep.spec.template.spec.containers[0].args or []:
                    self.rolled_out.setdefault((dep.metadata.namespace, dep.metadata.name, arg), seen)

    def close(self):
        self.stop = True


# ------------------------------------------------------------------ the run

def names(count):
    return ["b%02d" % i for i in range(count)]


def per_object_requests(lines, objects):
    """'requests (watches, new connections)' per object, from the request log."""
    connections = sum(1 for line in lines if line[1] == "CONNECTION")
    requests = [line for line in lines if line[1] != "CONNECTION"]
    watches = sum(1 for line in requests if "watch=true" in line[2].lower())
    per = float(objects)
    return "%.1f (%.1f w, %.1f c)" % (len(requests) / per, watches / per, connections / per)


def latencies(results, moments, key):
    """Task result time minus the observed moment, per object; None where never observed."""
    out = []
    for res in results:
        seen = moments.get(key(res))
        out.append(None if seen is None else res["end"] - seen)
    return out


def describe_latency(values):
    observed = sorted(v for v in values if v is not None)
    if not observed:
        return "never observed"
    early = sum(1 for v in observed if v < 0)
    text = "median %.2f s, max %.2f s" % (statistics.median(observed), observed[-1])
    if early:
        text += "; %d of %d returned BEFORE it happened" % (early, len(values))
    missing = len(values) - len(observed)
    if missing:
        text += "; %d never happened" % missing
    return text


def machine():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")][0]
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) / 1024.0 / 1024.0
    except (IOError, OSError, IndexError):
        mem = 0
    return "%s, %d cores, %.0f GiB, %s, Python %s, load average %.2f at start" % (
        cpu, os.cpu_count(), mem, platform.platform(), platform.python_version(), os.getloadavg()[0])


def create_namespace(api, name):
    client.CoreV1Api(api).create_namespace({"metadata": {"name": name}})
    client.CustomObjectsApi(api).create_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", name, "servingruntimes", RUNTIME)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    p.add_argument("--kubeconfig", required=True)
    p.add_argument("--objects", type=int, default=20, help="tasks (objects) per step")
    p.add_argument("--fleet", type=int, default=10, help="inventory hosts in the fleet-shaped run")
    args = p.parse_args()
    api = config.new_client_from_config(config_file=args.kubeconfig)
    prefix = "bench-%s-" % uuid.uuid4().hex[:5]
    ns = {"ours": prefix + "ours", "kubernetes.core": prefix + "kcore", "count-ours": prefix + "count-ours",
          "count-kubernetes.core": prefix + "count-kcore"}
    fleet = dict((tool, dict(("h%d" % i, "%sf%d-%s" % (prefix, i, short)) for i in range(args.fleet)))
                 for tool, short in (("ours", "o"), ("kubernetes.core", "k")))
    all_ns = list(ns.values()) + [n for hosts in fleet.values() for n in hosts.values()]
    print("machine: %s" % machine(), flush=True)
    observer = Observer(api, prefix)
    workdir = tempfile.mkdtemp(prefix="edgeai-bench-")
    runner = Runner(args.kubeconfig, workdir)
    rows, detection = {}, {}
    try:
        for n in all_ns:
            create_namespace(api, n)
        objs = names(args.objects)
        spec = STEPS
        for step in RUN_ORDER:
            arg, state = spec[step]
            row = {"floor": runner.run([ping() for name in objs])["wall"]}
            for tool, make in TOOLS:
                run = runner.run([make(ns[tool], name, arg, state) for name in objs])
                row[tool], results = run["wall"], run["results"]
                for res, name in zip(results, objs):
                    res["object"] = (ns[tool], name)
                if step == "create + wait":
                    detection[(tool, "ready")] = latencies(results, observer.ready, lambda r: r["object"])
                if step == "update + wait":
                    detection[(tool, "rollout")] = latencies(
                        results, observer.rolled_out, lambda r: (r["object"][0], r["object"][1] + "-predictor", arg))
            rows[step] = row
            print("  measured %s" % step, flush=True)
        # Requests per object: 2 objects per step, untimed.
        counts = {}
        for step in RUN_ORDER:
            arg, state = spec[step]
            for tool, make in TOOLS:
                run = runner.run([make(ns["count-" + tool], name, arg, state) for name in names(2)],
                                 count_requests=True)
                counts[(step, tool)] = per_object_requests(run["requests"], 2)
        fleet_rows = {}
        for step, arg, state in (("create + wait", "--a", "present"), ("no-op re-apply", "--a", "present")):
            row = {"floor": runner.run([ping()], hosts=fleet["ours"])["wall"]}
            for tool, make in TOOLS:
                row[tool] = runner.run([make("{{ bench_ns }}", "fleet", arg, state)], hosts=fleet[tool])["wall"]
            fleet_rows[step] = row
        print("  measured the fleet", flush=True)
    finally:
        observer.close()
        for n in all_ns:
            try:
                client.CoreV1Api(api).delete_namespace(n)
            except client.exceptions.ApiException:
                pass

    n = float(args.objects)
    print("")
    print("Per task, seconds (playbook wall time / %d tasks, one object per task, in order)" % args.objects)
    head = ("step", "ping floor", "ours", "k8s.core", "ours above", "k8s.core above", "ratio", "requests/object ours",
            "requests/object k8s.core")
    fmt = "%-16s %10s %8s %9s %11s %15s %7s   %-24s %s"
    print(fmt % head)
    for step in TABLE_ORDER:
        r = rows[step]
        a, b = (r["ours"] - r["floor"]) / n, (r["kubernetes.core"] - r["floor"]) / n
        print(fmt % (step, "%.2f" % (r["floor"] / n), "%.2f" % (r["ours"] / n), "%.2f" % (r["kubernetes.core"] / n),
                     "%.2f" % a, "%.2f" % b, "%.2fx" % (a / b) if b > 0 else "-", counts[(step, "ours")],
                     counts[(step, "kubernetes.core")]))
    print("ratio = ours above floor / kubernetes.core above floor (goal: at most 0.5x); "
          "requests/object: requests (w = of them watches, c = new TLS connections)")
    print("")
    print("Readiness detection, over %d objects (task result in Ansible minus the moment a watch saw it):" % (
        args.objects))
    for tool in (t[0] for t in TOOLS):
        print("  %-16s create: InferenceService Ready=True -> result: %s" % (
            tool, describe_latency(detection[(tool, "ready")])))
        print("  %-16s update: predictor rolled out the new args -> result: %s" % (
            tool, describe_latency(detection[(tool, "rollout")])))
    print("")
    print("Fleet: %d InferenceServices on %d inventory hosts (one namespace each), forks=%d, playbook wall time, s" % (
        args.fleet, args.fleet, args.fleet))
    fmt = "%-16s %10s %8s %9s %7s"
    print(fmt % ("step", "ping floor", "ours", "k8s.core", "ratio"))
    for step, r in fleet_rows.items():
        a, b = r["ours"] - r["floor"], r["kubernetes.core"] - r["floor"]
        print(fmt % (step, "%.2f" % r["floor"], "%.2f" % r["ours"], "%.2f" % r["kubernetes.core"],
                     "%.2fx" % (a / b) if b > 0 else "-"))
    print("fleet ratio = ours above floor / kubernetes.core above floor; wall-time ratio: %s" % ", ".join(
        "%s %.2fx" % (step, r["ours"] / r["kubernetes.core"]) for step, r in fleet_rows.items()))


if __name__ == "__main__":
    main()
