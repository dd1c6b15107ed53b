# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a Job to its end and read its pod's log: a check, such as a GPU sample, not a deployment.

The Job is transient: a leftover of an earlier run is deleted first, and the
Job is deleted again at the end unless the caller keeps it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import dns_label
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import FAILED, PENDING, READY, Check, Gone, Verdict
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.resources import POD, Resource
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.runner import ActionFailed, run_action
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import Waiter, WaitFailed

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


def _wait(cluster, check, deadline, result, seed=None):
    try:
        Waiter(cluster, max(1, deadline - time.monotonic())).run([check], {check.source.key: seed} if seed else None)
    except WaitFailed as e:
        result["wait"] = e.result
        raise ActionFailed(str(e), result)


def run(cluster, name, namespace, pod_spec, labels, timeout, container=None, keep=False):
    """Run the Job; return the result dict. ActionFailed when it fails or times out (with what was seen)."""
    body = job_object(name, namespace, pod_spec, labels, timeout)
    container = container or pod_spec["containers"][0].get("name")
    deadline = time.monotonic() + timeout + DEADLINE_GRACE
    result = {"job": name, "namespace": namespace}
    if cluster.get(JOB, namespace, name) is not None:
        cluster.request("DELETE", JOB, namespace, name, body=BACKGROUND)
        _wait(cluster, Gone(JOB, namespace, name), deadline, result)
    created = cluster.request("POST", JOB, namespace, body=body)
    try:
        check = JobEnded(namespace, name)
        _wait(cluster, check, deadline, result, seed=created)
        job = check.ended
        result["job_status"] = job.get("status", {})
        pods = cluster.request("GET", POD, namespace, query={"labelSelector": "job-name=%s" % name}).get("items") or []
        pod = newest_pod(pods)
        if pod is not None:
            result["pod"] = pod["metadata"]["name"]
            result["node"] = pod.get("spec", {}).get("nodeName")
            result["log"] = cluster.read_text(POD, namespace, pod["metadata"]["name"], "log", {"container": container})
        if outcome(job) == "Failed":
            raise ActionFailed("the Job %s/%s failed (%s); log tail:\n%s" % (
                namespace, name, failure_reason(job), tail(result.get("log", "(no pod)"))), result)
        result["succeeded"] = True
        return result
    finally:
        if not keep:
            cluster.request("DELETE", JOB, namespace, name, body=BACKGROUND)


def run_job_module(options):
    """The job_run module. The Job is created and deleted within the run, so nothing is left changed;
    with keep=true it stays, and that is a change."""
    def action(module, cluster):
        p = module.params
        dns_label(p["name"], "name")
        dns_label(p["namespace"], "namespace")
        job_object(p["name"], p["namespace"], p["pod_spec"], p["labels"], p["timeout"])
        if module.check_mode:
            return {"changed": p["keep"], "skipped_run": True}
        result = run(cluster, p["name"], p["namespace"], p["pod_spec"], p["labels"], p["timeout"],
                     p["container"], p["keep"])
        result["changed"] = p["keep"]
        return result
    run_action(options, action)
