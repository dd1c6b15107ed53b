# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Server-side apply and delete, with `changed`, check mode and diff.

An apply is a GET, then a PATCH unless the object already is what the
apply would make it (unchanged.py): the GET gives the diff's "before" and
lets `changed` ignore what the server alone changes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.unchanged import apply_is_noop

APPLY_CONTENT_TYPE = "application/apply-patch+yaml"
REDACTED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
# Written by the server, never by us: a difference here is not a change.
SERVER_METADATA = ("resourceVersion", "managedFields", "generation", "creationTimestamp", "uid", "selfLink")


def comparable(obj):
    """The object without status and server-owned metadata."""
    if obj is None:
        return None
    obj = copy.deepcopy(obj)
    obj.pop("status", None)
    meta = obj.get("metadata") or {}
    for key in SERVER_METADATA:
        meta.pop(key, None)
    return obj


def redact(obj, secret_paths):
    """A copy with the values at `secret_paths` (tuples of keys) replaced."""
    if obj is None:
        return None
    obj = copy.deepcopy(obj)
    for path in secret_paths:
        parent = obj
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and parent.get(path[-1]) is not None:
            parent[path[-1]] = REDACTED
    return obj


class Outcome(object):
    def __init__(self, changed, before, after, latest=None):
        self.changed = changed
        self.before = before
        self.after = after
        # The object as our last request returned it (a deletion in progress too): a wait starts its watch there.
        self.latest = after if latest is None else latest

    def diff(self, secret_paths):
        return {"before": redact(comparable(self.before), secret_paths) or {},
                "after": redact(comparable(self.after), secret_paths) or {}}


def apply(cluster, resource, definition, field_manager, force_conflicts, check_mode):
    meta = definition["metadata"]
    namespace, name = meta.get("namespace"), meta["name"]
    before = cluster.get(resource, namespace, name)
    if apply_is_noop(before, definition, field_manager):
        return Outcome(False, before, before)
    query = {"fieldManager": field_manager, "force": "true" if force_conflicts else None,
             "dryRun": "All" if check_mode else None, "fieldValidation": "Strict"}
    after = cluster.request("PATCH", resource, namespace, name, query=query, body=definition,
                            content_type=APPLY_CONTENT_TYPE)
    return Outcome(comparable(before) != comparable(after), before, after)


def delete(cluster, resource, namespace, name, check_mode):
    before = cluster.get(resource, namespace, name)
    if before is None:
        return Outcome(False, None, None)
    # Already terminating: someone else deleted it; we only wait.
    if before["metadata"].get("deletionTimestamp"):
        return Outcome(False, before, None)
    # Foreground: the object stays until its dependents are gone, so a wait for it covers them.
    answer = cluster.request("DELETE", resource, namespace, name,
                             query={"dryRun": "All" if check_mode else None, "propagationPolicy": "Foreground"})
    # The object, still there with its deletionTimestamp; a Status (or nothing) once it is gone already.
    staying = answer if (answer or {}).get("kind") == before.get("kind") else None
    return Outcome(True, before, None, staying)
