# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenVINO operator ModelServer: options to spec, naming rule, readiness and endpoints."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import INT32_MAX
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.definition import compact, definition_spec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.kind import KindSpec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import (
    FAILED, PENDING, READY, Check, StatusFreshness, Verdict, describe_condition, is_true)
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.rollout import Rollout
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.view import Source
from ansible_collections.edgeai.serving.plugins.module_utils.kinds import helm_release

SECRET_FIELDS = ("aws_secret_access_key", "aws_access_key_id", "azure_storage_connection_string")
OPTION_GROUPS = ("deployment_parameters", "service_parameters", "models_settings", "server_settings",
                 "models_repository", "monitoring")
# Helm's limit for a release name; the operator names the release after the ModelServer.
RELEASE_NAME_MAX = 53
# Bounds beyond the default 0..int32 max.
BOUNDS = {"service_parameters.grpc_port": (1, 65535), "service_parameters.rest_port": (1, 65535),
          "server_settings.grpc_workers": (1, INT32_MAX)}


def service_name(name, spec=None):
    """The chart's `ovms.fullname` (helm-charts/ovms/templates/_helpers.tpl), which names the Deployment and Service."""
    spec = spec or {}
    if spec.get("fullnameOverride"):
        full = spec["fullnameOverride"]
    else:
        chart = spec.get("nameOverride") or "ovms"
        full = name if chart in name else "%s-%s" % (name, chart)
    full = full[:63]
    return full[:-1] if full.endswith("-") else full


def check_name(name):
    if len(name) > RELEASE_NAME_MAX:
        raise InvalidInput("name", "%r is %d characters long; the operator's Helm release name limit is %d"
                           % (name, len(name), RELEASE_NAME_MAX))
    if not name[0].isalpha():
        raise InvalidInput("name", "%r must start with a letter: the operator names a Service after it" % name)


def check_resources(resources):
    for section, values in (resources or {}).items():
        quantity = (values or {}).get("xpu_device_quantity")
        if quantity is not None and not (quantity.isdigit() and int(quantity) > 0):
            raise InvalidInput("deployment_parameters.resources.%s.xpu_device_quantity" % section,
                               "%r is not a whole number of devices" % quantity)


def build(params, cluster):
    check_name(params["name"])
    base = definition_spec(params)
    if not params.get("image_name") and not base.get("image_name"):
        raise InvalidInput("image_name", "is required unless definition gives spec.image_name")
    svc = params["service_parameters"]
    if svc["grpc_port"] == svc["rest_port"]:
        raise InvalidInput("service_parameters.rest_port", "must differ from grpc_port (%d)" % svc["grpc_port"])
    check_resources((params.get("deployment_parameters") or {}).get("resources"))
    models = params["models_settings"]
    base_models = base.get("models_settings") or {}
    if models["single_model_mode"]:
        for field in ("model_name", "model_path"):
            if not models.get(field) and not base_models.get(field):
                raise InvalidInput("models_settings.%s" % field, "is required in single_model_mode")
    elif not (models.get("config_configmap_name") or base_models.get("config_configmap_name")):
        raise InvalidInput("models_settings.config_configmap_name", "is required when single_model_mode is false")
    spec = {"image_name": params.get("image_name")}
    for group in OPTION_GROUPS:
        spec[group] = params.get(group)
    return compact({"spec": spec})


class ModelServerReady(Check):
    """The OpenVINO operator has deployed this spec and the model server rolled out.

    The operator is Helm-based: it upgrades the release when the CR's spec
    differs from the values of the deployed release, and does nothing when
    they are equal. So the deployed release record holding our spec as its
    values proves the operator acted on it, whether or not anything changed.
    Deployed=True only means Helm installed the objects, so the Deployment's
    current pods must be available too. ReleaseFailed and Irreconcilable
    count when written after our apply (the operator removes ReleaseFailed
    on success).
    """

    resource = res.MODEL_SERVER
    description = "the operator deployed this spec (Helm release values), Deployment rolled out"

    def __init__(self, namespace, name, applied, changed, field_manager):
        super(ModelServerReady, self).__init__(namespace, name)
        self.releases = Source(res.SECRET, namespace, selector=helm_release.selector(name), from_now=changed)
        self.rollout = Rollout(namespace, service_name(name, (applied or {}).get("spec") or {}), changed)
        self.spec = (applied or {}).get("spec")
        self.fresh = StatusFreshness(applied, changed, field_manager)
        self.pod_selector = "release=%s" % name

    def sources(self, view):
        return [self.source, self.releases] + self.rollout.sources(view)

    def evaluate(self, view, cluster):
        ms = view.get(self.source)
        if ms is None:
            return Verdict(FAILED, "%s was deleted while waiting" % self.target)
        fresh = self.fresh(ms)
        for ctype in ("ReleaseFailed", "Irreconcilable"):
            if is_true(ms, ctype):
                if fresh:
                    return Verdict(FAILED, describe_condition(ms, ctype))
        release = helm_release.deployed(view.items(self.releases))
        if release is None or release.get("config") != self.spec:
            stale = [describe_condition(ms, t) for t in ("ReleaseFailed", "Irreconcilable") if is_true(ms, t)]
            return Verdict(PENDING, "the operator has not deployed this spec yet (%s)%s" % (
                "no deployed release" if release is None else "deployed release %s has other values" % release.get("version"),
                "; its last report, from before this apply: %s" % "; ".join(stale) if stale else ""))
        if not is_true(ms, "Deployed"):
            return Verdict(PENDING, describe_condition(ms, "Deployed"))
        verdict = self.rollout.evaluate(view, cluster)
        if verdict.state != READY:
            return verdict
        return Verdict(READY, "release %s deployed; %s" % (release.get("version"), verdict.message))


def checks(params, applied, changed):
    return [ModelServerReady(params["namespace"], params["name"], applied, changed, params["field_manager"])]


def summarize(params, obj):
    spec = obj.get("spec") or {}
    svc = spec.get("service_parameters") or {}
    name = service_name(params["name"], spec)
    host = "%s.%s.svc.cluster.local" % (name, params["namespace"])
    return {
        "service_name": name,
        "rest_endpoint": "http://%s:%s" % (host, svc.get("rest_port", 8081)),
        "grpc_endpoint": "%s:%s" % (host, svc.get("grpc_port", 8080)),
    }


KIND = KindSpec(res.MODEL_SERVER, build, checks,
                secret_paths=[("models_repository", f) for f in SECRET_FIELDS], summarize=summarize, bounds=BOUNDS,
                uri_fields=["models_repository.%s" % f for f in ("s3_compat_api_endpoint", "http_proxy", "https_proxy")])
