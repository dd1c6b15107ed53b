# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What "ready" and "failed" mean for each kind, as pure functions of objects.

Each check turns the object it watches into a Verdict. A failure that the
controller reports (a bad spec, a crashing container, a claimed host) is a
Verdict of its own, so the wait stops with the reason instead of timing out.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res

READY, PENDING, FAILED = "ready", "pending", "failed"
# A controller writes nothing when a change leaves its objects as they are;
# after this long without a write the other readiness checks decide alone.
RECONCILE_GRACE_SECONDS = 10


class Verdict(object):
    def __init__(self, state, message, recheck_after=None):
        self.state = state
        self.message = message
        self.recheck_after = recheck_after

    def __repr__(self):
        return "Verdict(%s, %r)" % (self.state, self.message)


def condition(obj, ctype):
    for cond in ((obj or {}).get("status") or {}).get("conditions") or []:
        if cond.get("type") == ctype:
            return cond
    return None


def describe_condition(obj, ctype):
    cond = condition(obj, ctype)
    if cond is None:
        return "%s not reported yet" % ctype
    extra = ": ".join(x for x in (cond.get("reason"), cond.get("message")) if x)
    return "%s=%s%s" % (ctype, cond.get("status"), " (%s)" % extra if extra else "")


def written_since(obj, since, ignore_manager):
    """Did anyone but us write the object at or after `since` (server time)?"""
    for entry in (obj or {}).get("metadata", {}).get("managedFields") or []:
        if entry.get("manager") != ignore_manager and (entry.get("time") or "") >= since:
            return True
    return False


class Check(object):
    """Watches one object; subclasses say what ready and failed mean."""

    resource = None
    description = None

    def __init__(self, namespace, name):
        self.namespace = namespace
        self.name = name

    @property
    def target(self):
        return "%s %s/%s" % (self.resource.kind, self.namespace, self.name)

    def evaluate(self, obj, cluster, elapsed):
        raise NotImplementedError

    def followups(self, obj):
        """Checks to run once this one is ready."""
        return []

    # Where to look for reasons when the wait times out.
    pod_selector = None


class Fresh(object):
    """Has the controller acted on the spec we applied at `applied_at`?"""

    def __init__(self, applied_at, field_manager):
        self.applied_at = applied_at
        self.field_manager = field_manager

    def pending(self, elapsed, *objs):
        if not self.applied_at or elapsed >= RECONCILE_GRACE_SECONDS:
            return None
        if any(written_since(o, self.applied_at, self.field_manager) for o in objs):
            return None
        return Verdict(PENDING, "waiting for the controller to act on the new spec",
                       recheck_after=RECONCILE_GRACE_SECONDS - elapsed)


def deployment_rollout(dep):
    """A Verdict for a Deployment: rolled out and available, or why not."""
    if dep is None:
        return Verdict(PENDING, "Deployment not created yet")
    spec, status, meta = dep.get("spec") or {}, dep.get("status") or {}, dep["metadata"]
    want = spec.get("replicas", 1)
    for ctype, bad in (("Progressing", "False"), ("ReplicaFailure", "True")):
        cond = condition(dep, ctype)
        if cond and cond.get("status") == bad:
            return Verdict(FAILED, "Deployment %s: %s" % (meta["name"], describe_condition(dep, ctype)))
    if status.get("observedGeneration", 0) < meta.get("generation", 0):
        return Verdict(PENDING, "Deployment %s: rollout of generation %s not observed yet" % (
            meta["name"], meta.get("generation")))
    updated, available = status.get("updatedReplicas", 0), status.get("availableReplicas", 0)
    if updated < want or available < want or status.get("replicas", 0) > want:
        return Verdict(PENDING, "Deployment %s: %d/%d updated, %d/%d available" % (
            meta["name"], updated, want, available, want))
    return Verdict(READY, "Deployment %s: %d/%d available" % (meta["name"], available, want))


class InferenceServiceReady(Check):
    resource = res.INFERENCE_SERVICE
    description = "Ready=True for the current spec, predictor rolled out"
    TERMINAL = ("InvalidSpec", "BlockedByFailedLoad")

    def __init__(self, namespace, name, fresh):
        super(InferenceServiceReady, self).__init__(namespace, name)
        self.fresh = fresh
        self.pod_selector = "serving.kserve.io/inferenceservice=%s" % name

    def evaluate(self, obj, cluster, elapsed):
        if obj is None:
            return Verdict(FAILED, "%s was deleted while waiting" % self.target)
        model = (obj.get("status") or {}).get("modelStatus") or {}
        transition = model.get("transitionStatus")
        if transition in self.TERMINAL:
            info = model.get("lastFailureInfo") or {}
            text = "%s: %s" % (transition, info.get("reason") or "no reason given")
            if info.get("message"):
                text += ": %s" % info["message"]
            if info.get("exitCode"):
                text += " (exit code %s)" % info["exitCode"]
            return Verdict(FAILED, text)
        predictor = condition(obj, "PredictorReady")
        if predictor and predictor.get("status") == "False" and predictor.get("reason") == "ProgressDeadlineExceeded":
            return Verdict(FAILED, describe_condition(obj, "PredictorReady"))
        ready = condition(obj, "Ready")
        if not ready or ready.get("status") != "True":
            return Verdict(PENDING, "; ".join(describe_condition(obj, t) for t in ("Ready", "PredictorReady", "IngressReady")))
        return self.fresh.pending(elapsed, obj) or Verdict(READY, "Ready=True")

    def followups(self, obj):
        # Ready can still describe the previous spec; the predictor's rollout cannot.
        if (obj.get("status") or {}).get("deploymentMode") == "Serverless":
            return []
        return [DeploymentAvailable(self.namespace, self.name + "-predictor", self.pod_selector)]


class ModelServerDeployed(Check):
    resource = res.MODEL_SERVER
    description = "Deployed=True (Helm release installed)"

    def __init__(self, namespace, name, fresh, deployment_name):
        super(ModelServerDeployed, self).__init__(namespace, name)
        self.fresh = fresh
        self.deployment_name = deployment_name

    def evaluate(self, obj, cluster, elapsed):
        if obj is None:
            return Verdict(FAILED, "%s was deleted while waiting" % self.target)
        for ctype in ("ReleaseFailed", "Irreconcilable"):
            cond = condition(obj, ctype)
            if cond and cond.get("status") == "True":
                return Verdict(FAILED, describe_condition(obj, ctype))
        deployed = condition(obj, "Deployed")
        if not deployed or deployed.get("status") != "True":
            return Verdict(PENDING, describe_condition(obj, "Deployed"))
        return self.fresh.pending(elapsed, obj) or Verdict(READY, describe_condition(obj, "Deployed"))

    def followups(self, obj):
        # Deployed=True only means the Helm release installed.
        return [DeploymentAvailable(self.namespace, self.deployment_name)]


class DeploymentAvailable(Check):
    resource = res.DEPLOYMENT
    description = "all replicas updated and available"

    def __init__(self, namespace, name, pod_selector=None):
        super(DeploymentAvailable, self).__init__(namespace, name)
        self.pod_selector = pod_selector

    def evaluate(self, obj, cluster, elapsed):
        if obj and not self.pod_selector:
            labels = ((obj.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
            self.pod_selector = ",".join("%s=%s" % kv for kv in sorted(labels.items())) or None
        return deployment_rollout(obj)


class RouteAdmitted(Check):
    resource = res.ROUTE
    description = "Admitted=True by every router"

    def evaluate(self, obj, cluster, elapsed):
        if obj is None:
            return Verdict(FAILED, "%s was deleted while waiting" % self.target)
        ingress = (obj.get("status") or {}).get("ingress") or []
        if not ingress:
            return Verdict(PENDING, "no router has admitted the route yet")
        for ing in ingress:
            cond = condition({"status": ing}, "Admitted") or {}
            if cond.get("status") == "False":
                return Verdict(FAILED, "router %s did not admit host %s: %s: %s" % (
                    ing.get("routerName"), ing.get("host"), cond.get("reason"), cond.get("message")))
            if cond.get("status") != "True":
                return Verdict(PENDING, "router %s has not admitted the route yet" % ing.get("routerName"))
        return Verdict(READY, "admitted as %s" % ", ".join(sorted(set(i.get("host") for i in ingress))))


class Gone(Check):
    description = "deleted, finalizers included"

    def __init__(self, resource, namespace, name):
        super(Gone, self).__init__(namespace, name)
        self.resource = resource

    def evaluate(self, obj, cluster, elapsed):
        if obj is None:
            return Verdict(READY, "deleted")
        finalizers = obj["metadata"].get("finalizers") or []
        return Verdict(PENDING, "still present%s" % (" (finalizers: %s)" % ", ".join(finalizers) if finalizers else ""))
