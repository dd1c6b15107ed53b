# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a Job to its end and read its pod's log: a check, such as a GPU sample, not a deployment.

The Job is transient: a leftover of an earlier run is deleted first, and the
Job is deleted again at the end unless the caller keeps it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.args import AUTH_ARG_SPEC
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput, K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import dns_label
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import FAILED, PENDING, READY, Check, Gone, Verdict
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.resources import POD, Resource
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.runner import run_action
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import Waiter

JOB = Resource("batch/v1", "Job", "jobs")
BACKGROUND = {"apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Background"}
# Lines of the log kept in a failure message.
TAIL_LINES = 20
# The Job controller marks a Job Failed shortly after its activeDeadlineSeconds; waiting
# this much longer reports its reason instead of our own timeout.
DEADLINE_GRACE = 30


def job_object(name, namespace, pod_spec, labels, timeout):
    """The Job: no retries, bounded by `timeout`, pods labelled like the Job."""
    if not isinstance(pod_spec.get("containers"), list) or not pod_spec["containers"]:
        raise InvalidInput("pod_spec", "needs a non-empty containers list")
    spec = dict(pod_spec)
    spec.setdefault("restartPolicy", "Never")
    if spec["restartPolicy"] not in ("Never", "OnFailure"):
        raise InvalidInput("pod_spec.restartPolicy", "a Job's pods restart Never or OnFailure, not %s" % spec["restartPolicy"])
    meta = {"name": name, "namespace": namespace, "labels": dict(labels)}
    return {"apiVersion": JOB.api_version, "kind": JOB.kind, "metadata": meta,
            "spec": {"backoffLimit": 0, "activeDeadlineSeconds": int(timeout),
                     "template": {"metadata": {"labels": dict(labels)}, "spec": spec}}}


def outcome(job):
    """'Complete', 'Failed' or None (still running), from the Job's conditions."""
    for cond in (job or {}).get("status", {}).get("conditions") or []:
        if cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True":
            return cond["type"]
    return None


def failure_reason(job):
    for cond in (job or {}).get("status", {}).get("conditions") or []:
        if cond.get("type") == "Failed" and cond.get("status") == "True":
            return "%s: %s" % (cond.get("reason"), cond.get("message"))
    return None


def newest_pod(pods):
    """The last pod the Job made (by creation time, then name), or None."""
    items = sorted(pods, key=lambda p: (p["metadata"].get("creationTimestamp") or "", p["metadata"]["name"]))
    return items[-1] if items else None


def tail(text, lines=TAIL_LINES):
    return "\n".join(text.rstrip("\n").split("\n")[-lines:])


class JobEnded(Check):
    """The Job is Complete or Failed: either ends the wait, and the caller judges which."""

    resource = JOB
    description = "Complete or Failed"

    def __init__(self, namespace, name):
        super(JobEnded, self).__init__(namespace, name)
        self.pod_selector = "job-name=%s" % name
        self.ended = None

    def evaluate(self, view, cluster):
        job = view.get(self.source)
        if job is None:
            return Verdict(FAILED, "%s was deleted while running" % self.target)
        end = outcome(job)
        if end:
            self.ended = job
            return Verdict(READY, end)
        status = job.get("status") or {}
        return Verdict(PENDING, "%d active, %d succeeded, %d failed" % (
            status.get("active", 0), status.get("succeeded", 0), status.get("failed", 0)))


def _wait(cluster, check, deadline, seed=None):
    Waiter(cluster, max(1, deadline - time.monotonic())).run([check], {check.source.key: seed} if seed else None)


def run(cluster, name, namespace, pod_spec, labels, timeout, result, container=None, keep=False):
    """Run the Job, filling `result` as it goes; K8sError (WaitFailed on a timeout) when it fails."""
    body = job_object(name, namespace, pod_spec, labels, timeout)
    container = container or pod_spec["containers"][0].get("name")
    deadline = time.monotonic() + timeout + DEADLINE_GRACE
    result.update(job=name, namespace=namespace)
    if cluster.get(JOB, namespace, name) is not None:
        cluster.request("DELETE", JOB, namespace, name, body=BACKGROUND)
        _wait(cluster, Gone(JOB, namespace, name), deadline)
    created = cluster.request("POST", JOB, namespace, body=body)
    try:
        check = JobEnded(namespace, name)
        _wait(cluster, check, deadline, seed=created)
        job = check.ended
        result["job_status"] = job.get("status", {})
        pods = cluster.request("GET", POD, namespace, query={"labelSelector": "job-name=%s" % name}).get("items") or []
        pod = newest_pod(pods)
        if pod is not None:
            result["pod"] = pod["metadata"]["name"]
            result["node"] = pod.get("spec", {}).get("nodeName")
            result["log"] = cluster.read_text(POD, namespace, pod["metadata"]["name"], "log", {"container": container})
        if outcome(job) == "Failed":
            raise K8sError("the Job %s/%s failed (%s); log tail:\n%s" % (
                namespace, name, failure_reason(job), tail(result.get("log", "(no pod)"))))
        result["succeeded"] = True
    finally:
        if not keep:
            cluster.request("DELETE", JOB, namespace, name, body=BACKGROUND)
        result["api_requests"] = cluster.requests


def run_job_module(options):
    """The job_run module. The Job is created and deleted within the run, so nothing is left changed;
    with keep=true it stays, and that is a change."""
    def check(p):
        dns_label(p["name"], "name")
        dns_label(p["namespace"], "namespace")
        job_object(p["name"], p["namespace"], p["pod_spec"], p["labels"], p["timeout"])

    def action(module, cluster, result):
        p = module.params
        if module.check_mode:
            result.update(changed=p["keep"], skipped_run=True, api_requests=cluster.requests)
            return
        run(cluster, p["name"], p["namespace"], p["pod_spec"], p["labels"], p["timeout"], result, p["container"],
            p["keep"])
        result["changed"] = p["keep"]
    run_action(dict(AUTH_ARG_SPEC, **options), action, check)
