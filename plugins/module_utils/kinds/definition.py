# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Building an object from module options: the definition, merged under the options, with unset options left out."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.module_utils.six import string_types

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput


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
