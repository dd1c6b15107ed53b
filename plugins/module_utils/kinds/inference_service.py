# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""InferenceService: options to spec, storage URI rules, readiness and result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import hashlib
import json

from ansible.module_utils.six import string_types

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import check_uri
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.definition import compact, definition_spec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.kind import KindSpec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import (
    FAILED, PENDING, READY, Check, StatusFreshness, Verdict, describe_condition, is_true)
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.rollout import Rollout

STORAGE_SCHEMES = ("s3", "gs", "pvc", "file", "http", "https", "hdfs", "webhdfs", "oci", "hf")
DEPLOYMENT_MODE_ANNOTATION = "serving.kserve.io/deploymentMode"
RESOURCE_SECTIONS = ("requests", "limits")
# KServe copies InferenceService annotations onto the predictor Deployment's pod template
# (components/predictor.go, buildObjectMeta), so this one, a hash of what we applied,
# shows on the Deployment once KServe has acted on our spec, and on its pods.
SPEC_HASH = "serving.edgeai.io/spec-hash"
# Replica counts reach the Deployment or its autoscaler, not the pod template: leaving them
# out of the hash spares a rollout when only they change.
UNHASHED_PREDICTOR_FIELDS = ("minReplicas", "maxReplicas", "scaleTarget", "scaleMetric")
# Both spellings: KServe 0.16 renamed the modes and still accepts the old names.
KNATIVE_MODES = ("Serverless", "Knative")
TERMINAL_TRANSITIONS = ("InvalidSpec", "BlockedByFailedLoad")


def check_storage_uri(uri, offline, field="storage_uri"):
    check_uri(uri, field)
    scheme, sep, rest = uri.partition("://")
    if not sep:
        raise InvalidInput(field, "%r has no scheme; use one of %s" % (uri, ", ".join(s + "://" for s in STORAGE_SCHEMES)))
    if scheme not in STORAGE_SCHEMES:
        raise InvalidInput(field, "scheme %r is not supported by KServe; use one of %s" % (scheme, ", ".join(STORAGE_SCHEMES)))
    if not rest.strip("/"):
        raise InvalidInput(field, "%r names no location after %s://" % (uri, scheme))
    if scheme == "oci":
        check_oci_reference(rest, offline, field)


def check_oci_reference(ref, offline, field):
    if "@" in ref:
        return
    last = ref.rsplit("/", 1)[-1]
    tag = last.rpartition(":")[2] if ":" in last else None
    if offline and tag in (None, "latest"):
        raise InvalidInput(field, "oci://%s uses %s; KServe then pulls with imagePullPolicy Always, which fails on "
                                  "an offline host: pin a tag or digest" % (ref, "the tag 'latest'" if tag else "no tag (latest)"))


def check_resources(resources, field="resources"):
    for section, quantities in (resources or {}).items():
        if section not in RESOURCE_SECTIONS:
            raise InvalidInput("%s.%s" % (field, section), "unknown section; use requests or limits")
        if not isinstance(quantities, dict):
            raise InvalidInput("%s.%s" % (field, section), "must be a mapping of resource name to quantity")
        for name, qty in quantities.items():
            if not isinstance(qty, (string_types, int)) or isinstance(qty, bool):
                raise InvalidInput("%s.%s.%s" % (field, section, name), "must be a quantity such as '1' or '2Gi'")
            if name.endswith("/gpu") and not str(qty).isdigit():
                raise InvalidInput("%s.%s.%s" % (field, section, name), "GPUs are whole devices; %r is not an integer" % qty)
    return dict((s, dict((k, str(v)) for k, v in q.items())) for s, q in (resources or {}).items())


def env_list(env):
    if isinstance(env, dict):
        return [{"name": k, "value": str(v)} for k, v in sorted(env.items())]
    for i, item in enumerate(env or []):
        if not isinstance(item, dict) or not item.get("name"):
            raise InvalidInput("env[%d]" % i, "must be a mapping with a name (and value or valueFrom)")
    return env


def build(params, cluster):
    predictor_base = definition_spec(params).get("predictor")
    if not params.get("model_format") and not predictor_base:
        raise InvalidInput("model_format", "is required unless definition gives spec.predictor")
    if params.get("storage_uri"):
        check_storage_uri(params["storage_uri"], params["offline"])
    lo, hi = params.get("min_replicas"), params.get("max_replicas")
    if lo is not None and hi is not None and hi and lo > hi:
        raise InvalidInput("min_replicas", "%d is more than max_replicas %d" % (lo, hi))
    model = {
        "modelFormat": {"name": params.get("model_format"), "version": params.get("model_format_version")},
        "runtime": params.get("runtime"),
        "storageUri": params.get("storage_uri"),
        "protocolVersion": params.get("protocol_version"),
        "args": params.get("args"),
        "env": env_list(params.get("env")),
        "resources": check_resources(params.get("resources")),
    }
    predictor = {"model": model, "minReplicas": lo, "maxReplicas": hi,
                 "serviceAccountName": params.get("service_account")}
    mode = params.get("deployment_mode")
    return compact({
        "metadata": {"annotations": {DEPLOYMENT_MODE_ANNOTATION: mode} if mode else None},
        "spec": {"predictor": predictor},
    })


def spec_hash(definition):
    """A short hash of what the pod template is made from: spec (less replica counts), labels, annotations."""
    body = copy.deepcopy(definition)
    meta = body.get("metadata") or {}
    body = {"spec": body.get("spec") or {}, "labels": meta.get("labels") or {},
            "annotations": dict((k, v) for k, v in (meta.get("annotations") or {}).items() if k != SPEC_HASH)}
    for field in UNHASHED_PREDICTOR_FIELDS:
        (body["spec"].get("predictor") or {}).pop(field, None)
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def stamp(definition):
    meta = definition.setdefault("metadata", {})
    meta["annotations"] = dict(meta.get("annotations") or {}, **{SPEC_HASH: spec_hash(definition)})
    return definition


def deployment_mode(isvc):
    return ((isvc["metadata"].get("annotations") or {}).get(DEPLOYMENT_MODE_ANNOTATION)
            or (isvc.get("status") or {}).get("deploymentMode"))


def failure_report(model):
    info = model.get("lastFailureInfo") or {}
    text = "%s: %s" % (model.get("transitionStatus"), info.get("reason") or "no reason given")
    if info.get("message"):
        text += ": %s" % info["message"]
    if info.get("exitCode"):
        text += " (exit code %s)" % info["exitCode"]
    return text


class InferenceServiceReady(Check):
    """KServe has rolled out the spec we applied and the model serves.

    Proof that KServe acted on our spec: the predictor Deployment's pod
    template carries our spec hash. Proof that it serves: that Deployment has
    every replica of the current template available (pods of older
    ReplicaSets count for nothing), at least minReplicas, and Ready=True.
    A failure ends the wait only when it is about this spec: InvalidSpec in a
    status KServe wrote after our apply, or the new ReplicaSet's pods failing.
    KServe's own BlockedByFailedLoad comes from whichever pod it lists first,
    possibly an old one, so the pods are read directly instead.
    """

    resource = res.INFERENCE_SERVICE
    description = "the predictor Deployment rolled out with this spec's hash, Ready=True"

    def __init__(self, namespace, name, applied, changed, field_manager):
        super(InferenceServiceReady, self).__init__(namespace, name)
        self.rollout = Rollout(namespace, name + "-predictor", changed)
        self.hash = ((applied or {}).get("metadata", {}).get("annotations") or {}).get(SPEC_HASH)
        self.fresh = StatusFreshness(applied, changed, field_manager)
        self.pod_selector = "app=isvc.%s-predictor" % name

    def sources(self, view):
        isvc = view.get(self.source)
        if isvc is None or deployment_mode(isvc) in KNATIVE_MODES:
            return [self.source]
        return [self.source] + self.rollout.sources(view)

    def evaluate(self, view, cluster):
        isvc = view.get(self.source)
        if isvc is None:
            return Verdict(FAILED, "%s was deleted while waiting" % self.target)
        model = (isvc.get("status") or {}).get("modelStatus") or {}
        fresh = self.fresh(isvc)
        if fresh and model.get("transitionStatus") == "InvalidSpec":
            return Verdict(FAILED, failure_report(model))
        conditions = "; ".join(describe_condition(isvc, t) for t in ("Ready", "PredictorReady", "IngressReady"))
        if deployment_mode(isvc) in KNATIVE_MODES:
            # No Deployment to carry the hash: Knative mode is judged by KServe's conditions, once
            # KServe has written status after our apply.
            if not fresh:
                return Verdict(PENDING, "KServe has not reported on this spec yet (%s, from before this apply)" % conditions)
            return Verdict(READY, "Ready=True") if is_true(isvc, "Ready") else Verdict(PENDING, conditions)
        dep = view.get(self.rollout.deployment)
        carried = (((dep or {}).get("spec") or {}).get("template") or {}).get("metadata", {}).get("annotations") or {}
        if carried.get(SPEC_HASH) != self.hash:
            why = "KServe has not acted on this spec yet: Deployment %s %s" % (
                self.rollout.name, "not seen yet" if dep is None else "carries spec hash %s, not %s" % (
                    carried.get(SPEC_HASH), self.hash))
            if model.get("transitionStatus") in TERMINAL_TRANSITIONS:
                why += "; KServe's last report%s: %s" % ("" if fresh else " (from before this apply)",
                                                         failure_report(model))
            return Verdict(PENDING, why)
        verdict = self.rollout.evaluate(view, cluster)
        if verdict.state != READY:
            return verdict
        if not is_true(isvc, "Ready"):
            return Verdict(PENDING, conditions)
        want = ((isvc.get("spec") or {}).get("predictor") or {}).get("minReplicas", 1)
        available = (dep.get("status") or {}).get("availableReplicas", 0)
        if available < want:
            return Verdict(PENDING, "Deployment %s: %d available, minReplicas is %d" % (self.rollout.name, available, want))
        return Verdict(READY, "Ready=True; %s with spec hash %s" % (verdict.message, self.hash))


def checks(params, applied, changed):
    return [InferenceServiceReady(params["namespace"], params["name"], applied, changed, params["field_manager"])]


def summarize(params, obj):
    status = obj.get("status") or {}
    return {
        "url": status.get("url"),
        "internal_url": (status.get("address") or {}).get("url"),
        "predictor_service": "%s-predictor" % params["name"],
    }


KIND = KindSpec(res.INFERENCE_SERVICE, build, checks, summarize=summarize, stamp=stamp)
