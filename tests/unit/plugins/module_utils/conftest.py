"""Builders for the objects readiness checks read (Deployments, ReplicaSets, pods), as the API server returns them."""

import base64
import copy
import gzip
import json
import types

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.view import View

NS = "ns"


def deployment(name, generation=2, observed=2, replicas=1, updated=None, available=None, total=None, revision="2",
               conditions=(), template_annotations=None):
    """A Deployment; by default every replica of the current template is updated and available."""
    return {
        "metadata": {"name": name, "namespace": NS, "uid": "uid-" + name, "generation": generation,
                     "resourceVersion": "10", "annotations": {"deployment.kubernetes.io/revision": revision}},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}, "annotations": dict(template_annotations or {})}}},
        "status": {"observedGeneration": observed, "replicas": replicas if total is None else total,
                   "updatedReplicas": replicas if updated is None else updated,
                   "availableReplicas": replicas if available is None else available,
                   "conditions": list(conditions)},
    }


def replicaset(dep, revision, template_hash):
    """The Deployment's ReplicaSet of `revision`: its current template at its current revision, an older one otherwise."""
    name = "%s-%s" % (dep["metadata"]["name"], template_hash)
    labels = dict(dep["spec"]["selector"]["matchLabels"], **{"pod-template-hash": template_hash})
    template = copy.deepcopy(dep["spec"]["template"])
    if revision != dep["metadata"]["annotations"]["deployment.kubernetes.io/revision"]:
        template["metadata"]["annotations"] = {"older": revision}
    template["metadata"]["labels"] = dict(labels)
    return {"metadata": {"name": name, "namespace": NS, "uid": "uid-" + name, "labels": labels,
                         "annotations": {"deployment.kubernetes.io/revision": revision},
                         "ownerReferences": [{"kind": "Deployment", "name": dep["metadata"]["name"],
                                              "uid": dep["metadata"]["uid"]}]},
            "spec": {"replicas": dep["spec"]["replicas"], "template": template}}


def container(name="main", waiting=None, message=None, last=None, terminated=None, image="registry.example/model:2"):
    """A container status: `waiting` reason (+ message), `terminated` state, `last` = lastState.terminated."""
    state = {"running": {}}
    if waiting:
        state = {"waiting": dict({"reason": waiting}, **({"message": message} if message else {}))}
    elif terminated:
        state = {"terminated": terminated}
    status = {"name": name, "image": image, "ready": not (waiting or terminated), "state": state}
    if last:
        status["lastState"] = {"terminated": last}
    return status


def pod(rs, suffix, containers=(), unschedulable=None, requests=None, deleting=False):
    name = "%s-%s" % (rs["metadata"]["name"], suffix)
    meta = {"name": name, "namespace": NS, "uid": "uid-" + name, "labels": dict(rs["metadata"]["labels"])}
    if deleting:
        meta["deletionTimestamp"] = "2026-11-25T14:00:00Z"
    status = {"phase": "Pending" if unschedulable else "Running", "containerStatuses": list(containers)}
    if unschedulable:
        status["conditions"] = [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                 "message": unschedulable}]
    spec = {"containers": [{"name": "main", "resources": {"limits": dict(requests or {})}}]}
    return {"metadata": meta, "spec": spec, "status": status}


def helm_record(release, version, status, config, compress=True):
    """A Helm release Secret as the API returns it: data is base64 of Helm's base64 of (gzipped) JSON."""
    body = json.dumps({"name": release, "version": version, "config": config, "info": {"status": status}}).encode()
    helm = base64.b64encode(gzip.compress(body) if compress else body)
    return {"metadata": {"name": "sh.helm.release.v1.%s.v%d" % (release, version), "namespace": NS,
                         "labels": {"owner": "helm", "name": release, "status": status, "version": str(version)}},
            "type": "helm.sh/release.v1", "data": {"release": base64.b64encode(helm).decode()}}


def node(name, **allocatable):
    return {"metadata": {"name": name}, "status": {"allocatable": allocatable}}


class NodeCluster(object):
    """Answers only the node list a rollout may ask for: `nodes`, or a K8sError when given one."""

    def __init__(self, nodes=()):
        self.nodes = nodes
        self.requests = []

    def request(self, method, resource, namespace=None, **kw):
        assert resource is res.NODE, "unexpected request for %s" % resource.kind
        self.requests.append((method, resource.kind))
        if isinstance(self.nodes, K8sError):
            raise self.nodes
        return {"items": list(self.nodes)}


def forbidden_nodes():
    return NodeCluster(K8sError("forbidden: may not list nodes", status=403))


def fill(view, rollout, dep, replicasets=(), pods=()):
    """Deliver a Deployment, then (when the rollout asks for them) its ReplicaSets and pods, as watches would."""
    view.replace(rollout.deployment, [dep] if dep is not None else [])
    rollout.sources(view)
    if rollout.replicasets is not None:
        view.replace(rollout.replicasets, list(replicasets))
        view.replace(rollout.pods, list(pods))
    return view


@pytest.fixture
def wl():
    return types.SimpleNamespace(NS=NS, deployment=deployment, replicaset=replicaset, container=container, pod=pod,
                                 helm_record=helm_record, node=node, NodeCluster=NodeCluster, forbidden_nodes=forbidden_nodes, fill=fill,
                                 View=View)
