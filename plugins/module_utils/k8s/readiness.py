# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Verdicts, and the rules every kind shares: conditions, status freshness, deletion.

A check reads objects from a View and returns a Verdict. A failure that a
controller reports is a Verdict of its own, so the wait stops with the
reason instead of timing out; but only a report about the spec just applied
counts (see StatusFreshness).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.view import Source

READY, PENDING, FAILED = "ready", "pending", "failed"


class Verdict(object):
    def __init__(self, state, message):
        self.state = state
        self.message = message

    def __repr__(self):
        return "Verdict(%s, %r)" % (self.state, self.message)


def condition(obj, ctype, conditions=None):
    if conditions is None:
        conditions = ((obj or {}).get("status") or {}).get("conditions")
    for cond in conditions or []:
        if cond.get("type") == ctype:
            return cond
    return None


def is_true(obj, ctype):
    return (condition(obj, ctype) or {}).get("status") == "True"


def describe_condition(obj, ctype):
    cond = condition(obj, ctype)
    if cond is None:
        return "%s not reported yet" % ctype
    extra = ": ".join(x for x in (cond.get("reason"), cond.get("message")) if x)
    return "%s=%s%s" % (ctype, cond.get("status"), " (%s)" % extra if extra else "")


def managed_time(obj, manager=None, subresource=None, exclude_manager=None):
    """The latest managedFields time of the matching entries, or '' (server time, whole seconds)."""
    times = [e.get("time") or "" for e in (obj or {}).get("metadata", {}).get("managedFields") or []
             if (manager is None or e.get("manager") == manager) and e.get("manager") != exclude_manager
             and (subresource is None or e.get("subresource") == subresource)]
    return max(times) if times else ""


class StatusFreshness(object):
    """Does the object's status describe the spec we just applied?

    Controllers write status with an update that carries the resourceVersion
    they read (KServe, and the Helm operator through its retry-on-conflict
    that never re-reads), so a reconcile of an older spec cannot write status
    once our apply is stored. A status that differs from the one our apply
    returned was therefore computed from our spec or a later one. Once seen,
    that stays true.

    After an apply that changed nothing, the status is about our spec when
    another manager wrote it after our last change, a strictly later second
    of server time; or when the spec never changed (generation 1) and our
    fields were last set in the second the object was created: then any
    status was written after the creation, about the only spec there was.
    (Left open: our own second change of labels or annotations within that
    same second.)
    """

    def __init__(self, applied, changed, field_manager):
        self.baseline = (applied or {}).get("status") or {}
        self.changed = changed
        self.field_manager = field_manager
        self.fresh = False

    def __call__(self, obj):
        if not self.fresh and obj is not None:
            if self.changed:
                self.fresh = ((obj.get("status") or {}) != self.baseline)
            else:
                ours = managed_time(obj, manager=self.field_manager)
                theirs = managed_time(obj, subresource="status", exclude_manager=self.field_manager)
                meta = obj.get("metadata") or {}
                self.fresh = theirs > ours or bool(
                    theirs and meta.get("generation") == 1 and ours == meta.get("creationTimestamp"))
        return self.fresh


class Check(object):
    """Reads some objects; subclasses say which, and what ready and failed mean."""

    resource = None
    description = None
    # Where to look for pod reasons when the wait times out.
    pod_selector = None

    def __init__(self, namespace, name):
        self.namespace = namespace
        self.name = name
        # The object the check is about; the seed of a wait after an apply.
        self.source = Source(self.resource, namespace, name)

    @property
    def target(self):
        return "%s %s/%s" % (self.resource.kind, self.namespace, self.name)

    def sources(self, view):
        """The Sources to list and watch, given what has been seen so far."""
        return [self.source]

    def evaluate(self, view, cluster):
        raise NotImplementedError


class Gone(Check):
    description = "deleted, finalizers included"

    def __init__(self, resource, namespace, name):
        self.resource = resource
        super(Gone, self).__init__(namespace, name)

    def evaluate(self, view, cluster):
        obj = view.get(self.source)
        if obj is None:
            return Verdict(READY, "deleted")
        finalizers = obj["metadata"].get("finalizers") or []
        return Verdict(PENDING, "still present%s" % (" (finalizers: %s)" % ", ".join(finalizers) if finalizers else ""))
