# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Deployment's rollout of its current pod template: done, still going, or failed and why.

Only the current ReplicaSet's pods count: an old pod that crashes during a
rollout says nothing about the new template, and an old pod that runs fine
does not make the new one ready.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.quantity import never_fits
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import (
    FAILED, PENDING, READY, Verdict, condition, describe_condition)
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.view import Source

TEMPLATE_HASH = "pod-template-hash"
PULL_BACKOFF = "ImagePullBackOff"
# An image pull gets a second chance: the first back-off can be a registry hiccup.
PULL_BACKOFFS_TO_FAIL = 2
TERMINAL_WAITING = ("CrashLoopBackOff", "InvalidImageName")
# How the API server words an admission refusal of a pod (HTTP 403 Forbidden) in a create error.
FORBIDDEN = " is forbidden: "
# The scheduler's own words for a pod whose volume claim is missing.
MISSING_CLAIM = re.compile(r'persistentvolumeclaim "[^"]+" not found')


def selector_of(dep):
    labels = (((dep.get("spec") or {}).get("selector") or {}).get("matchLabels") or {})
    return ",".join("%s=%s" % kv for kv in sorted(labels.items())) or None


def without_template_hash(template):
    template = copy.deepcopy(template or {})
    labels = (template.get("metadata") or {}).get("labels")
    if labels:
        labels.pop(TEMPLATE_HASH, None)
    return template


def is_complete(dep):
    """The Deployment controller reports every replica of the current template updated and available."""
    spec, status, meta = dep.get("spec") or {}, dep.get("status") or {}, dep["metadata"]
    want = spec.get("replicas", 1)
    return (status.get("observedGeneration", 0) >= meta.get("generation", 0)
            and status.get("updatedReplicas", 0) >= want and status.get("availableReplicas", 0) >= want
            and status.get("replicas", 0) <= want)


class Rollout(object):
    """Judges one Deployment, reading its ReplicaSets and pods once it is known and not yet done.

    `changed`: the apply changed what the Deployment is made from, so it will
    be watched until it rolls out; it is then read by the watch alone.
    """

    def __init__(self, namespace, name, changed=False):
        self.namespace = namespace
        self.name = name
        self.deployment = Source(res.DEPLOYMENT, namespace, name, from_now=changed)
        self.replicasets = None
        self.pods = None
        self.selector = None
        # Per (pod uid, container): last waiting reason, image pull back-offs seen, last pull error.
        self._seen = {}
        self._nodes = None

    def sources(self, view):
        dep = view.get(self.deployment)
        if dep is not None and self.pods is None and not is_complete(dep):
            self.selector = selector_of(dep)
            if self.selector:
                # Read only while a rollout goes on, so they are watched in any case.
                self.replicasets = Source(res.REPLICA_SET, self.namespace, selector=self.selector, from_now=True)
                self.pods = Source(res.POD, self.namespace, selector=self.selector, from_now=True)
        return [s for s in (self.deployment, self.replicasets, self.pods) if s is not None]

    def evaluate(self, view, cluster):
        dep = view.get(self.deployment)
        if dep is None:
            return Verdict(PENDING, "Deployment %s not seen yet" % self.name)
        spec, status, meta = dep.get("spec") or {}, dep.get("status") or {}, dep["metadata"]
        if status.get("observedGeneration", 0) < meta.get("generation", 0):
            return Verdict(PENDING, "Deployment %s: generation %s not observed by the Deployment controller yet" % (
                self.name, meta.get("generation")))
        if (condition(dep, "Progressing") or {}).get("status") == "False":
            return Verdict(FAILED, "Deployment %s: %s" % (self.name, describe_condition(dep, "Progressing")))
        failure = condition(dep, "ReplicaFailure") or {}
        if failure.get("status") == "True":
            # Admission refused the pods (a quota, pod security): only a change by the user helps. Anything
            # else, such as a pod webhook that is down for a moment, the ReplicaSet controller retries.
            if FORBIDDEN in (failure.get("message") or ""):
                return Verdict(FAILED, "Deployment %s: %s" % (self.name, describe_condition(dep, "ReplicaFailure")))
            return Verdict(PENDING, "Deployment %s: %s; the ReplicaSet controller retries" % (
                self.name, describe_condition(dep, "ReplicaFailure")))
        if self.pods is not None:
            failure = self._pod_failure(view, dep, cluster)
            if failure:
                return Verdict(FAILED, "Deployment %s: %s" % (self.name, failure))
        want = spec.get("replicas", 1)
        if not is_complete(dep):
            old = status.get("replicas", 0) - status.get("updatedReplicas", 0)
            return Verdict(PENDING, "Deployment %s: %d/%d updated, %d/%d available%s" % (
                self.name, status.get("updatedReplicas", 0), want, status.get("availableReplicas", 0), want,
                ", %d old still running" % old if old > 0 else ""))
        return Verdict(READY, "Deployment %s: %d/%d available" % (self.name, status.get("availableReplicas", 0), want))

    def current_pods(self, view, dep):
        """Pods of the ReplicaSet whose template is the Deployment's, as the Deployment controller finds it.

        Not by revision: a scaling event that also changes the template first syncs the
        old ReplicaSet, with the old revision, before the new one exists.
        """
        uid = dep["metadata"].get("uid")
        want = (dep.get("spec") or {}).get("template")
        for rs in view.items(self.replicasets):
            owners = [o.get("uid") for o in rs["metadata"].get("ownerReferences") or []]
            if uid in owners and without_template_hash((rs.get("spec") or {}).get("template")) == want:
                template_hash = (rs["metadata"].get("labels") or {}).get(TEMPLATE_HASH)
                return rs["metadata"]["name"], [
                    p for p in view.items(self.pods)
                    if (p["metadata"].get("labels") or {}).get(TEMPLATE_HASH) == template_hash
                    and not p["metadata"].get("deletionTimestamp")]
        return None, []

    def _pod_failure(self, view, dep, cluster):
        rs_name, pods = self.current_pods(view, dep)
        for pod in sorted(pods, key=lambda p: p["metadata"]["name"]):
            reason = self._container_failure(pod) or self._unschedulable(pod, cluster)
            if reason:
                return "pod %s (ReplicaSet %s): %s" % (pod["metadata"]["name"], rs_name, reason)
        return None

    def _container_failure(self, pod):
        status = pod.get("status") or {}
        for cs in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
            state, last = cs.get("state") or {}, (cs.get("lastState") or {}).get("terminated") or {}
            waiting = state.get("waiting") or {}
            terminated = state.get("terminated") or {}
            if "OOMKilled" in (terminated.get("reason"), last.get("reason")):
                return "container %s was OOMKilled: raise its memory limit" % cs["name"]
            reason = waiting.get("reason")
            if reason in TERMINAL_WAITING:
                text = "container %s is in %s" % (cs["name"], reason)
                if last:
                    text += ": exit code %s (%s)" % (last.get("exitCode"), last.get("reason"))
                    if last.get("message"):
                        text += ": %s" % last["message"].strip()
                elif waiting.get("message"):
                    text += ": %s" % waiting["message"]
                return text
            seen = self._seen.setdefault((pod["metadata"].get("uid"), cs["name"]), {"backoffs": 0})
            if reason == PULL_BACKOFF and seen.get("reason") != PULL_BACKOFF:
                seen["backoffs"] += 1
            elif reason and reason != PULL_BACKOFF and waiting.get("message"):
                seen["pull_error"] = waiting["message"]
            seen["reason"] = reason
            if reason == PULL_BACKOFF and seen["backoffs"] >= PULL_BACKOFFS_TO_FAIL:
                return "container %s cannot pull image %s (%d back-offs): %s" % (
                    cs["name"], cs.get("image"), seen["backoffs"], seen.get("pull_error") or waiting.get("message"))
        return None

    def _unschedulable(self, pod, cluster):
        """Unschedulable on every node even when empty: more of a resource than any node has."""
        cond = condition(pod, "PodScheduled") or {}
        if cond.get("status") != "False" or cond.get("reason") != "Unschedulable":
            return None
        if MISSING_CLAIM.search(cond.get("message") or ""):
            return "a PersistentVolumeClaim it mounts does not exist; scheduler: %s" % cond.get("message")
        if self._nodes is None:
            try:
                self._nodes = cluster.request("GET", res.NODE).get("items") or []
            except K8sError as e:
                if e.retryable:
                    return None
                # Without the right to list nodes we cannot tell "never" from "not now".
                self._nodes = False
        short = never_fits(pod.get("spec") or {}, self._nodes) if self._nodes is not False else []
        if not short:
            return None
        return "no node can ever run it: %s; scheduler: %s" % (
            "; ".join("wants %s %s, the most any node has is %s" % (q, name, most) for name, q, most in short),
            cond.get("message"))
