"""Failing test for a latent bug in k8s/wait.py (left out of the commit until fixed)."""

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import READY, Check, Verdict
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.view import Source
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import Waiter, WaitFailed


class Exists(Check):
    resource = res.INFERENCE_SERVICE
    description = "exists"

    def __init__(self):
        super(Exists, self).__init__("ns", "x")
        self.source = Source(self.resource, "ns", "x")

    def sources(self, view):
        return [self.source]

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
