# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubernetes resource quantities ("500m", "2Gi", "1e3") as exact numbers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from decimal import Decimal

QUANTITY = re.compile(r"^([+-]?[0-9]*\.?[0-9]+)([eE][+-]?[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")
BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
DECIMAL = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


def parse_quantity(value):
    """A Decimal, or ValueError for what the API server would not accept."""
    match = QUANTITY.match(str(value).strip())
    if not match:
        raise ValueError("%r is not a Kubernetes quantity" % (value,))
    number, exponent, suffix = match.groups()
    out = Decimal(number)
    if exponent:
        out = out.scaleb(int(exponent[1:]))
    if suffix in BINARY:
        out *= 2 ** BINARY[suffix]
    elif suffix:
        out = out.scaleb(DECIMAL[suffix])
    return out


def pod_requests(pod_spec):
    """What the pod's containers request together (a limit stands for a missing request), by resource."""
    total = {}
    for container in pod_spec.get("containers") or []:
        resources = container.get("resources") or {}
        wanted = dict(resources.get("limits") or {}, **(resources.get("requests") or {}))
        for name, qty in wanted.items():
            total[name] = total.get(name, Decimal(0)) + parse_quantity(qty)
    return total


def never_fits(pod_spec, nodes):
    """The resources no node has enough of, even with nothing else on it: [(name, wanted, most any node has)]."""
    short = []
    for name, wanted in sorted(pod_requests(pod_spec).items()):
        most = max([parse_quantity(((n.get("status") or {}).get("allocatable") or {}).get(name, "0")) for n in nodes]
                   or [Decimal(0)])
        if wanted > most:
            short.append((name, wanted, most))
    return short
