# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of module input that run before any request, each naming its field."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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


# What every int option may hold unless its kind says otherwise: counts, seconds and sizes,
# within the int32 that Kubernetes APIs use.
INT32_MAX = 2147483647
DEFAULT_BOUNDS = (0, INT32_MAX)
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
