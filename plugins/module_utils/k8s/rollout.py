# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Deployment's rollout of its current pod template: done, still going, or failed and why.

Only the current ReplicaSet's pods count: an old pod that crashes during a
rollout says nothing about the new template, and an old pod that runs fine
does not make the new one ready. A pod's ReplicaSet is read only once the
pod shows a failure, so a rollout that goes well reads no ReplicaSet.
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


def owner_replicaset(pod):
    for owner in pod["metadata"].get("ownerReferences") or []:
        if owner.get("kind") == "ReplicaSet":
            return owner.get("name")
    return None


def shows_failure(pod):
    """What the failure rules below look at is there: its ReplicaSet is then worth reading."""
    status = pod.get("status") or {}
    for cs in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        state, last = cs.get("state") or {}, (cs.get("lastState") or {}).get("terminated") or {}
        if ((state.get("waiting") or {}).get("reason") in TERMINAL_WAITING + (PULL_BACKOFF,)
                or "OOMKilled" in ((state.get("terminated") or {}).get("reason"), last.get("reason"))):
            return True
    cond = condition(pod, "PodScheduled") or {}
    return cond.get("status") == "False" and cond.get("reason") == "Unschedulable"


def is_complete(dep):
    """The Deployment controller reports every replica of the current template updated and available."""
    spec, status, meta = dep.get("spec") or {}, dep.get("status") or {}, dep["metadata"]
    want = spec.get("replicas", 1)
    return (status.get("observedGeneration", 0) >= meta.get("generation", 0)
            and status.get("updatedReplicas", 0) >= want and status.get("availableReplicas", 0) >= want
            and status.get("replicas", 0) <= want)


class Rollout(object):
    """Judges one Deployment, reading its pods once it is known and not yet done, and the ReplicaSet of a pod
    that shows a failure.

    `changed`: the apply changed what the Deployment is made from, so it will
    be watched until it rolls out; it is then read by the watch alone.
    """

    def __init__(self, namespace, name, changed=False):
        self.namespace = namespace
        self.name = name
        self.deployment = Source(res.DEPLOYMENT, namespace, name, from_now=changed)
        self.pods = None
        # By name, for the pods that show a failure.
        self.replicasets = {}
        # Per (pod uid, container): last waiting reason, image pull back-offs seen, last pull error.
        self._seen = {}
        self._nodes = None

    def sources(self, view):
        dep = view.get(self.deployment)
        if dep is not None and self.pods is None and not is_complete(dep):
            selector = selector_of(dep)
            if selector:
                # Read only while a rollout goes on, so watched in any case; so are the ReplicaSets below,
                # whose absence only means the pod is not judged yet.
                self.pods = Source(res.POD, self.namespace, selector=selector, from_now=True)
        if self.pods is None:
            return [self.deployment]
        for pod in view.items(self.pods):
            name = owner_replicaset(pod)
            if name and name not in self.replicasets and shows_failure(pod):
                self.replicasets[name] = Source(res.REPLICA_SET, self.namespace, name, from_now=True)
        return [self.deployment, self.pods] + [self.replicasets[n] for n in sorted(self.replicasets)]

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

    def is_current(self, view, dep, pod):
        """The pod's ReplicaSet has the Deployment's template, as the Deployment controller finds it.

        Not by revision: a scaling event that also changes the template first syncs the
        old ReplicaSet, with the old revision, before the new one exists.
        """
        source = self.replicasets.get(owner_replicaset(pod))
        rs = view.get(source) if source is not None else None
        if rs is None or pod["metadata"].get("deletionTimestamp"):
            return False
        owners = [o.get("uid") for o in rs["metadata"].get("ownerReferences") or []]
        return (dep["metadata"].get("uid") in owners
                and without_template_hash((rs.get("spec") or {}).get("template")) == (dep.get("spec") or {}).get("template"))

    def _pod_failure(self, view, dep, cluster):
        for pod in sorted(view.items(self.pods), key=lambda p: p["metadata"]["name"]):
            # Every pod's containers, so back-offs count from the first seen, before its ReplicaSet is read.
            reason = self._container_failure(pod)
            if self.is_current(view, dep, pod):
                reason = reason or self._unschedulable(pod, cluster)
                if reason:
                    return "pod %s (ReplicaSet %s): %s" % (pod["metadata"]["name"], owner_replicaset(pod), reason)
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
