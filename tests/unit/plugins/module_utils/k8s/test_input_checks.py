import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import (
    COMMON_BOUNDS, check_numbers, check_uri, dns_label, lookup)
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput


@pytest.mark.parametrize("value,fragment", [("a" * 64, "limit is 63"), ("Upper", "lower case"), ("-x", "start and end"),
                                            ("", "non-empty")])
def test_dns_label_rejects(value, fragment):
    with pytest.raises(InvalidInput) as e:
        dns_label(value, "name")
    assert str(e.value).startswith("name: ") and fragment in str(e.value)


SPEC = {"wait_timeout": {"type": "int"}, "flag": {"type": "bool"},
        "svc": {"type": "dict", "options": {"port": {"type": "int"}}},
        "formats": {"type": "list", "elements": "dict", "options": {"priority": {"type": "int"}}}}
BOUNDS = dict(COMMON_BOUNDS, **{"svc.port": (1, 65535)})


@pytest.mark.parametrize("params,message", [
    ({"wait_timeout": 0}, "wait_timeout: 0 is not within 1..86400"),
    ({"wait_timeout": 86401}, "wait_timeout: 86401 is not within 1..86400"),
    ({"svc": {"port": 0}}, "svc.port: 0 is not within 1..65535"),
    ({"formats": [{"priority": 1}, {"priority": -1}]}, "formats[1].priority: -1 is not within 0..2147483647"),
])
def test_check_numbers_names_the_field(params, message):
    with pytest.raises(InvalidInput) as e:
        check_numbers(SPEC, params, BOUNDS)
    assert str(e.value) == message


def test_check_numbers_accepts_bounds_and_unset():
    check_numbers(SPEC, {"wait_timeout": 1, "flag": True, "svc": {"port": 65535}, "formats": [{"priority": None}]},
                  BOUNDS)
    check_numbers(SPEC, {"wait_timeout": 86400, "svc": None}, BOUNDS)


@pytest.mark.parametrize("uri", ["s3://b/my model", "s3://b/m\nx", "oci://q/m:1\t", "http://h/\x7f"])
def test_check_uri_rejects_space_and_control_characters(uri):
    with pytest.raises(InvalidInput, match="^storage_uri: .* contains whitespace or a control character"):
        check_uri(uri, "storage_uri")


def test_check_uri_and_lookup():
    assert check_uri("s3://b/m%20x", "f") == "s3://b/m%20x"
    assert check_uri(None, "f") is None
    assert lookup({"a": {"b": "x"}}, "a.b") == "x"
    assert lookup({"a": None}, "a.b") is None
