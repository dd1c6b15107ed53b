# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenVINO operator ModelServer: options to spec, naming rule, readiness and endpoints."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import compact, definition_spec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.module import KindSpec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import ModelServerDeployed

SECRET_FIELDS = ("aws_secret_access_key", "aws_access_key_id", "azure_storage_connection_string")
OPTION_GROUPS = ("deployment_parameters", "service_parameters", "models_settings", "server_settings",
                 "models_repository", "monitoring")


def service_name(name):
    """The operator's Helm naming rule for the Deployment and Service."""
    full = name if "ovms" in name else name + "-ovms"
    return full[:63].rstrip("-")


def build(params, cluster):
    base = definition_spec(params)
    if not params.get("image_name") and not base.get("image_name"):
        raise InvalidInput("image_name", "is required unless definition gives spec.image_name")
    svc = params["service_parameters"]
    for field in ("grpc_port", "rest_port"):
        if not 1 <= svc[field] <= 65535:
            raise InvalidInput("service_parameters.%s" % field, "%d is not a TCP port" % svc[field])
    if svc["grpc_port"] == svc["rest_port"]:
        raise InvalidInput("service_parameters.rest_port", "must differ from grpc_port (%d)" % svc["grpc_port"])
    deploy = params.get("deployment_parameters") or {}
    if deploy.get("replicas") is not None and deploy["replicas"] < 0:
        raise InvalidInput("deployment_parameters.replicas", "must be 0 or more")
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


def checks(params, fresh):
    return [ModelServerDeployed(params["namespace"], params["name"], fresh, service_name(params["name"]))]


def summarize(params, obj):
    svc = (obj.get("spec") or {}).get("service_parameters") or {}
    host = "%s.%s.svc.cluster.local" % (service_name(params["name"]), params["namespace"])
    return {
        "service_name": service_name(params["name"]),
        "rest_endpoint": "http://%s:%s" % (host, svc.get("rest_port", 8081)),
        "grpc_endpoint": "%s:%s" % (host, svc.get("grpc_port", 8080)),
    }


KIND = KindSpec(res.MODEL_SERVER, build, checks,
                secret_paths=[("models_repository", f) for f in SECRET_FIELDS], summarize=summarize)
