"""A fleet of edge hosts for the rollout tests.

Each host is an inventory host with its own namespace on the local control
plane, and its own stand-in for its predictor pods (predictor_standin.py),
which serves the version its InferenceService names.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
import yaml

from fleet_support import (
    ANSIBLE_PLAYBOOK, HERE, HOSTS, IMAGE, MODEL, REPO, VERSIONS, apply_isvc, free_port, red_png, retried, wait_ready)

sys.path.insert(0, os.path.join(REPO, "tests", "controlplane"))
sys.path.insert(0, os.path.join(REPO, "tests", "integration", "k8s"))

import controlplane  # noqa: E402
from kserve_fixtures import ovms_runtime  # noqa: E402


@pytest.fixture(scope="session")
def plane():
    """The shared control plane (started if needed; run-all.sh stops it)."""
    return controlplane.up(None)


@pytest.fixture(scope="session")
def kube(plane):
    from kubernetes import config
    return config.new_client_from_config(config_file=plane["kubeconfig"])


@pytest.fixture(scope="session")
def standins(plane, tmp_path_factory):
    """One predictor stand-in per host, each following the InferenceService named in its target file."""
    setup = subprocess.run(["bash", os.path.join(REPO, "tests", "integration", "inference", "setup_model_server.sh")],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    python = setup.stdout.strip().splitlines()[-1]
    tmp = tmp_path_factory.mktemp("standins")
    hosts = {}
    for host in HOSTS:
        port, target = free_port(), str(tmp / (host + ".json"))
        args = [python, os.path.join(HERE, "predictor_standin.py"), "--port", str(port),
                "--kubeconfig", plane["kubeconfig"], "--target", target]
        for v in VERSIONS:
            args += ["--version", v]
        log = open(str(tmp / (host + ".log")), "wb")
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        hosts[host] = {"url": "http://127.0.0.1:%d" % port, "target": target, "proc": proc, "log": log.name}
    for host in hosts.values():
        deadline = time.monotonic() + 180
        while True:
            assert host["proc"].poll() is None, open(host["log"]).read()[-3000:]
            try:
                urllib.request.urlopen(host["url"] + "/v2/health/ready", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, open(host["log"]).read()[-3000:]
                time.sleep(0.5)
    yield hosts
    for host in hosts.values():
        os.killpg(host["proc"].pid, signal.SIGTERM)
        host["proc"].wait(timeout=20)


class Fleet(object):
    """Three edge hosts serving version 1, in fresh namespaces, and a way to run the rollout on them."""

    def __init__(self, kube, plane, standins, tmp_path):
        from kubernetes import client
        self.kube, self.plane, self.standins, self.tmp = kube, plane, standins, tmp_path
        self.image = red_png(str(tmp_path / "red.png"))
        self.report_dir = str(tmp_path / "report")
        run = uuid.uuid4().hex[:6]
        self.namespaces = dict((h, "t-%s-%s" % (run, h)) for h in HOSTS)
        core = client.CoreV1Api(kube)
        custom = client.CustomObjectsApi(kube)
        for host, ns in self.namespaces.items():
            retried(core.create_namespace, {"metadata": {"name": ns}})
            retried(custom.create_namespaced_custom_object, "serving.kserve.io", "v1alpha1", ns, "servingruntimes",
                    ovms_runtime(ns))
            with open(standins[host]["target"], "w") as f:
                json.dump({"namespace": ns, "name": MODEL}, f)
        for ns in self.namespaces.values():
            retried(apply_isvc, kube, ns, "1")
        for ns in self.namespaces.values():
            wait_ready(kube, ns)

    def cleanup(self):
        from kubernetes import client
        for ns in self.namespaces.values():
            retried(client.CoreV1Api(self.kube).delete_namespace, ns)

    def inventory(self, unreachable=False):
        hosts = dict((h, {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                          "model_rollout_namespace": ns, "model_rollout_inference_url": self.standins[h]["url"]})
                     for h, ns in self.namespaces.items())
        if unreachable:
            # Nothing listens on this port, so the connection is refused at once. "first" makes it the canary.
            edge4 = {"ansible_host": "127.0.0.1", "ansible_port": free_port(), "ansible_user": "nobody",
                     "ansible_python_interpreter": "/usr/bin/python3", "model_rollout_namespace": "unused"}
            hosts = dict([("edge4", edge4)] + list(hosts.items())) if unreachable == "first" else dict(hosts, edge4=edge4)
        path = str(self.tmp / "hosts.yml")
        with open(path, "w") as f:
            yaml.safe_dump({"all": {"children": {"edge": {"hosts": hosts}}}}, f, sort_keys=False)
        return path

    def extra_vars(self, tag, **overrides):
        extra = {"model_rollout_name": MODEL, "model_rollout_storage_uri": IMAGE % tag,
                 "model_rollout_gate_input": self.image, "model_rollout_gate_labels": ["red", "green", "blue"],
                 "model_rollout_gate_expected_class": "red", "model_rollout_gate_p95_ms": 400,
                 "model_rollout_gate_requests": 10, "model_rollout_gate_concurrency": 2,
                 "model_rollout_wait_timeout": 120, "model_rollout_report_dir": self.report_dir,
                 "model_rollout_batches": [1, "50%", "100%"]}
        extra.update(overrides)
        return extra

    def rollout(self, extra, unreachable=False, check=False):
        """Run the playbook; returns (returncode, console output, report dict or None)."""
        path = str(self.tmp / "extra.json")
        with open(path, "w") as f:
            json.dump(extra, f)
        env = dict(os.environ, K8S_AUTH_KUBECONFIG=self.plane["kubeconfig"], ANSIBLE_NOCOLOR="1",
                   ANSIBLE_FORCE_COLOR="0", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
        playbook = os.path.join(REPO, "playbooks", "rollout_model.yml")
        proc = subprocess.run([ANSIBLE_PLAYBOOK, "-i", self.inventory(unreachable), playbook, "-e", "@" + path]
                              + (["--check"] if check else []),
                              capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, check=False,
                              timeout=900)
        out = proc.stdout + proc.stderr
        report = os.path.join(self.report_dir, MODEL + "-report.json")
        data = None
        if os.path.exists(report):
            with open(report) as f:
                data = json.load(f)
        return proc.returncode, out, data

    def rows(self, report):
        return dict((r["host"], r) for r in report["hosts"])


@pytest.fixture
def fleet(kube, plane, standins, tmp_path):
    f = Fleet(kube, plane, standins, tmp_path)
    yield f
    f.cleanup()
