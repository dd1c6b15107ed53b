# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""KServe v2 / Open Inference Protocol request and response encoding.

Covers the JSON form and the binary data extension: the body is the JSON
header followed by the raw tensor bytes, and ``Inference-Header-Content-Length``
says where the JSON ends.  Tensors here are plain dicts with ``name``,
``datatype``, ``shape``, flat ``data`` and ``binary``.
"""

import json
import struct

BINARY_HEADER = "Inference-Header-Content-Length"

# struct format of one element, little-endian as the extension requires;
# BYTES is variable length and handled apart.
ELEMENT_FORMATS = {
    "BOOL": "?",
    "UINT8": "B",
    "UINT16": "H",
    "UINT32": "I",
    "UINT64": "Q",
    "INT8": "b",
    "INT16": "h",
    "INT32": "i",
    "INT64": "q",
    "FP16": "e",
    "FP32": "f",
    "FP64": "d",
}
DATATYPES = sorted(list(ELEMENT_FORMATS) + ["BYTES"])


class ProtocolError(Exception):
    """The server's response does not follow the protocol."""


def element_count(shape):
    count = 1
    for dim in shape:
        count *= dim
    return count


def flatten(data):
    """Row-major flattening of nested lists, as the protocol's JSON allows both."""
    if not isinstance(data, (list, tuple)):
        return [data]
    flat = []
    for item in data:
        flat.extend(flatten(item))
    return flat


def pack_bytes_elements(elements):
    """Each BYTES element is a 4-byte little-endian length then the bytes."""
    return b"".join(struct.pack("<I", len(e)) + e for e in elements)


def unpack_bytes_elements(raw):
    elements = []
    offset = 0
    while offset < len(raw):
        if offset + 4 > len(raw):
            raise ProtocolError("truncated BYTES element length")
        (size,) = struct.unpack_from("<I", raw, offset)
        offset += 4
        if offset + size > len(raw):
            raise ProtocolError("BYTES element runs past the end of its tensor")
        elements.append(raw[offset:offset + size])
        offset += size
    return elements


def pack_tensor(datatype, data):
    if datatype == "BYTES":
        return pack_bytes_elements([_as_bytes(e) for e in data])
    return struct.pack("<%d%s" % (len(data), ELEMENT_FORMATS[datatype]), *data)


def unpack_tensor(datatype, raw):
    if datatype == "BYTES":
        return [_bytes_to_text(e) for e in unpack_bytes_elements(raw)]
    fmt = ELEMENT_FORMATS.get(datatype)
    if fmt is None:
        raise ProtocolError("unknown datatype %r in binary output" % datatype)
    size = struct.calcsize("<" + fmt)
    if len(raw) % size:
        raise ProtocolError("%d bytes is not a whole number of %s elements" % (len(raw), datatype))
    return list(struct.unpack("<%d%s" % (len(raw) // size, fmt), raw))


def _as_bytes(element):
    return element if isinstance(element, bytes) else str(element).encode("utf-8")


def _bytes_to_text(element):
    # Ansible results must be text; undecodable BYTES come back hex-encoded.
    try:
        return element.decode("utf-8")
    except UnicodeDecodeError:
        return "hex:" + element.hex()


def build_request(tensors, outputs=None, binary_outputs=False):
    """Return ``(body, headers)`` for ``POST /v2/models/<m>/infer``."""
    header = {"inputs": []}
    raw_parts = []
    for tensor in tensors:
        entry = {"name": tensor["name"], "shape": list(tensor["shape"]), "datatype": tensor["datatype"]}
        if tensor.get("binary"):
            raw = pack_tensor(tensor["datatype"], tensor["data"])
            entry["parameters"] = {"binary_data_size": len(raw)}
            raw_parts.append(raw)
        else:
            entry["data"] = tensor["data"]
        header["inputs"].append(entry)
    if outputs:
        header["outputs"] = [{"name": n, "parameters": {"binary_data": binary_outputs}} for n in outputs]
    if binary_outputs:
        header["parameters"] = {"binary_data_output": True}
    json_part = json.dumps(header, separators=(",", ":")).encode("utf-8")
    if not raw_parts:
        return json_part, {"Content-Type": "application/json"}
    headers = {"Content-Type": "application/octet-stream", BINARY_HEADER: str(len(json_part))}
    return json_part + b"".join(raw_parts), headers


def parse_response(body, headers):
    """Decode an infer response, JSON or binary; ``headers`` keys are lower case."""
    json_length = headers.get(BINARY_HEADER.lower())
    if json_length is None:
        return _load_json(body)
    try:
        json_length = int(json_length)
    except ValueError:
        raise ProtocolError("%s header is not an integer: %r" % (BINARY_HEADER, json_length))
    if not 0 < json_length <= len(body):
        raise ProtocolError("%s is %d but the body has %d bytes" % (BINARY_HEADER, json_length, len(body)))
    response = _load_json(body[:json_length])
    offset = json_length
    for output in response.get("outputs", []):
        size = (output.get("parameters") or {}).get("binary_data_size")
        if size is None:
            continue
        if offset + size > len(body):
            raise ProtocolError("binary data of output %r runs past the end of the body" % output.get("name"))
        output["data"] = unpack_tensor(output.get("datatype"), body[offset:offset + size])
        offset += size
    return response


def _load_json(raw):
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise ProtocolError("response is not JSON: %s" % exc)
