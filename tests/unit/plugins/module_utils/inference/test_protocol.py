import json
import struct

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.inference.protocol import (
    BINARY_HEADER,
    ProtocolError,
    build_request,
    flatten,
    pack_tensor,
    parse_response,
    unpack_tensor,
)


def split_body(body, headers):
    json_length = int(headers[BINARY_HEADER])
    return json.loads(body[:json_length]), body[json_length:]


def test_flatten_is_row_major():
    assert flatten([[1, 2], [3, [4, 5]]]) == [1, 2, 3, 4, 5]
    assert flatten(7) == [7]


def test_json_request_has_no_binary_header():
    body, headers = build_request([{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [1.0, 2.0]}])
    assert headers == {"Content-Type": "application/json"}
    assert json.loads(body) == {"inputs": [{"name": "x", "shape": [1, 2], "datatype": "FP32", "data": [1.0, 2.0]}]}


def test_binary_bytes_input_is_length_prefixed_after_the_json():
    image = b"\xff\xd8\xff\xe0 not utf-8 \x00\x01"
    body, headers = build_request([{"name": "image", "datatype": "BYTES", "shape": [1], "data": [image],
                                    "binary": True}])
    header, raw = split_body(body, headers)
    assert headers["Content-Type"] == "application/octet-stream"
    assert header["inputs"][0] == {"name": "image", "shape": [1], "datatype": "BYTES",
                                   "parameters": {"binary_data_size": 4 + len(image)}}
    assert raw == struct.pack("<I", len(image)) + image


def test_binary_inputs_follow_each_other_in_order():
    body, headers = build_request([
        {"name": "a", "datatype": "INT32", "shape": [2], "data": [1, -2], "binary": True},
        {"name": "b", "datatype": "FP32", "shape": [1], "data": [0.5]},
        {"name": "c", "datatype": "UINT8", "shape": [3], "data": [1, 2, 255], "binary": True},
    ])
    header, raw = split_body(body, headers)
    assert [i.get("parameters") for i in header["inputs"]] == [{"binary_data_size": 8}, None, {"binary_data_size": 3}]
    assert header["inputs"][1]["data"] == [0.5]
    assert raw == struct.pack("<2i", 1, -2) + bytes([1, 2, 255])


def test_requested_binary_outputs():
    body, dummy = build_request([{"name": "x", "datatype": "FP32", "shape": [1], "data": [1.0]}],
                                outputs=["scores"], binary_outputs=True)
    request = json.loads(body)
    assert request["outputs"] == [{"name": "scores", "parameters": {"binary_data": True}}]
    assert request["parameters"] == {"binary_data_output": True}


@pytest.mark.parametrize("datatype,values", [
    ("FP32", [1.5, -2.25]), ("FP64", [1e300]), ("FP16", [0.5, 2.0]), ("INT64", [-(2 ** 40)]),
    ("UINT16", [65535]), ("BOOL", [True, False]), ("BYTES", ["héllo", ""]),
])
def test_pack_unpack_round_trip(datatype, values):
    assert unpack_tensor(datatype, pack_tensor(datatype, values)) == values


def test_unpack_non_utf8_bytes_as_hex():
    assert unpack_tensor("BYTES", struct.pack("<I", 2) + b"\xff\x00") == ["hex:ff00"]


def test_parse_binary_response_decodes_outputs_in_order():
    header = json.dumps({"model_name": "m", "outputs": [
        {"name": "scores", "datatype": "FP32", "shape": [1, 2], "parameters": {"binary_data_size": 8}},
        {"name": "inline", "datatype": "INT32", "shape": [1], "data": [7]},
        {"name": "label", "datatype": "BYTES", "shape": [1], "parameters": {"binary_data_size": 7}},
    ]}).encode()
    body = header + struct.pack("<2f", 0.25, 0.75) + struct.pack("<I", 3) + b"cat"
    response = parse_response(body, {BINARY_HEADER.lower(): str(len(header))})
    assert [o["data"] for o in response["outputs"]] == [[0.25, 0.75], [7], ["cat"]]


def test_parse_json_response():
    body = b'{"outputs": [{"name": "y", "datatype": "FP32", "shape": [1], "data": [3.0]}]}'
    assert parse_response(body, {})["outputs"][0]["data"] == [3.0]


SHORT_HEADER = b'{"outputs": [{"name": "y", "datatype": "FP32", "parameters": {"binary_data_size": 8}}]}'


@pytest.mark.parametrize("body,headers,message", [
    (b"<html>", {}, "response is not JSON"),
    (b"{}", {BINARY_HEADER.lower(): "ten"}, "is not an integer"),
    (b"{}", {BINARY_HEADER.lower(): "99"}, "is 99 but the body has 2 bytes"),
    (SHORT_HEADER + b"\x00\x00", {BINARY_HEADER.lower(): str(len(SHORT_HEADER))}, "runs past the end"),
])
def test_parse_response_errors(body, headers, message):
    with pytest.raises(ProtocolError, match=message):
        parse_response(body, headers)


def test_unpack_rejects_partial_elements():
    with pytest.raises(ProtocolError, match="not a whole number of FP32"):
        unpack_tensor("FP32", b"\x00\x00\x00")
    with pytest.raises(ProtocolError, match="runs past the end"):
        unpack_tensor("BYTES", struct.pack("<I", 5) + b"ab")
