# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""InferenceService: options to spec, storage URI rules, readiness and result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six import string_types

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import compact, definition_spec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.module import KindSpec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import InferenceServiceReady

STORAGE_SCHEMES = ("s3", "gs", "pvc", "file", "http", "https", "hdfs", "webhdfs", "oci", "hf")
DEPLOYMENT_MODE_ANNOTATION = "serving.kserve.io/deploymentMode"
RESOURCE_SECTIONS = ("requests", "limits")


def check_storage_uri(uri, offline, field="storage_uri"):
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
    for field, value in (("min_replicas", lo), ("max_replicas", hi)):
        if value is not None and value < 0:
            raise InvalidInput(field, "must be 0 or more, got %d" % value)
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


def checks(params, fresh):
    return [InferenceServiceReady(params["namespace"], params["name"], fresh)]


def summarize(params, obj):
    status = obj.get("status") or {}
    return {
        "url": status.get("url"),
        "internal_url": (status.get("address") or {}).get("url"),
        "predictor_service": "%s-predictor" % params["name"],
    }


KIND = KindSpec(res.INFERENCE_SERVICE, build, checks, summarize=summarize)
