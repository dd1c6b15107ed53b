"""Secrets reach the cluster but never the module's result, diff or warnings."""

import json
import os

from kubernetes import client

REDACTED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def read(path):
    with open(path) as f:
        return f.read()


def test_route_tls_key_hidden_in_result_and_diff(api, namespace, module, cluster):
    cert, key = read(os.path.join(cluster["certs"], "webhook.crt")), read(os.path.join(cluster["certs"], "webhook.key"))
    args = dict(name="secure", namespace=namespace, service="svc", target_port=8080, hostname="secure.apps.edge.test",
                tls=dict(certificate=cert, key=key))
    out = module("route", args, diff=True)
    assert not out["failed"], out.get("msg")
    assert out["diff"]["after"]["spec"]["tls"]["key"] == REDACTED
    assert out["result"]["spec"]["tls"]["key"] == REDACTED
    assert "PRIVATE KEY" not in json.dumps(out)
    live = client.CustomObjectsApi(api).get_namespaced_custom_object("route.openshift.io", "v1", namespace, "routes",
                                                                     "secure")
    assert live["spec"]["tls"]["key"] == key


def test_model_server_credentials_hidden(api, namespace, module):
    args = dict(name="s3", namespace=namespace, image_name="quay.io/t/ovms:1",
                models_settings=dict(model_name="m", model_path="s3://bucket/m"),
                models_repository=dict(storage_type="S3", aws_access_key_id="AKIAEXAMPLE",
                                       aws_secret_access_key="s3cr3t-value-42"))
    out = module("model_server", args, diff=True)
    assert not out["failed"], out.get("msg")
    text = json.dumps(out)
    assert "s3cr3t-value-42" not in text and "AKIAEXAMPLE" not in text
    assert out["diff"]["after"]["spec"]["models_repository"]["aws_secret_access_key"] == REDACTED
    live = client.CustomObjectsApi(api).get_namespaced_custom_object("intel.com", "v1alpha1", namespace, "modelservers", "s3")
    assert live["spec"]["models_repository"]["aws_secret_access_key"] == "s3cr3t-value-42"
