"""Failing tests for bugs found in k8s/rollout.py (left out of the commit until fixed)."""

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import FAILED, PENDING
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.rollout import Rollout

GPU_MESSAGE = "0/1 nodes are available: 1 Insufficient nvidia.com/gpu."


def test_scaling_event_with_a_template_change_does_not_blame_the_old_pods(wl):
    """Replicas and template changed in one update (e.g. a crash fix plus minReplicas 1 -> 2).

    The Deployment controller takes it as a scaling event first: `sync` scales the old
    ReplicaSet and writes status with observedGeneration = generation, before any
    ReplicaSet exists for the new template; the Deployment's revision annotation still
    names the old revision. The old ReplicaSet's crash-looping pods are then judged as
    the new spec's.
    """
    dep = wl.deployment("d", generation=5, observed=5, replicas=2, updated=0, available=0, total=2, revision="1",
                        template_annotations={"version": "fixed"})
    old = wl.replicaset(dep, "1", "old")
    old["spec"]["template"]["metadata"]["annotations"] = {"version": "crashing"}
    crash = wl.container(waiting="CrashLoopBackOff", last={"exitCode": 1, "reason": "Error", "message": "old bug"})
    rollout = Rollout(wl.NS, "d")
    view = wl.fill(wl.View(), rollout, dep, [old], [wl.pod(old, "a", containers=[crash])])
    v = rollout.evaluate(view, wl.NodeCluster())
    assert v.state == PENDING, v


def test_a_lost_connection_while_listing_nodes_is_not_taken_for_a_403(wl):
    """A retryable error (API server restarting) disables the never-fits verdict for the rest of the wait."""
    lost = wl.NodeCluster(K8sError("cannot reach the API server", retryable=True))
    rollout = Rollout(wl.NS, "d")
    dep = wl.deployment("d", updated=1, available=0, total=1)
    new = wl.replicaset(dep, "2", "new")
    pods = [wl.pod(new, "a", unschedulable=GPU_MESSAGE, requests={"nvidia.com/gpu": "2"})]
    view = wl.fill(wl.View(), rollout, dep, [new], pods)
    assert rollout.evaluate(view, lost).state == PENDING
    back = wl.NodeCluster([wl.node("gpu", **{"nvidia.com/gpu": "1"})])
    v = rollout.evaluate(view, back)
    assert v.state == FAILED, v
