import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.inference.checks import check_options
from ansible_collections.edgeai.serving.plugins.module_utils.inference.inputs import InputSpecError


def options(**overrides):
    base = dict(url="http://127.0.0.1:8080", timeout=5, poll_interval=1, request_timeout=10, inputs=None,
                inputs_file=None, expected_class=None, load=None, outputs=None, labels=None, top_k=0)
    base.update(overrides)
    return base


X = {"name": "x", "datatype": "FP32", "shape": [1], "data": [1.0]}


def test_readiness_only_needs_no_tensors():
    assert check_options(options()) is None


def test_inputs_become_tensors():
    assert check_options(options(inputs=[X]))[0]["data"] == [1.0]


@pytest.mark.parametrize("overrides,message", [
    (dict(url="127.0.0.1:8080"), "url: must start with http:// or https://"),
    (dict(poll_interval=0), "poll_interval: must be above 0"),
    (dict(request_timeout=-1), "request_timeout: must be above 0"),
    (dict(timeout=-1), "timeout: must be 0 or more"),
    (dict(expected_class="1", top_k=2), "expected_class, top_k: needs inputs or inputs_file"),
    (dict(load={"requests": 1, "concurrency": 1, "max_duration": 1}), "load: needs inputs"),
    (dict(inputs=[X], top_k=-1), "top_k: must be 0 or more"),
    (dict(inputs=[X], load={"requests": 1, "concurrency": 64, "max_duration": 1}), "load.concurrency"),
])
def test_bad_option_combinations(overrides, message):
    with pytest.raises(InputSpecError, match=message):
        check_options(options(**overrides))
