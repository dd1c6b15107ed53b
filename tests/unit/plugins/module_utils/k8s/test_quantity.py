from decimal import Decimal

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.quantity import never_fits, parse_quantity, pod_requests


@pytest.mark.parametrize("text,value", [
    ("500m", Decimal("0.5")),
    ("2Gi", Decimal(2 * 1024 ** 3)),
    ("1e3", Decimal(1000)),
    ("1.5", Decimal("1.5")),
    ("1", Decimal(1)),
    (2, Decimal(2)),
    ("128974848", Decimal(128974848)),
    ("129M", Decimal(129000000)),
    ("123Mi", Decimal(123 * 1024 ** 2)),
    ("1k", Decimal(1000)),
    ("250u", Decimal("0.00025")),
    ("2E", Decimal(2 * 10 ** 18)),
    ("1E3", Decimal(1000)),
    ("1Ki", Decimal(1024)),
    ("1Ti", Decimal(1024 ** 4)),
    ("1Pi", Decimal(1024 ** 5)),
    ("1Ei", Decimal(1024 ** 6)),
    ("3n", Decimal("0.000000003")),
    ("1G", Decimal(10 ** 9)),
    ("1T", Decimal(10 ** 12)),
    ("1P", Decimal(10 ** 15)),
    ("1.5e-3", Decimal("0.0015")),
])
def test_parse_quantity(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "abc", "2GB", "1.5.5", "Gi", "1 Gi x", "--1", "0x10"])
def test_bad_quantity_raises_naming_the_value(text):
    with pytest.raises(ValueError) as e:
        parse_quantity(text)
    assert repr(text) in str(e.value)


def pod(*containers):
    return {"containers": [{"name": "c%d" % i, "resources": r} for i, r in enumerate(containers)]}


def node(gpus=None, **allocatable):
    if gpus is not None:
        allocatable["nvidia.com/gpu"] = gpus
    return {"metadata": {"name": "n"}, "status": {"allocatable": allocatable}}


def test_requests_add_up_across_containers_and_a_limit_stands_for_a_missing_request():
    spec = pod({"requests": {"cpu": "500m"}, "limits": {"cpu": "4", "memory": "1Gi"}},
               {"requests": {"cpu": "1", "memory": "512Mi"}})
    assert pod_requests(spec) == {"cpu": Decimal("1.5"), "memory": Decimal(1536 * 1024 ** 2)}


def test_two_gpus_never_fit_nodes_with_one_each():
    spec = pod({"limits": {"nvidia.com/gpu": "2"}})
    nodes = [node(cpu="8", gpus="1")] * 2 + [node(cpu="8")]
    assert never_fits(spec, nodes) == [("nvidia.com/gpu", Decimal(2), Decimal(1))]


def test_fits_when_one_node_has_enough_even_if_others_do_not():
    spec = pod({"requests": {"nvidia.com/gpu": "2", "cpu": "3500m"}})
    assert never_fits(spec, [node(cpu="2", gpus="1"), node(cpu="4", gpus="2")]) == []


def test_a_resource_no_node_offers_never_fits():
    spec = pod({"requests": {"cpu": "100m", "example.com/fpga": "1"}})
    assert never_fits(spec, [node(cpu="4")]) == [("example.com/fpga", Decimal(1), Decimal(0))]


def test_memory_compared_across_units():
    spec = pod({"requests": {"memory": "3000Mi"}})
    assert never_fits(spec, [node(memory="3Gi")]) == []
    assert never_fits(pod({"requests": {"memory": "4G"}}), [node(memory="3Gi")])[0][0] == "memory"
