"""TEST STAND-IN for the OpenVINO operator (a Helm-based operator).

The real operator's module is refused by the Go module proxy (403), so it
cannot be built here. This stand-in does what the operator does that our
module can observe, and nothing more:
- for each ModelServer it applies one Deployment and one Service named after
  the CR (the name itself when it contains "ovms", else "<name>-ovms", cut to
  63 characters), with gRPC and REST ports from spec.service_parameters;
- it sets the Helm operator's conditions: Initialized, then Deployed=True
  (reason InstallSuccessful or UpgradeSuccessful), or ReleaseFailed=True with
  the API server's message when the rendered objects are rejected;
- a finalizer uninstalls the release before the CR goes away.
The Deployment's readiness comes from the real controller-manager and kwok.
"""

import json

from kubernetes import client
from kubernetes.client.rest import ApiException

from standin_loop import now, parse_args, run

GROUP, VERSION, PLURAL = "intel.com", "v1alpha1", "modelservers"
FINALIZER = "helm.sdk.operatorframework.io/uninstall-release"
MANAGER = "openvino-operator-standin"


def service_name(name):
    full = name if "ovms" in name else name + "-ovms"
    return full[:63].rstrip("-")


def render(ms):
    meta, spec = ms["metadata"], ms["spec"]
    name = service_name(meta["name"])
    svc_params = spec.get("service_parameters") or {}
    grpc, rest = svc_params.get("grpc_port", 8080), svc_params.get("rest_port", 8081)
    models = spec.get("models_settings") or {}
    server = spec.get("server_settings") or {}
    deploy = spec.get("deployment_parameters") or {}
    labels = {"app": name, "release": meta["name"]}
    owner = [{"apiVersion": ms["apiVersion"], "kind": ms["kind"], "name": meta["name"], "uid": meta["uid"],
              "controller": True, "blockOwnerDeletion": True}]
    args = ["--port=%d" % grpc, "--rest_port=%d" % rest, "--log_level=%s" % server.get("log_level", "INFO")]
    if models.get("single_model_mode", True):
        args += ["--model_name=%s" % models.get("model_name", ""), "--model_path=%s" % models.get("model_path", "")]
    else:
        args += ["--config_path=%s" % models.get("config_path", "/config/config.json")]
    resources = deploy.get("resources") or {}
    container = {
        "name": "ovms", "image": spec["image_name"], "args": args,
        "ports": [{"name": "grpc", "containerPort": grpc}, {"name": "rest", "containerPort": rest}],
        "readinessProbe": {"httpGet": {"path": "/v2/health/ready", "port": rest}},
        "livenessProbe": {"httpGet": {"path": "/v2/health/live", "port": rest}},
        "resources": {k: {r: q for r, q in (resources.get(k) or {}).items() if r in ("cpu", "memory")}
                      for k in ("limits", "requests")},
    }
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": meta["namespace"], "labels": labels, "ownerReferences": owner},
        "spec": {"replicas": deploy.get("replicas", 1), "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}}},
    }
    service = {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": meta["namespace"], "labels": labels, "ownerReferences": owner},
        "spec": {"type": svc_params.get("service_type", "ClusterIP"), "selector": labels,
                 "ports": [{"name": "grpc", "port": grpc}, {"name": "rest", "port": rest}]},
    }
    return deployment, service


def api_message(exc):
    try:
        return json.loads(exc.body)["message"]
    except (TypeError, ValueError, KeyError):
        return exc.reason


def main():
    args, api = parse_args(__doc__)
    co = client.CustomObjectsApi(api)
    apps, core = client.AppsV1Api(api), client.CoreV1Api(api)

    def set_conditions(ms, conditions):
        old = {c["type"]: c for c in (ms.get("status") or {}).get("conditions") or []}
        merged = []
        for cond in conditions:
            prev = old.get(cond["type"])
            same = prev and all(prev.get(k) == v for k, v in cond.items())
            merged.append(prev if same else dict(cond, lastTransitionTime=now()))
        if [old.get(c["type"]) for c in conditions] == merged:
            return
        meta = ms["metadata"]
        co.patch_namespaced_custom_object_status(GROUP, VERSION, meta["namespace"], PLURAL, meta["name"],
                                                 {"status": {"conditions": merged}})

    def handle(event, ms, _cache):
        meta = ms["metadata"]
        ns, name = meta["namespace"], meta["name"]
        if event == "DELETED":
            return
        finalizers = meta.get("finalizers") or []
        if meta.get("deletionTimestamp"):
            if FINALIZER in finalizers:
                for delete in (apps.delete_namespaced_deployment, core.delete_namespaced_service):
                    try:
                        delete(service_name(name), ns)
                    except ApiException as e:
                        if e.status != 404:
                            raise
                co.patch_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, name, {"metadata": {
                    "finalizers": [f for f in finalizers if f != FINALIZER], "resourceVersion": meta["resourceVersion"]}})
            return
        if FINALIZER not in finalizers:
            co.patch_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, name, {"metadata": {
                "finalizers": finalizers + [FINALIZER], "resourceVersion": meta["resourceVersion"]}})
            return
        deployed = [c for c in (ms.get("status") or {}).get("conditions") or []
                    if c["type"] == "Deployed" and c["status"] == "True"]
        init = {"type": "Initialized", "status": "True"}
        try:
            deployment, service = render(ms)
            apply = dict(field_manager=MANAGER, force=True, _content_type="application/apply-patch+yaml")
            apps.patch_namespaced_deployment(deployment["metadata"]["name"], ns, deployment, **apply)
            core.patch_namespaced_service(service["metadata"]["name"], ns, service, **apply)
        except ApiException as e:
            set_conditions(ms, [init, {"type": "Deployed", "status": "False"},
                                {"type": "ReleaseFailed", "status": "True", "reason": "InstallError",
                                 "message": "failed to install release: %s" % api_message(e)}])
            return
        set_conditions(ms, [init, {"type": "Deployed", "status": "True",
                                   "reason": deployed[0]["reason"] if deployed else "InstallSuccessful",
                                   "message": "release %s deployed" % name},
                            {"type": "ReleaseFailed", "status": "False"}])

    run(api, GROUP, VERSION, PLURAL, handle)


if __name__ == "__main__":
    main()
