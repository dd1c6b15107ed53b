"""The rollout as an AAP job runs it: ansible-runner, the survey's extra vars, and the OpenShift or Kubernetes API
Bearer Token credential, which injects K8S_AUTH_HOST, K8S_AUTH_API_KEY, K8S_AUTH_VERIFY_SSL and K8S_AUTH_SSL_CA_CERT
and no kubeconfig."""

import json
import os
import subprocess
import sys

import yaml
from kubernetes import client

from fleet_support import MODEL, REPO, isvc, retried

SURVEY = os.path.join(REPO, "docs", "aap", "rollout_model_survey.json")
ROLE = os.path.join(REPO, "docs", "rbac-role.yml")
RUNNER = os.path.join(os.path.dirname(sys.executable), "ansible-runner")


def bearer_token(kube, namespace):
    """A ServiceAccount token bound only to the documented least-privilege Role."""
    core, rbac = client.CoreV1Api(kube), client.RbacAuthorizationV1Api(kube)
    with open(ROLE) as f:
        role = yaml.safe_load(f)
    retried(core.create_namespaced_service_account, namespace, {"metadata": {"name": "aap"}})
    retried(rbac.create_namespaced_role, namespace, role)
    retried(rbac.create_namespaced_role_binding, namespace, {
        "metadata": {"name": "aap"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role["metadata"]["name"]},
        "subjects": [{"kind": "ServiceAccount", "name": "aap", "namespace": namespace}]})
    return retried(core.create_namespaced_service_account_token, "aap", namespace,
                   {"spec": {"expirationSeconds": 3600}}).status.token


def survey_answers(fleet, namespace):
    """The extra vars a job template with this survey sends: every question, answered or left at its default."""
    with open(SURVEY) as f:
        survey = json.load(f)
    answers = {"model_rollout_name": MODEL, "model_rollout_namespace": namespace,
               "model_rollout_storage_uri": "oci://quay.io/edgeai/color-modelcar:2",
               "model_rollout_gate_input": fleet.image, "model_rollout_gate_labels": "red,green,blue",
               "model_rollout_gate_expected_class": "red", "model_rollout_gate_requests": 10,
               "model_rollout_gate_p95_ms": 400, "model_rollout_report_dir": os.path.join(str(fleet.tmp), "report")}
    extra = dict((q["variable"], answers.get(q["variable"], q["default"])) for q in survey["spec"])
    assert set(answers) <= set(extra), "answers for questions the survey does not ask"
    for q in survey["spec"]:
        assert not q["required"] or extra[q["variable"]] != "", q
    return extra


def test_runner_job_with_survey_vars_and_bearer_token_credential(fleet):
    namespace = fleet.namespaces["edge1"]
    pdd = fleet.tmp / "job"
    (pdd / "env").mkdir(parents=True)
    (pdd / "inventory").mkdir()
    collections = pdd / "project" / "collections" / "ansible_collections" / "edgeai"
    collections.mkdir(parents=True)
    # A project's collections/ next to its playbook, as AAP installs them from collections/requirements.yml.
    (collections / "serving").symlink_to(REPO, target_is_directory=True)
    (pdd / "project" / "rollout.yml").write_text(
        "---\n- name: Roll out a model version\n  ansible.builtin.import_playbook: edgeai.serving.rollout_model\n")
    (pdd / "inventory" / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {"edge": {"hosts": {
        "edge1": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                  "model_rollout_inference_url": fleet.standins["edge1"]["url"]}}}}}}))
    extra = survey_answers(fleet, namespace)
    (pdd / "env" / "extravars").write_text(json.dumps(extra))
    credential = {"K8S_AUTH_HOST": "https://127.0.0.1:%d" % fleet.plane["ports"]["apiserver"],
                  "K8S_AUTH_API_KEY": bearer_token(fleet.kube, namespace),
                  "K8S_AUTH_VERIFY_SSL": "True",
                  "K8S_AUTH_SSL_CA_CERT": os.path.join(fleet.plane["certs"], "ca.crt")}
    (pdd / "env" / "envvars").write_text(json.dumps(dict(credential, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")))
    # Nothing else that could authenticate: no kubeconfig, no other K8S_AUTH_* and no collections path.
    env = dict((k, v) for k, v in os.environ.items()
               if not k.startswith("K8S_AUTH_") and k not in ("KUBECONFIG", "ANSIBLE_COLLECTIONS_PATH"))
    env["HOME"] = str(fleet.tmp)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env["PATH"]

    proc = subprocess.run([RUNNER, "run", str(pdd), "-p", "rollout.yml", "--ident", "job1"], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False, timeout=900)
    artifacts = pdd / "artifacts" / "job1"
    assert (artifacts / "status").read_text() == "successful", proc.stdout[-5000:]
    assert (artifacts / "rc").read_text() == "0"
    assert "| edge1 | %s | color-modelcar:1 | color-modelcar:2 | updated |" % namespace in proc.stdout

    events = [json.loads((artifacts / "job_events" / name).read_text())
              for name in sorted(os.listdir(str(artifacts / "job_events")))]
    oks = [e["event_data"].get("task") for e in events if e["event"] == "runner_on_ok"]
    assert "Apply the target version and wait until it is ready" in oks
    assert "Ask the model server" in oks
    stats = next(e for e in events if e["event"] == "playbook_on_stats")
    assert stats["event_data"]["failures"] == {} and stats["event_data"]["changed"].get("edge1", 0) >= 1
    # set_stats: what AAP shows as the job's artifacts.
    rows = stats["event_data"]["artifact_data"]["model_rollout_report"]["hosts"]
    assert [(r["host"], r["outcome"], r["class"]) for r in rows] == [("edge1", "updated", "red")]

    with open(os.path.join(extra["model_rollout_report_dir"], "color-report.json")) as f:
        assert json.load(f)["hosts"] == rows
    assert isvc(fleet.kube, namespace)["spec"]["predictor"]["model"]["storageUri"].endswith(":2")
