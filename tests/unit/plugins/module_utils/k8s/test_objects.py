import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.objects import GroupVersion, find_resource, selector

# Shapes of kube-apiserver's discovery documents (GET /api/v1, /apis/batch/v1).
CORE = {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
    {"name": "nodes", "kind": "Node", "namespaced": False},
    {"name": "nodes/status", "kind": "Node", "namespaced": False},
    {"name": "pods", "kind": "Pod", "namespaced": True},
    {"name": "pods/log", "kind": "Pod", "namespaced": True},
]}
BATCH = {"kind": "APIResourceList", "groupVersion": "batch/v1", "resources": [
    {"name": "jobs/status", "kind": "Job", "namespaced": True},
    {"name": "jobs", "kind": "Job", "namespaced": True},
]}


def test_kind_resolves_to_its_plural_not_a_subresource():
    node, namespaced = find_resource(CORE, "v1", "Node")
    assert (node.path(None, "n1"), namespaced) == ("/api/v1/nodes/n1", False)
    job, namespaced = find_resource(BATCH, "batch/v1", "Job")
    assert (job.path("ns", "j"), namespaced) == ("/apis/batch/v1/namespaces/ns/jobs/j", True)


def test_unknown_kind_names_the_field_and_lists_what_is_served():
    with pytest.raises(InvalidInput, match=r"^kind: the cluster serves no kind Nde in v1; it serves: Node, Pod$"):
        find_resource(CORE, "v1", "Nde")


def test_discovery_paths_of_core_and_named_groups():
    assert GroupVersion("v1").path() == "/api/v1"
    assert GroupVersion("batch/v1").path() == "/apis/batch/v1"


def test_selector_terms_are_anded_and_empty_is_none():
    assert selector(["a=b", "c!=d"]) == "a=b,c!=d"
    assert selector([]) is None
