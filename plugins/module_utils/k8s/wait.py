# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wait for readiness checks by watch, not by polling.

One list (which also gives a resourceVersion), then a watch from it; each
event is judged at once. A 410 Gone or a lost API server leads to a fresh
list and watch. Checks run in order under one deadline, and a check may add
follow-up checks (an InferenceService, then its predictor Deployment).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import PENDING, READY

MAX_HISTORY = 30


class WaitFailed(K8sError):
    """The controller reported a failure, or the deadline passed; `result` says what was seen."""

    def __init__(self, message, result):
        super(WaitFailed, self).__init__(message)
        self.result = result


class Waiter(object):
    def __init__(self, cluster, timeout, progress=None):
        self.cluster = cluster
        self.timeout = timeout
        self.progress = progress or (lambda msg: None)
        self.start = time.monotonic()
        self.deadline = self.start + timeout
        self.history = []
        self.stages = []
        self.reconnects = 0
        self.relists = 0
        # The last object each check saw, by target.
        self.final = {}

    def elapsed(self):
        return time.monotonic() - self.start

    def result(self):
        return {"waited_seconds": round(self.elapsed(), 2), "timeout": self.timeout, "stages": self.stages,
                "history": self.history[-MAX_HISTORY:], "reconnects": self.reconnects, "relists": self.relists}

    def _note(self, check, verdict):
        last = self.history[-1] if self.history else {}
        if last.get("target") != check.target or last.get("message") != verdict.message:
            entry = {"elapsed": round(self.elapsed(), 2), "target": check.target, "state": verdict.state,
                     "message": verdict.message}
            self.history.append(entry)
            self.progress("%.1fs %s: %s" % (entry["elapsed"], check.target, verdict.message))

    def run(self, checks):
        """Run every check (and its follow-ups) to READY; raise WaitFailed otherwise."""
        queue = list(checks)
        while queue:
            check = queue.pop(0)
            began = self.elapsed()
            obj, verdict = self._watch(check)
            self.final[check.target] = obj
            self.stages.append({"target": check.target, "for": check.description, "state": verdict.state,
                                "message": verdict.message, "seconds": round(self.elapsed() - began, 2)})
            if verdict.state != READY:
                raise WaitFailed("%s failed: %s" % (check.target, verdict.message), self.result())
            queue[0:0] = check.followups(obj)
        return self.result()

    def _judge(self, check, obj):
        verdict = check.evaluate(obj, self.cluster, self.elapsed())
        self._note(check, verdict)
        return verdict

    def _watch(self, check):
        query = {"fieldSelector": "metadata.name=%s" % check.name}
        rv, obj, verdict = None, None, None
        while True:
            try:
                if rv is None:
                    listing = self.cluster.request("GET", check.resource, check.namespace, query=query,
                                                   deadline=self.deadline)
                    items = listing.get("items") or []
                    obj = items[0] if items else None
                    rv = listing["metadata"]["resourceVersion"]
                    verdict = self._judge(check, obj)
                if verdict.state != PENDING:
                    return obj, verdict
                remaining = self.deadline - time.monotonic()
                if remaining <= 0:
                    self._timeout(check, verdict)
                window = min(remaining, verdict.recheck_after or remaining)
                for event in self.cluster.watch(check.resource, check.namespace, dict(query, resourceVersion=rv),
                                                window):
                    kind, body = event["type"], event["object"]
                    if kind == "ERROR":
                        if body.get("code") != 410:
                            raise K8sError("watch of %s failed: %s" % (check.target, body.get("message")))
                        # Expired resourceVersion: relist.
                        self.relists += 1
                        rv = None
                        break
                    rv = body["metadata"]["resourceVersion"]
                    if kind == "BOOKMARK":
                        continue
                    obj = None if kind == "DELETED" else body
                    verdict = self._judge(check, obj)
                    if verdict.state != PENDING:
                        return obj, verdict
                else:
                    # The server closed the watch (its timeout or ours): judge again, for time-based checks.
                    verdict = self._judge(check, obj)
            except K8sError as e:
                if not e.retryable:
                    raise
                self.reconnects += 1
                self.progress("%.1fs %s: lost the API server (%s); reconnecting" % (self.elapsed(), check.target, e))
                if time.monotonic() >= self.deadline:
                    self._timeout(check, verdict)
                time.sleep(min(1.0, max(0.0, self.deadline - time.monotonic())))
                rv = None

    def _timeout(self, check, verdict):
        seen = verdict.message if verdict else "could not read it"
        lines = ["timed out after %ds waiting for %s (%s); still missing: %s" % (
            self.timeout, check.target, check.description, seen)]
        lines += diagnose(self.cluster, check)
        raise WaitFailed("\n".join(lines), self.result())


def diagnose(cluster, check):
    """Why pods are not ready, and recent Warning events: for timeout messages."""
    lines = []
    try:
        if check.pod_selector:
            pods = cluster.request("GET", res.POD, check.namespace, query={"labelSelector": check.pod_selector})
            for pod in pods.get("items") or []:
                status = pod.get("status") or {}
                reasons = []
                for cs in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
                    for state_name in ("waiting", "terminated"):
                        state = (cs.get("state") or {}).get(state_name)
                        if state and state.get("reason"):
                            reasons.append("%s %s: %s%s" % (cs["name"], state_name, state["reason"],
                                                            " (%s)" % state["message"] if state.get("message") else ""))
                lines.append("pod %s: phase %s%s" % (pod["metadata"]["name"], status.get("phase"),
                                                     "; " + "; ".join(reasons) if reasons else ""))
        events = cluster.request("GET", res.EVENT, check.namespace, query={"fieldSelector": "type=Warning"})
        related = [e for e in events.get("items") or []
                   if (e.get("involvedObject") or {}).get("name", "").startswith(check.name)]
        related.sort(key=lambda e: e.get("lastTimestamp") or e.get("eventTime") or "")
        for e in related[-5:]:
            lines.append("event %s %s: %s: %s" % (e["involvedObject"].get("kind"), e["involvedObject"].get("name"),
                                                  e.get("reason"), e.get("message")))
    except K8sError as e:
        lines.append("(could not gather pods and events: %s)" % e)
    return lines
