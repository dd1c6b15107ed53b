import copy

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.unchanged import apply_is_noop, holds, owns_exactly

# Applied by the inference_service module, as the API server returned it (managedFields from a real
# kube-apiserver 1.33 with the KServe CRD; KServe's webhook added model.name and its manager the rest).
DEFINITION = {
    "apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
    "metadata": {"name": "m", "namespace": "n", "labels": {"l": "v"}, "annotations": {"serving.edgeai.io/spec-hash": "h1"}},
    "spec": {"predictor": {"minReplicas": 1, "model": {
        "args": ["--x"], "env": [{"name": "A", "value": "1"}], "modelFormat": {"name": "openvino_ir"},
        "resources": {"limits": {"cpu": "1"}}, "storageUri": "oci://quay.io/test/resnet-modelcar:1"}}},
}
OURS = {
    "f:metadata": {"f:annotations": {"f:serving.edgeai.io/spec-hash": {}}, "f:labels": {"f:l": {}}},
    "f:spec": {"f:predictor": {"f:minReplicas": {}, "f:model": {
        "f:args": {}, "f:env": {'k:{"name":"A"}': {".": {}, "f:name": {}, "f:value": {}}},
        "f:modelFormat": {"f:name": {}}, "f:resources": {"f:limits": {"f:cpu": {}}}, "f:storageUri": {}}}},
}


def live(fields=None, manager="edgeai.serving", **changes):
    obj = copy.deepcopy(DEFINITION)
    obj["metadata"].update(uid="u", resourceVersion="7", generation=1, finalizers=["inferenceservice.finalizers"],
                           managedFields=[
                               {"manager": manager, "operation": "Apply", "apiVersion": "serving.kserve.io/v1beta1",
                                "fieldsType": "FieldsV1", "fieldsV1": fields or copy.deepcopy(OURS)},
                               {"manager": "manager", "operation": "Update", "apiVersion": "serving.kserve.io/v1beta1",
                                "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:finalizers": {}}}},
                               {"manager": "manager", "operation": "Update", "subresource": "status",
                                "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {}}}])
    obj["spec"]["predictor"]["model"]["name"] = ""
    obj["status"] = {"conditions": [{"type": "Ready", "status": "True"}]}
    for path, value in changes.items():
        parent = obj
        keys = path.split("__")
        for k in keys[:-1]:
            parent = parent[k]
        if value is None:
            del parent[keys[-1]]
        else:
            parent[keys[-1]] = value
    return obj


def test_the_same_definition_again_is_a_noop():
    assert apply_is_noop(live(), DEFINITION, "edgeai.serving")


def test_a_changed_value_is_not():
    d = copy.deepcopy(DEFINITION)
    d["spec"]["predictor"]["model"]["args"] = ["--y"]
    assert not apply_is_noop(live(), d, "edgeai.serving")


def test_a_field_left_out_is_not_it_would_be_removed():
    d = copy.deepcopy(DEFINITION)
    del d["spec"]["predictor"]["minReplicas"]
    assert not apply_is_noop(live(), d, "edgeai.serving")


def test_a_value_another_manager_changed_is_not():
    assert not apply_is_noop(live(spec__predictor__minReplicas=2), DEFINITION, "edgeai.serving")


def test_a_field_another_manager_took_over_is_not():
    fields = copy.deepcopy(OURS)
    del fields["f:metadata"]["f:labels"]
    assert not apply_is_noop(live(fields), DEFINITION, "edgeai.serving")


def test_another_field_manager_or_none_is_not():
    assert not apply_is_noop(live(manager="someone-else"), DEFINITION, "edgeai.serving")
    assert not apply_is_noop(None, DEFINITION, "edgeai.serving")


def test_another_api_version_is_not():
    d = dict(DEFINITION, apiVersion="serving.kserve.io/v1alpha1")
    assert not apply_is_noop(live(), d, "edgeai.serving")


def test_an_object_being_deleted_is_not():
    obj = live()
    obj["metadata"]["deletionTimestamp"] = "2026-12-06T00:00:00Z"
    assert not apply_is_noop(obj, DEFINITION, "edgeai.serving")


def test_a_keyed_list_item_added_or_renamed_is_not():
    d = copy.deepcopy(DEFINITION)
    d["spec"]["predictor"]["model"]["env"].append({"name": "B", "value": "2"})
    assert not apply_is_noop(live(), d, "edgeai.serving")
    d["spec"]["predictor"]["model"]["env"] = [{"name": "B", "value": "1"}]
    assert not apply_is_noop(live(), d, "edgeai.serving")


def test_values_compare_as_json_does():
    assert not holds(1, True) and not holds(True, 1) and holds(1, 1)
    assert holds({"a": 1, "b": 2}, {"a": 1}) and not holds({"a": 1}, {"a": 1, "b": None, "c": 3})
    assert holds({"a": 1}, {"b": None}) and not holds({"b": 1}, {"b": None})
    assert not holds([1, 2], [1]) and holds([{"a": 1, "x": 0}], [{"a": 1}])


def test_set_lists_and_atomic_lists_are_owned_as_the_server_records_them():
    assert owns_exactly({"f:x": {'v:"a"': {}, 'v:"b"': {}}}, {"x": ["b", "a"]})
    assert not owns_exactly({"f:x": {'v:"a"': {}}}, {"x": ["a", "b"]})
    assert owns_exactly({"f:x": {}}, {"x": ["a", "b"]})
    assert not owns_exactly({"f:x": {"f:y": {}}}, {"x": 1})


def test_a_field_sent_as_null_is_owned_as_the_server_records_it():
    # The module sends `labels: null` when the task sets none; kube-apiserver records f:labels for it.
    d = copy.deepcopy(DEFINITION)
    d["metadata"]["labels"] = None
    fields = copy.deepcopy(OURS)
    fields["f:metadata"]["f:labels"] = {}
    assert apply_is_noop(live(fields, metadata__labels=None), d, "edgeai.serving")
    assert not apply_is_noop(live(metadata__labels=None), d, "edgeai.serving")
