import json

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import describe


def status(code, reason, message, **details):
    return json.dumps({"kind": "Status", "status": "Failure", "code": code, "reason": reason,
                       "message": message, "details": details})


def test_422_lists_each_field_cause_not_json():
    body = status(422, "Invalid", 'InferenceService.serving.kserve.io "x" is invalid: [spec.predictor: Required value]',
                  name="x", kind="InferenceService",
                  causes=[{"reason": "FieldValueRequired", "message": "Required value", "field": "spec.predictor"},
                          {"reason": "FieldValueInvalid", "message": "must be positive", "field": "spec.minReplicas"}])
    err = describe(422, body, "apply", res.INFERENCE_SERVICE, "ns", "x")
    text = str(err)
    assert "spec.predictor: Required value" in text
    assert "spec.minReplicas: must be positive" in text
    assert "{" not in text and err.status == 422


def test_403_names_verb_resource_and_namespace():
    body = status(403, "Forbidden", 'inferenceservices.serving.kserve.io "x" is forbidden: User "u" cannot patch')
    text = str(describe(403, body, "apply", res.INFERENCE_SERVICE, "ai-demo", "x"))
    assert "may not apply inferenceservices.serving.kserve.io in namespace ai-demo" in text


def test_404_without_object_details_means_missing_crd():
    body = status(404, "NotFound", "the server could not find the requested resource")
    text = str(describe(404, body, "get", res.MODEL_SERVER, "ns", "x"))
    assert "does not serve modelservers.intel.com" in text and "OpenVINO operator" in text


def test_apply_conflict_suggests_force_conflicts():
    body = status(409, "Conflict", 'Apply failed with 1 conflict: conflict with "other": .spec.minReplicas',
                  causes=[{"reason": "FieldManagerConflict", "message": 'conflict with "other"', "field": ".spec.minReplicas"}])
    text = str(describe(409, body, "apply", res.INFERENCE_SERVICE, "ns", "x"))
    assert "force_conflicts" in text and ".spec.minReplicas" in text


def test_non_json_body_is_kept_short():
    text = str(describe(500, b"<html>" + b"x" * 2000, "get", res.ROUTE, "ns", "r"))
    assert len(text) < 700


def test_403_with_causes_keeps_the_rbac_wording():
    body = status(403, "Forbidden", "admission denied", causes=[{"field": "spec.host", "message": "not allowed"}])
    text = str(describe(403, body, "apply", res.ROUTE, "ns", "r"))
    assert text.startswith("forbidden: the credentials in use may not apply routes.route.openshift.io in namespace ns")
