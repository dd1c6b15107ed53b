# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Would a server-side apply of this definition change the live object? Decided from the object alone.

An apply changes nothing when the object already holds every value we
send and our field manager owns exactly the fields we send (so none
would be removed from it, and none taken over from another manager).
Both are read from the object a GET returns: its values, and its
managedFields. When in doubt the answer is no, and the caller applies:
a wrong "no" only costs a request, a wrong "yes" would skip a change.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# Identify the object rather than set a field: the server does not record them in managedFields.
IDENTITY = ("apiVersion", "kind")
IDENTITY_METADATA = ("name", "namespace")


def holds(live, desired):
    """`live` has every value of `desired`; maps may have more keys, lists are compared item by item."""
    if isinstance(desired, dict):
        if not isinstance(live, dict):
            return False
        return all(k not in live if v is None else (k in live and holds(live[k], v)) for k, v in desired.items())
    if isinstance(desired, list):
        return isinstance(live, list) and len(live) == len(desired) and all(map(holds, live, desired))
    # JSON tells true from 1; Python's == does not.
    return isinstance(live, bool) == isinstance(desired, bool) and live == desired


def equal(a, b):
    return holds(a, b) and holds(b, a)


def _member_matches(member, item):
    kind, sep, raw = member.partition(":")
    if not sep:
        return False
    try:
        value = json.loads(raw)
    except ValueError:
        return False
    if kind == "v":
        return equal(value, item)
    if kind == "k":
        return isinstance(item, dict) and isinstance(value, dict) and all(
            k in item and equal(item[k], v) for k, v in value.items())
    return False


def owns_exactly(fields, desired):
    """The FieldsV1 set `fields` names the fields of `desired` and no others."""
    children = dict((k, v) for k, v in (fields or {}).items() if k != ".")
    if isinstance(desired, dict):
        # A field sent as null is owned too: the server records it, with no value.
        if set(children) != set("f:" + k for k in desired):
            return False
        return all(owns_exactly(children["f:" + k], v) for k, v in desired.items())
    if isinstance(desired, list) and children:
        # A list of map items by key (k:) or of set values (v:); an atomic list has no children.
        if len(children) != len(desired):
            return False
        left = dict(children)
        for item in desired:
            member = next((m for m in left if _member_matches(m, item)), None)
            if member is None:
                return False
            sub = left.pop(member)
            if isinstance(item, dict) and not owns_exactly(sub, item):
                return False
        return True
    return not children


def apply_fields(obj, field_manager):
    """The managedFields set of `field_manager`'s apply, and its apiVersion, or (None, None)."""
    for entry in (obj.get("metadata") or {}).get("managedFields") or []:
        if (entry.get("manager") == field_manager and entry.get("operation") == "Apply"
                and not entry.get("subresource") and entry.get("fieldsType") == "FieldsV1"):
            return entry.get("fieldsV1") or {}, entry.get("apiVersion")
    return None, None


def apply_is_noop(live, definition, field_manager):
    """True when applying `definition` with `field_manager` would leave `live` as it is."""
    if live is None or live["metadata"].get("deletionTimestamp"):
        return False
    fields, api_version = apply_fields(live, field_manager)
    if fields is None or api_version != definition.get("apiVersion"):
        return False
    body = dict((k, v) for k, v in definition.items() if k not in IDENTITY)
    meta = dict((k, v) for k, v in (body.pop("metadata", None) or {}).items() if k not in IDENTITY_METADATA)
    if meta:
        body["metadata"] = meta
    return holds(live, body) and owns_exactly(fields, body)
