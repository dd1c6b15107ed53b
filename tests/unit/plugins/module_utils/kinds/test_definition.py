import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.definition import base_object, compact, merge


def test_merge_is_deep_and_skips_none():
    assert merge({"a": {"b": 1, "c": 2}}, {"a": {"b": 3, "d": None}}) == {"a": {"b": 3, "c": 2}}


def test_compact_drops_unset():
    assert compact({"a": None, "b": {}, "c": {"d": None, "e": 1}, "f": []}) == {"c": {"e": 1}}


def test_base_object_rejects_mismatched_kind_and_name():
    params = {"name": "a", "namespace": "n", "definition": {"kind": "Pod"}}
    with pytest.raises(InvalidInput, match="definition.kind"):
        base_object(res.ROUTE, params)
    params = {"name": "a", "namespace": "n", "definition": {"metadata": {"name": "b"}}}
    with pytest.raises(InvalidInput, match="definition.metadata.name"):
        base_object(res.ROUTE, params)


def test_base_object_rejects_non_string_label():
    with pytest.raises(InvalidInput, match="labels.tier"):
        base_object(res.ROUTE, {"name": "a", "namespace": "n", "labels": {"tier": 3}})
