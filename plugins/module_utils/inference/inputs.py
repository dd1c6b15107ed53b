# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn the module's ``inputs`` / ``inputs_file`` into checked tensors.

Every problem is reported with the field it is in (``inputs[0].shape``)
before anything is sent to the server.
"""

import json
import numbers

from ansible_collections.edgeai.serving.plugins.module_utils.inference.protocol import (
    DATATYPES,
    element_count,
    flatten,
)


class InputSpecError(ValueError):
    pass


def load_inputs_file(path):
    """Inputs of a v2 request body stored as JSON (``{"inputs": [...]}``)."""
    try:
        with open(path, "rb") as handle:
            body = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputSpecError("inputs_file: cannot read %s: %s" % (path, exc))
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
        raise InputSpecError('inputs_file: %s must hold a JSON object with an "inputs" list' % path)
    return body["inputs"]


def build_tensors(specs, field="inputs"):
    if not specs:
        raise InputSpecError("%s: at least one input is needed" % field)
    tensors = []
    for index, spec in enumerate(specs):
        where = "%s[%d]" % (field, index)
        if not isinstance(spec, dict):
            raise InputSpecError("%s: must be a mapping" % where)
        tensors.append(_build_tensor(spec, where))
    return tensors


def _build_tensor(spec, where):
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        raise InputSpecError("%s.name: a non-empty string is required" % where)
    datatype = spec.get("datatype")
    if datatype not in DATATYPES:
        raise InputSpecError("%s.datatype: must be one of %s, got %r" % (where, ", ".join(DATATYPES), datatype))
    shape = spec.get("shape")
    if not isinstance(shape, list) or not all(_is_int(d) and d >= 0 for d in shape):
        raise InputSpecError("%s.shape: must be a list of non-negative integers, got %r" % (where, shape))
    has_data, has_file = spec.get("data") is not None, spec.get("file") is not None
    if has_data == has_file:
        raise InputSpecError("%s: give exactly one of data or file" % where)
    if has_file:
        data = [_read_file_element(spec["file"], datatype, shape, where)]
        binary = True
    else:
        data = _checked_data(flatten(spec["data"]), datatype, shape, where)
        binary = bool(spec.get("binary_data"))
    return {"name": name, "datatype": datatype, "shape": shape, "data": data, "binary": binary}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _read_file_element(path, datatype, shape, where):
    if datatype != "BYTES":
        raise InputSpecError("%s.datatype: a file input is sent as one BYTES element, got %s" % (where, datatype))
    if element_count(shape) != 1:
        raise InputSpecError("%s.shape: a file input holds one element, so the shape must be [1], got %r" % (where, shape))
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InputSpecError("%s.file: cannot read %s: %s" % (where, path, exc))


def _checked_data(data, datatype, shape, where):
    if len(data) != element_count(shape):
        raise InputSpecError("%s.data: shape %r needs %d elements, got %d" % (where, shape, element_count(shape), len(data)))
    for position, value in enumerate(data):
        if not _fits(value, datatype):
            raise InputSpecError("%s.data: element %d (%r) is not a valid %s value" % (where, position, value, datatype))
    if "INT" in datatype:
        return [int(value) for value in data]
    return data


def _fits(value, datatype):
    if datatype == "BYTES":
        return isinstance(value, str)
    if datatype == "BOOL":
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    if datatype.startswith("FP"):
        return True
    if not float(value).is_integer():
        return False
    bits = int(datatype[datatype.index("INT") + 3:])
    if datatype.startswith("U"):
        return 0 <= value < 2 ** bits
    return -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)
