"""The modules work with a ServiceAccount bound only to the documented Role, and a missing verb is a clear 403."""

import copy
import os
import time

import pytest
import yaml
from kubernetes import client

from ansible_runner import run_tasks
from kserve_fixtures import OVMS_RUNTIME

ROLE_FILE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "docs", "rbac-role.yml")


def documented_role():
    with open(ROLE_FILE) as f:
        return yaml.safe_load(f)


def bind(api, namespace, role):
    rbac, core = client.RbacAuthorizationV1Api(api), client.CoreV1Api(api)
    name = role["metadata"]["name"]
    core.create_namespaced_service_account(namespace, {"metadata": {"name": name}})
    rbac.create_namespaced_role(namespace, role)
    rbac.create_namespaced_role_binding(namespace, {
        "metadata": {"name": name}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
        "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": namespace}]})
    token = core.create_namespaced_service_account_token(name, namespace, {"spec": {"expirationSeconds": 3600}})
    return token.status.token


@pytest.fixture
def token_auth(cluster):
    """Connection options for module_defaults, with no kubeconfig at all."""
    def group(token):
        server = "https://127.0.0.1:%d" % cluster["ports"]["apiserver"]
        return {"group/edgeai.serving.k8s": {"host": server, "api_key": token,
                                             "ca_cert": os.path.join(cluster["certs"], "ca.crt")}}
    return group


def runtime_spec():
    spec = copy.deepcopy(OVMS_RUNTIME["spec"])
    # Go templates in args would meet Ansible's templating in a playbook; src files are not templated.
    spec["containers"][0]["args"] = ["--port=8001", "--rest_port=8888"]
    return spec


def tasks(namespace):
    return [
        {"edgeai.serving.serving_runtime": {"name": "kserve-ovms", "namespace": namespace,
                                            "definition": {"spec": runtime_spec()}}},
        {"edgeai.serving.inference_service": {"name": "resnet", "namespace": namespace, "model_format": "openvino_ir",
                                              "protocol_version": "v2", "storage_uri": "oci://quay.io/t/m:1"}},
        {"edgeai.serving.route": {"name": "resnet", "namespace": namespace, "service": "resnet-predictor"}},
        {"edgeai.serving.model_server": {"name": "ovms", "namespace": namespace, "image_name": "quay.io/t/ovms:1",
                                         "models_settings": {"model_name": "m", "model_path": "/models/m"}}},
        {"edgeai.serving.inference_service": {"name": "resnet", "namespace": namespace, "state": "absent"}},
    ]


def timeout_task(namespace):
    """A wait that times out, so its report reads pods and events."""
    return {"edgeai.serving.inference_service": {
        "name": "stuck", "namespace": namespace, "model_format": "openvino_ir", "protocol_version": "v2",
        "storage_uri": "oci://quay.io/t/m:1", "wait_timeout": 5,
        "definition": {"spec": {"predictor": {"nodeSelector": {"edgeai.test/pool": "none"}}}}}}


def crash_task(namespace):
    """A wait that fails on a crash-looping pod, so it reads that pod's ReplicaSet (only a failing pod's is read).
    tests/controlplane/kwok-stage-pod-crashloop.yaml makes the pod crash."""
    return {"edgeai.serving.inference_service": {
        "name": "crash", "namespace": namespace, "model_format": "openvino_ir", "protocol_version": "v2",
        "storage_uri": "oci://quay.io/t/m:1", "wait_timeout": 120,
        "definition": {"spec": {"predictor": {"labels": {"edgeai.test/crashloop": "true"}}}}}}


def no_kubeconfig():
    return {"K8S_AUTH_KUBECONFIG": "", "KUBECONFIG": "/nonexistent"}


def test_all_modules_work_with_the_documented_role_only(api, namespace, token_auth):
    token = bind(api, namespace, documented_role())
    results = run_tasks(tasks(namespace), module_defaults=token_auth(token), env=no_kubeconfig())
    for res in results:
        assert not res["failed"], res["msg"]
    assert [r["changed"] for r in results] == [True, True, True, True, True]


def plural_group(rule):
    group = rule["apiGroups"][0]
    return ["%s.%s" % (r, group) if group else r for r in rule["resources"]]


# OpenShift's route API asks for this; MicroShift's and this control plane's route CRD do not.
OPENSHIFT_ONLY = ["routes/custom-host"]


def test_every_rule_of_the_documented_role_is_needed(api, cluster):
    """Remove one rule at a time: some operation then fails with a 403 that names that rule's resource."""
    full = documented_role()
    variants = [i for i, rule in enumerate(full["rules"]) if rule["resources"] != OPENSHIFT_ONLY]
    assert len(variants) == len(full["rules"]) - 1
    server = "https://127.0.0.1:%d" % cluster["ports"]["apiserver"]
    plays, namespaces = [], []
    core = client.CoreV1Api(api)
    for i in variants:
        namespace = "rbac-%d-%s" % (i, os.urandom(3).hex())
        core.create_namespace({"metadata": {"name": namespace}})
        namespaces.append(namespace)
        role = copy.deepcopy(full)
        del role["rules"][i]
        auth = {"host": server, "api_key": bind_when_ready(api, namespace, role),
                "ca_cert": os.path.join(cluster["certs"], "ca.crt")}
        plays.append([dict((m, dict(a, **auth)) for m, a in t.items())
                      for t in tasks(namespace) + [timeout_task(namespace), crash_task(namespace)]])
    try:
        results = run_tasks([t for play in plays for t in play], env=no_kubeconfig())
    finally:
        for namespace in namespaces:
            core.delete_namespace(namespace)
    problems = []
    for n, i in enumerate(variants):
        rule = full["rules"][i]
        size = len(plays[n])
        messages = [r.get("msg", "") for r in results[n * size:(n + 1) * size]]
        named = [m for m in messages if "forbidden: the credentials in use may not" in m
                 and any(" %s " % pg in m for pg in plural_group(rule))]
        if not named:
            problems.append("without rule %s %s nothing failed with a 403 naming it: %s" % (
                i, rule["resources"], messages))
    assert not problems, "\n".join(problems)


def bind_when_ready(api, namespace, role):
    """bind(), once the namespace's default ServiceAccount (needed by pod admission) exists."""
    core = client.CoreV1Api(api)
    for _attempt in range(100):
        if any(sa.metadata.name == "default" for sa in core.list_namespaced_service_account(namespace).items):
            break
        time.sleep(0.2)
    return bind(api, namespace, role)


def test_a_missing_verb_is_a_clear_403(api, namespace, cluster, tmp_path):
    """Here the token comes from a kubeconfig, as `oc login` writes it."""
    role = documented_role()
    for rule in role["rules"]:
        if "inferenceservices" in rule["resources"]:
            rule["verbs"].remove("patch")
    token = bind(api, namespace, role)
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "sa",
        "clusters": [{"name": "local", "cluster": {"server": "https://127.0.0.1:%d" % cluster["ports"]["apiserver"],
                                                   "certificate-authority": os.path.join(cluster["certs"], "ca.crt")}}],
        "users": [{"name": "sa", "user": {"token": token}}],
        "contexts": [{"name": "sa", "context": {"cluster": "local", "user": "sa"}}]}))
    (res,) = run_tasks([tasks(namespace)[1]], env={"K8S_AUTH_KUBECONFIG": str(kubeconfig)})
    assert res["failed"]
    assert res["msg"].startswith("forbidden: the credentials in use may not apply "
                                 "inferenceservices.serving.kserve.io in namespace %s (RBAC)" % namespace), res["msg"]
    assert "{" not in res["msg"]
