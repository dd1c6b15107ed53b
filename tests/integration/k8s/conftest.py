"""Fixtures for tests on the real local control plane (tests/controlplane)."""

import os
import sys
import time
import uuid

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "controlplane"))
sys.path.insert(0, os.path.join(HERE, ".."))

import controlplane  # noqa: E402
from ansible_runner import run_module, run_tasks  # noqa: E402,F401


@pytest.fixture(scope="session")
def cluster():
    """The running control plane: reused when up, else started here and stopped at the end."""
    reused = controlplane.running(controlplane.load())
    state = controlplane.locked(controlplane.up)(None)
    yield state
    if not reused:
        controlplane.locked(controlplane.down)(None)


@pytest.fixture(scope="session")
def api(cluster):
    from kubernetes import config
    return config.new_client_from_config(config_file=cluster["kubeconfig"])


@pytest.fixture(scope="session")
def auth_env(cluster):
    return {"K8S_AUTH_KUBECONFIG": cluster["kubeconfig"]}


@pytest.fixture
def namespace(api):
    """A fresh namespace for one test, deleted afterwards."""
    from kubernetes import client
    core = client.CoreV1Api(api)
    name = "t-%s" % uuid.uuid4().hex[:8]
    core.create_namespace({"metadata": {"name": name}})
    # The ServiceAccount admission needs the namespace's default account.
    deadline = time.time() + 30
    while time.time() < deadline:
        if any(sa.metadata.name == "default" for sa in core.list_namespaced_service_account(name).items):
            break
        time.sleep(0.2)
    yield name
    core.delete_namespace(name)


@pytest.fixture
def module(auth_env):
    """Call one edgeai.serving module through ansible-playbook with the test kubeconfig."""
    def call(name, args, **kwargs):
        kwargs["env"] = dict(auth_env, **kwargs.get("env", {}))
        return run_module(name, args, **kwargs)
    return call


@pytest.fixture
def run_with_auth(auth_env):
    """Run many module tasks in one ansible-playbook, with the test kubeconfig."""
    def call(tasks, **kwargs):
        kwargs["env"] = dict(auth_env, **kwargs.get("env", {}))
        return run_tasks(tasks, **kwargs)
    return call
