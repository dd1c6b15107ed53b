"""Builders for the objects readiness checks read (Deployments, ReplicaSets, pods), as the API server returns them."""

import base64
import copy
import gzip
import json
import threading
import time
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
    return {"metadata": {"name": name, "namespace": NS, "uid": "uid-" + name, "resourceVersion": "20", "labels": labels,
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
    meta = {"name": name, "namespace": NS, "uid": "uid-" + name, "resourceVersion": "30",
            "labels": dict(rs["metadata"]["labels"]),
            "ownerReferences": [{"kind": "ReplicaSet", "name": rs["metadata"]["name"], "uid": rs["metadata"]["uid"]}]}
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
    """Deliver a Deployment, then (when the rollout asks for them) its pods and the ReplicaSets it asks for by name
    (those of pods that show a failure), as watches would."""
    view.replace(rollout.deployment, [dep] if dep is not None else [])
    rollout.sources(view)
    if rollout.pods is not None:
        view.replace(rollout.pods, list(pods))
        offer(view, rollout, replicasets)
    return view


def offer(view, rollout, replicasets):
    """Deliver the ReplicaSets the rollout now asks for by name, as their watches would."""
    for source in rollout.sources(view)[2:]:
        if not view.synced(source):
            view.replace(source, [rs for rs in replicasets if rs["metadata"]["name"] == source.name])


def event(kind, body):
    return {"type": kind, "object": body}


def listing(rv, *items):
    return {"metadata": {"resourceVersion": str(rv)}, "items": list(items)}


def selector(query):
    return (query or {}).get("fieldSelector") or (query or {}).get("labelSelector")


class AfterListed(object):
    """A watch stream item: the stream goes on once `key` has been listed or watched from now (bounded, so a bug
    fails, not hangs)."""

    def __init__(self, key):
        self.key = key


class ScriptedCluster(object):
    """A stand-in API server, safe to call from the waiter's threads.

    `lists[(kind, selector)]` holds the answers to successive list requests and
    `watches[(kind, selector)]` the event streams of successive watches; an item
    that is an exception is raised instead. A watch with no resourceVersion
    takes the next list answer and first sends its items as ADDED events, as
    the API server does. A watch with no stream left stays quiet until the
    test ends. Every list and watch is recorded.
    """

    def __init__(self, lists=None, watches=None):
        self.lists = dict((k, list(v)) for k, v in (lists or {}).items())
        self.watches = dict((k, list(v)) for k, v in (watches or {}).items())
        self.listed, self.watched = [], []
        self.lock = threading.Lock()
        self.quiet = threading.Event()

    def request(self, method, resource, namespace=None, name=None, query=None, **kw):
        key = (resource.kind, selector(query))
        with self.lock:
            self.listed.append(key)
            answers = self.lists.get(key)
            answer = answers.pop(0) if answers else listing(1)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def watch(self, resource, namespace, query, timeout):
        key = (resource.kind, selector(query))
        rv = query.get("resourceVersion")
        with self.lock:
            self.watched.append(key + (rv or "",))
            streams = self.watches.get(key)
            stream = streams.pop(0) if streams else None
            answers = self.lists.get(key) if not rv else None
            existing = (answers.pop(0) if answers else listing(1)).get("items") or [] if not rv else []
        for obj in existing:
            yield {"type": "ADDED", "object": obj}
        if stream is None:
            self.quiet.wait(min(timeout, 0.05))
            return
        for item in stream:
            if isinstance(item, AfterListed):
                end = time.monotonic() + 5
                while not self.read(item.key) and time.monotonic() < end and not self.quiet.is_set():
                    self.quiet.wait(0.01)
            elif isinstance(item, Exception):
                raise item
            else:
                yield item

    def read(self, key):
        """Listed, or watched from now (which delivers the same objects)."""
        return self.count(self.listed, key) or self.count([c for c in self.watched if not c[2]], key)

    def count(self, calls, key):
        with self.lock:
            return sum(1 for c in calls if c[:2] == key)


@pytest.fixture
def scripted():
    made = []

    def make(**kw):
        made.append(ScriptedCluster(**kw))
        return made[-1]
    yield make
    for cluster in made:
        cluster.quiet.set()


@pytest.fixture
def wl():
    return types.SimpleNamespace(
        NS=NS, View=View, deployment=deployment, replicaset=replicaset, container=container, pod=pod, node=node,
        helm_record=helm_record, NodeCluster=NodeCluster, forbidden_nodes=forbidden_nodes, fill=fill, offer=offer,
        event=event, listing=listing, AfterListed=AfterListed)
