"""The modules work with a ServiceAccount bound only to the documented Role, and a missing verb is a clear 403."""

import copy
import os

import pytest
import yaml
from kubernetes import client

from conftest import run_tasks
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


def no_kubeconfig():
    return {"K8S_AUTH_KUBECONFIG": "", "KUBECONFIG": "/nonexistent"}


def test_all_modules_work_with_the_documented_role_only(api, namespace, token_auth):
    token = bind(api, namespace, documented_role())
    results = run_tasks(tasks(namespace), module_defaults=token_auth(token), env=no_kubeconfig())
    for res in results:
        assert not res["failed"], res["msg"]
    assert [r["changed"] for r in results] == [True, True, True, True, True]


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
