"""Failing test for a bug found in kinds/inference_service.py (left out of the commit until fixed)."""

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import PENDING
from ansible_collections.edgeai.serving.plugins.module_utils.kinds import inference_service as isvc

READY_TRUE = [{"type": "Ready", "status": "True"}, {"type": "PredictorReady", "status": "True"},
              {"type": "IngressReady", "status": "True"}]


def test_knative_ready_left_from_the_previous_spec_is_not_ready(wl):
    """Issue 8 item 3 in Knative mode: right after a changed apply, the status our apply got back
    (Ready=True for the previous spec) ends the wait at 0 s."""
    applied = {"metadata": {"name": "m", "namespace": "ns", "managedFields": [],
                            "annotations": {isvc.DEPLOYMENT_MODE_ANNOTATION: "Knative", isvc.SPEC_HASH: "new"}},
               "spec": {"predictor": {}},
               "status": {"deploymentMode": "Knative", "conditions": READY_TRUE,
                          "modelStatus": {"transitionStatus": "UpToDate"}}}
    check = isvc.checks({"namespace": "ns", "name": "m", "field_manager": "edgeai.serving"}, applied, True)[0]
    view = wl.View()
    view.replace(check.source, [applied])
    v = check.evaluate(view, None)
    assert v.state == PENDING, v
