# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of module input that run before any request, each naming its field."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible.module_utils.six import string_types

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def dns_label(value, field):
    """A name that Kubernetes accepts for namespaces and for Services derived from it."""
    if not isinstance(value, string_types) or not value:
        raise InvalidInput(field, "must be a non-empty string")
    if len(value) > 63:
        raise InvalidInput(field, "%r is %d characters long; the limit is 63" % (value, len(value)))
    if not DNS_LABEL.match(value):
        raise InvalidInput(field, "%r must consist of lower case letters, digits and '-', and start and end "
                                  "with a letter or digit" % value)
    return value


def merge(base, override):
    """Deep-merge `override` into a copy of `base`; None values in override are skipped."""
    out = copy.deepcopy(base) if base else {}
    for key, value in (override or {}).items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def compact(value):
    """Drop None values and empty containers, recursively, so options left unset send nothing."""
    if isinstance(value, dict):
        items = ((k, compact(v)) for k, v in value.items())
        return dict((k, v) for k, v in items if v is not None and v != {} and v != [])
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value


def definition_spec(params):
    """The `spec` of the definition option, or {}."""
    return (params.get("definition") or {}).get("spec") or {}


def base_object(resource, params):
    """apiVersion, kind and metadata from the module options over `definition`.

    The caller has checked name and namespace with dns_label.
    """
    definition = params.get("definition") or {}
    for key, want in (("apiVersion", resource.api_version), ("kind", resource.kind)):
        if definition.get(key) not in (None, want):
            raise InvalidInput("definition.%s" % key, "is %r; this module manages %s" % (definition[key], want))
    meta = definition.get("metadata") or {}
    for key in ("name", "namespace"):
        if meta.get(key) not in (None, params[key]):
            raise InvalidInput("definition.metadata.%s" % key, "is %r but %s is %r" % (meta[key], key, params[key]))
    for key in ("labels", "annotations"):
        for k, v in (params.get(key) or {}).items():
            if not isinstance(v, string_types):
                raise InvalidInput("%s.%s" % (key, k), "must be a string, got %s" % type(v).__name__)
    return merge(definition, {
        "apiVersion": resource.api_version, "kind": resource.kind,
        "metadata": {"name": params["name"], "namespace": params["namespace"],
                     "labels": params.get("labels") or None, "annotations": params.get("annotations") or None},
    })


# What every int option may hold unless its kind says otherwise: counts, seconds and sizes.
DEFAULT_BOUNDS = (0, None)
COMMON_BOUNDS = {"wait_timeout": (1, 86400)}
CONTROL_OR_SPACE = re.compile(r"[\s\x00-\x1f\x7f]")


def check_numbers(spec, params, bounds, prefix="", key_prefix=""):
    """Every int option within its bounds; list items are looked up as 'option[].field'."""
    for name, option in spec.items():
        value = (params or {}).get(name)
        if value is None:
            continue
        field, key = prefix + name, key_prefix + name
        if option.get("type") == "int" and not isinstance(value, bool):
            low, high = bounds.get(key, DEFAULT_BOUNDS)
            if (low is not None and value < low) or (high is not None and value > high):
                raise InvalidInput(field, "%d is not within %s..%s" % (value, low, "" if high is None else high))
        elif option.get("options") and isinstance(value, list):
            for i, item in enumerate(value):
                check_numbers(option["options"], item, bounds, "%s[%d]." % (field, i), key + "[].")
        elif option.get("options") and isinstance(value, dict):
            check_numbers(option["options"], value, bounds, field + ".", key + ".")


def check_uri(value, field):
    """A URI the server will read as written: no whitespace, no control characters."""
    if value and CONTROL_OR_SPACE.search(value):
        raise InvalidInput(field, "%r contains whitespace or a control character; percent-encode it" % value)
    return value


def lookup(params, path):
    """The value at a dotted option path, or None."""
    for key in path.split("."):
        params = params.get(key) if isinstance(params, dict) else None
    return params
