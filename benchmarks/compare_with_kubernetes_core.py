"""Time the same jobs with edgeai.serving and with kubernetes.core.k8s on one cluster, and print ratios.

Both run through ansible-playbook in the same venv, with the same Python
kubernetes client, against the same control plane; each step is timed by the
task callback, so Ansible's start-up cost is outside the figures. Steps:
create an InferenceService and wait until Ready, apply it again unchanged,
change it and wait, delete it and wait until it is gone.
"""

import argparse
import os
import statistics
import sys
import uuid

from kubernetes import client, config

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))

from ansible_runner import run_tasks  # noqa: E402  pylint: disable=wrong-import-position

RUNTIME = {
    "apiVersion": "serving.kserve.io/v1alpha1", "kind": "ServingRuntime", "metadata": {"name": "kserve-ovms"},
    "spec": {"protocolVersions": ["v2"], "supportedModelFormats": [{"name": "openvino_ir", "autoSelect": True}],
             "containers": [{"name": "kserve-container", "image": "quay.io/test/ovms:1"}]},
}


def isvc(namespace, name, args):
    return {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"predictor": {"model": {"modelFormat": {"name": "openvino_ir"}, "protocolVersion": "v2",
                                             "storageUri": "oci://quay.io/test/m:1", "args": args}}}}


def ours(namespace, name, args, state="present"):
    return {"edgeai.serving.inference_service": {
        "name": name, "namespace": namespace, "state": state, "model_format": "openvino_ir", "protocol_version": "v2",
        "storage_uri": "oci://quay.io/test/m:1", "args": args, "wait_timeout": 180}}


def theirs(namespace, name, args, state="present"):
    task = {"state": state, "definition": isvc(namespace, name, args), "wait": True, "wait_timeout": 180}
    if state == "present":
        task["wait_condition"] = {"type": "Ready", "status": "True"}
    return {"kubernetes.core.k8s": task}


STEPS = [("create + wait Ready", ["--a"], "present"), ("re-apply unchanged", ["--a"], "present"),
         ("update + wait Ready", ["--b"], "present"), ("delete + wait gone", ["--b"], "absent")]


def rolled_out(api, namespace, name, arg):
    """Does the predictor Deployment run the spec with `arg`, fully rolled out, right now?"""
    try:
        dep = client.AppsV1Api(api).read_namespaced_deployment(name + "-predictor", namespace)
    except client.exceptions.ApiException:
        return False
    args = dep.spec.template.spec.containers[0].args or []
    st = dep.status
    return (arg in args and (st.observed_generation or 0) >= dep.metadata.generation
            and (st.updated_replicas or 0) == dep.spec.replicas == (st.available_replicas or 0))


def run(api, make_task, namespace, kubeconfig, rounds):
    times = dict((step[0], []) for step in STEPS)
    fresh = dict((step[0], []) for step in STEPS)
    for i in range(rounds):
        name = "bench-%d-%s" % (i, uuid.uuid4().hex[:4])
        for step, args, state in STEPS:
            (res,) = run_tasks([make_task(namespace, name, args, state)], env={"K8S_AUTH_KUBECONFIG": kubeconfig})
            if res.get("failed"):
                raise SystemExit("%s failed: %s" % (step, res.get("msg")))
            times[step].append(res["task_seconds"])
            # Checked the moment the module returns: is the new spec really serving?
            fresh[step].append(rolled_out(api, namespace, name, args[0]) if state == "present" else None)
    return times, fresh


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    p.add_argument("--kubeconfig", required=True)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    api = config.new_client_from_config(config_file=args.kubeconfig)
    namespace = "bench-%s" % uuid.uuid4().hex[:6]
    client.CoreV1Api(api).create_namespace({"metadata": {"name": namespace}})
    client.CustomObjectsApi(api).create_namespaced_custom_object(
        "serving.kserve.io", "v1alpha1", namespace, "servingruntimes", RUNTIME)
    try:
        ours_t, ours_f = run(api, ours, namespace, args.kubeconfig, args.rounds)
        theirs_t, theirs_f = run(api, theirs, namespace, args.kubeconfig, args.rounds)
    finally:
        client.CoreV1Api(api).delete_namespace(namespace)
    print("median seconds per step over %d rounds (ratio = kubernetes.core / edgeai.serving)" % args.rounds)
    print("'new spec served' = the predictor Deployment ran the applied spec, fully rolled out, when the module returned")
    header = ("step", "edgeai.serving", "kubernetes.core", "ratio", "new spec served (ours / theirs, rounds)")
    print("%-22s %16s %16s %8s   %s" % header)
    for step in (s[0] for s in STEPS):
        a, b = statistics.median(ours_t[step]), statistics.median(theirs_t[step])
        served = "-"
        if ours_f[step][0] is not None:
            served = "%s / %s" % (sum(bool(x) for x in ours_f[step]), sum(bool(x) for x in theirs_f[step]))
        print("%-22s %16.2f %16.2f %7.1fx   %s" % (step, a, b, b / a, served))
    total_a = sum(sum(v) for v in ours_t.values())
    total_b = sum(sum(v) for v in theirs_t.values())
    print("%-22s %16.2f %16.2f %7.1fx" % ("all steps", total_a, total_b, total_b / total_a))


if __name__ == "__main__":
    main()
