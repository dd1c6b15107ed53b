import math

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.inference.prometheus_text import (
    MetricsParseError,
    parse_samples,
    select_series,
)

TEXT = r'''
# HELP request_predict_seconds predict latency
# TYPE request_predict_seconds histogram
request_predict_seconds_bucket{le="0.005",model_name="linear"} 3.0
request_predict_seconds_bucket{le="+Inf",model_name="linear"} 4.0
request_predict_seconds_count{model_name="linear"} 4.0
request_predict_seconds_sum{model_name="linear"} 0.0123
ovms_requests_success_total{api="KServe",interface="REST",method="ModelInfer",name="resnet"} 12 1700000000000
weird{path="C:\\dir",quote="say \"hi\"",nl="a\nb",} NaN
plain_gauge -Inf
'''


def test_parse_samples():
    samples = parse_samples(TEXT)
    assert samples[0] == ("request_predict_seconds_bucket", {"le": "0.005", "model_name": "linear"}, 3.0)
    assert samples[4][0] == "ovms_requests_success_total"
    assert samples[4][2] == 12.0
    name, labels, value = samples[5]
    assert labels == {"path": "C:\\dir", "quote": 'say "hi"', "nl": "a\nb"}
    assert math.isnan(value)
    assert samples[6] == ("plain_gauge", {}, float("-inf"))


def test_select_series_takes_family_suffixes():
    selected = select_series(parse_samples(TEXT), ["request_predict_seconds", "ovms_requests_success", "missing"])
    assert [s["name"] for s in selected["request_predict_seconds"]] == [
        "request_predict_seconds_bucket", "request_predict_seconds_bucket",
        "request_predict_seconds_count", "request_predict_seconds_sum"]
    assert selected["ovms_requests_success"][0]["labels"]["name"] == "resnet"
    assert selected["missing"] == []


def test_select_exact_name_only_no_prefix_match():
    selected = select_series(parse_samples("request_total 1\nrequest_total_other 2\n"), ["request"])
    assert [s["name"] for s in selected["request"]] == ["request_total"]


@pytest.mark.parametrize("line,message", [
    ("{a=\"b\"} 1", "no metric name"),
    ("m{a=b} 1", "bad label"),
    ("m{a=\"b} 1", "unterminated label value"),
    ("m{a=\"b\" c=\"d\"} 1", "expected ',' or '}'"),
    ("m", "expected a value"),
    ("m one", "could not convert"),
])
def test_parse_errors_name_the_line(line, message):
    with pytest.raises(MetricsParseError, match="metrics line 2: .*%s" % message):
        parse_samples("# TYPE m gauge\n" + line)
