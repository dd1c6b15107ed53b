# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wait for a readiness check by watching every object it reads, never by polling.

A check names its sources (an object by name, or the objects matching a
label selector) and may ask for more as it learns (a Deployment's
ReplicaSets and pods once the Deployment is known). Each source is listed
once and then watched from that list's resourceVersion in its own thread,
from the moment a verdict on what was read is pending (a wait that ends on
its first reads opens no watch); a source `from_now` skips the list and
gets what exists as the watch's first events. Every event is judged at
once, over everything seen so far. A 410 Gone, or a lost API server, leads
that source to list and watch again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

from ansible.module_utils.six.moves import queue

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import PENDING, READY, Verdict
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.view import View

MAX_HISTORY = 30
# A watch request is renewed this often, so a stopped waiter's threads end soon.
WATCH_WINDOW_SECONDS = 30


class WaitFailed(K8sError):
    """The controller reported a failure, or the deadline passed; `result` says what was seen."""

    def __init__(self, message, result):
        super(WaitFailed, self).__init__(message)
        self.result = result


class _Feed(threading.Thread):
    """Lists and watches one source, putting what it learns on the waiter's queue."""

    def __init__(self, waiter, source, seed=None):
        super(_Feed, self).__init__(name="watch %r" % source)
        self.daemon = True
        self.waiter = waiter
        self.source = source
        self.seed = seed

    def _put(self, *message):
        self.waiter.inbox.put((self.source,) + message)

    def run(self):
        w, src = self.waiter, self.source
        rv = None
        if self.seed is not None:
            # The object as our own request returned it: watching from its version misses nothing.
            self._put("list", [self.seed])
            rv = self.seed["metadata"]["resourceVersion"]
        elif src.from_now:
            # A watch with no resourceVersion first sends what exists as ADDED events.
            self._put("list", [])
            rv = ""
        while not w.stopped.is_set():
            try:
                if rv is None:
                    listing = w.cluster.request("GET", src.resource, src.namespace, query=src.query(),
                                                deadline=w.deadline)
                    rv = listing["metadata"]["resourceVersion"]
                    self._put("list", listing.get("items") or [])
                # Watching from rv misses nothing, so the watch can wait until the waiter needs events.
                w.watching.wait()
                if w.stopped.is_set():
                    return
                window = min(WATCH_WINDOW_SECONDS, max(1.0, w.deadline - time.monotonic()))
                query = dict(src.query(), resourceVersion=rv) if rv else src.query()
                for event in w.cluster.watch(src.resource, src.namespace, query, window):
                    kind, body = event["type"], event["object"]
                    if kind == "ERROR":
                        if body.get("code") != 410:
                            raise K8sError("watch of %r failed: %s" % (src, body.get("message")))
                        self._put("relist")
                        rv = None
                        break
                    rv = body["metadata"]["resourceVersion"]
                    if kind != "BOOKMARK":
                        self._put("event", kind, body)
                    if w.stopped.is_set():
                        return
            except K8sError as e:
                if not e.retryable:
                    self._put("error", e)
                    return
                self._put("reconnect", e)
                w.stopped.wait(1.0)
                rv = None
            except Exception as e:  # noqa: BLE001 - a feed that died quietly would leave the wait to time out
                self._put("error", K8sError("reading %r failed: %s" % (src, e)))
                return


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
        self.inbox = queue.Queue()
        self.stopped = threading.Event()
        # Set once a verdict from what was read is pending: a wait that ends on its first reads opens no watch.
        self.watching = threading.Event()
        self.view = View()
        self._feeds = {}

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

    def run(self, checks, seeds=None):
        """Run each check to READY; raise WaitFailed otherwise. `seeds` maps a source key to an object we hold."""
        try:
            for check in checks:
                began = self.elapsed()
                verdict = self._wait(check, seeds or {})
                self.stages.append({"target": check.target, "for": check.description, "state": verdict.state,
                                    "message": verdict.message, "seconds": round(self.elapsed() - began, 2)})
                if verdict.state != READY:
                    raise WaitFailed("%s failed: %s" % (check.target, verdict.message), self.result())
        finally:
            self.stopped.set()
            self.watching.set()
        return self.result()

    def _subscribe(self, check, seeds):
        for source in check.sources(self.view):
            if source.key not in self._feeds:
                feed = _Feed(self, source, seeds.get(source.key))
                self._feeds[source.key] = feed
                feed.start()

    def _judge(self, check):
        waiting = [s for s in check.sources(self.view) if not self.view.synced(s)]
        if waiting:
            return Verdict(PENDING, "reading %s" % ", ".join(repr(s) for s in waiting))
        verdict = check.evaluate(self.view, self.cluster)
        self._note(check, verdict)
        if verdict.state == PENDING:
            self.watching.set()
        return verdict

    def _wait(self, check, seeds):
        self._subscribe(check, seeds)
        # Sources an earlier check already read need no new event to be judged.
        verdict = self._judge(check)
        while True:
            self._subscribe(check, seeds)
            if verdict.state != PENDING:
                return verdict
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self._timeout(check, verdict)
            try:
                message = self.inbox.get(timeout=remaining)
            except queue.Empty:
                continue
            # Take everything already delivered before judging once.
            while message is not None:
                self._receive(check, *message)
                try:
                    message = self.inbox.get_nowait()
                except queue.Empty:
                    message = None
            verdict = self._judge(check)

    def _receive(self, check, source, what, *args):
        if what == "list":
            self.view.replace(source, args[0])
        elif what == "event":
            self.view.update(source, args[0], args[1])
        elif what == "relist":
            self.relists += 1
        elif what == "reconnect":
            self.reconnects += 1
            self.progress("%.1fs %s: lost the API server (%s); reconnecting" % (self.elapsed(), check.target, args[0]))
        elif what == "error":
            raise args[0]

    def _timeout(self, check, verdict):
        lines = ["timed out after %ds waiting for %s (%s); still missing: %s" % (
            self.timeout, check.target, check.description, verdict.message)]
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
