import json

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.inference.inputs import (
    InputSpecError,
    build_tensors,
    load_inputs_file,
)


def spec(**overrides):
    base = {"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [[1, 2, 3]]}
    base.update(overrides)
    return base


def test_inline_data_is_flattened():
    assert build_tensors([spec()]) == [
        {"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3], "binary": False}]


def test_integer_types_get_integers():
    assert build_tensors([spec(datatype="INT64", data=[1.0, 2, 3])])[0]["data"] == [1, 2, 3]


def test_file_becomes_one_binary_bytes_element(tmp_path):
    image = tmp_path / "cat.jpg"
    image.write_bytes(b"\xff\xd8\xff")
    tensor = build_tensors([{"name": "image", "datatype": "BYTES", "shape": [1], "file": str(image)}])[0]
    assert tensor["data"] == [b"\xff\xd8\xff"]
    assert tensor["binary"] is True


@pytest.mark.parametrize("bad,message", [
    (spec(name=""), r"inputs\[0\]\.name: a non-empty string"),
    (spec(datatype="FLOAT"), r"inputs\[0\]\.datatype: must be one of .*got 'FLOAT'"),
    (spec(shape=[1, -1]), r"inputs\[0\]\.shape: must be a list of non-negative integers"),
    (spec(shape="1,3"), r"inputs\[0\]\.shape"),
    (spec(data=[1, 2]), r"inputs\[0\]\.data: shape \[1, 3\] needs 3 elements, got 2"),
    (spec(data=[1, "2", 3]), r"inputs\[0\]\.data: element 1 \('2'\) is not a valid FP32 value"),
    (spec(datatype="UINT8", data=[1, 256, 3]), r"element 1 \(256\) is not a valid UINT8"),
    (spec(datatype="INT8", data=[1, -129, 3]), r"element 1 \(-129\) is not a valid INT8"),
    (spec(datatype="INT32", data=[1, 2.5, 3]), r"element 1 \(2.5\) is not a valid INT32"),
    (spec(datatype="BOOL", data=[1, 0, 1]), r"element 0 \(1\) is not a valid BOOL"),
    (spec(datatype="BYTES", data=[1, 2, 3]), r"element 0 \(1\) is not a valid BYTES"),
    (spec(file="/x"), r"inputs\[0\]: give exactly one of data or file"),
    (spec(data=None), r"inputs\[0\]: give exactly one of data or file"),
    (spec(data=None, file="/x"), r"inputs\[0\]\.datatype: a file input is sent as one BYTES element"),
    (spec(data=None, file="/x", datatype="BYTES"), r"inputs\[0\]\.shape: a file input holds one element"),
    (spec(data=None, file="/no/such/file", datatype="BYTES", shape=[1]), r"inputs\[0\]\.file: cannot read"),
])
def test_bad_inputs_name_the_field(bad, message):
    with pytest.raises(InputSpecError, match=message):
        build_tensors([bad])


def test_second_input_is_named_by_index():
    with pytest.raises(InputSpecError, match=r"inputs\[1\]\.data"):
        build_tensors([spec(), spec(data=[1])])


def test_empty_inputs():
    with pytest.raises(InputSpecError, match="at least one input"):
        build_tensors([])


def test_inputs_file(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"id": "1", "inputs": [spec()]}))
    assert load_inputs_file(str(path)) == [spec()]
    tensors_from_file = build_tensors(load_inputs_file(str(path)), "inputs_file: inputs")
    assert tensors_from_file[0]["data"] == [1, 2, 3]


@pytest.mark.parametrize("content,message", [
    ("not json", "inputs_file: cannot read"),
    ('[{"name": "x"}]', 'must hold a JSON object with an "inputs" list'),
])
def test_bad_inputs_file(tmp_path, content, message):
    path = tmp_path / "request.json"
    path.write_text(content)
    with pytest.raises(InputSpecError, match=message):
        load_inputs_file(str(path))
