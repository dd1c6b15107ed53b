"""Regression tests for bugs found in k8s/wait.py."""

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import READY, Check, Verdict
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import Waiter, WaitFailed


class Exists(Check):
    resource = res.INFERENCE_SERVICE
    description = "exists"

    def __init__(self):
        super(Exists, self).__init__("ns", "x")

    def evaluate(self, view, cluster):
        return Verdict(READY, "exists")


def test_a_second_check_on_an_already_read_source_is_judged_without_new_events(wl, scripted):
    """`_wait` judges only after a new inbox message; the shared source was read for the first check."""
    x = {"metadata": {"name": "x", "resourceVersion": "5"}}
    cluster = scripted(lists={("InferenceService", "metadata.name=x"): [wl.listing(5, x)]})
    try:
        out = Waiter(cluster, 1).run([Exists(), Exists()])
    except WaitFailed as e:
        pytest.fail("second check waited for an event that never comes: %s" % e)
    assert [s["state"] for s in out["stages"]] == [READY, READY]


def test_an_unexpected_error_in_a_feed_ends_the_wait_with_it(scripted):
    """A feed thread that died on anything but a K8sError used to leave the wait to run to its timeout."""
    from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError
    cluster = scripted(lists={("InferenceService", "metadata.name=x"): [ValueError("not JSON")]})
    with pytest.raises(K8sError) as e:
        Waiter(cluster, 30).run([Exists()])
    assert not isinstance(e.value, WaitFailed)
    assert "reading InferenceService ns/x failed: not JSON" in str(e.value)
