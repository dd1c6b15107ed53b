import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.job import (
    failure_reason, job_object, newest_pod, outcome, tail)

POD_SPEC = {"containers": [{"name": "vectoradd", "image": "cuda-sample"}]}


def test_job_object_has_no_retries_a_deadline_and_labelled_pods():
    job = job_object("smoke", "ns", POD_SPEC, {"app": "x"}, 120)
    assert job["metadata"] == {"name": "smoke", "namespace": "ns", "labels": {"app": "x"}}
    assert (job["spec"]["backoffLimit"], job["spec"]["activeDeadlineSeconds"]) == (0, 120)
    assert job["spec"]["template"]["metadata"]["labels"] == {"app": "x"}
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert "restartPolicy" not in POD_SPEC  # the caller's dict is not changed


@pytest.mark.parametrize("spec, field", [
    ({}, "pod_spec"),
    ({"containers": []}, "pod_spec"),
    (dict(POD_SPEC, restartPolicy="Always"), "pod_spec.restartPolicy"),
])
def test_bad_pod_spec_names_the_field(spec, field):
    with pytest.raises(InvalidInput) as e:
        job_object("smoke", "ns", spec, {}, 60)
    assert e.value.field == field


def test_outcome_reads_the_terminal_conditions_only():
    running = {"status": {"active": 1, "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}]}}
    complete = {"status": {"conditions": [{"type": "Complete", "status": "True"}]}}
    failed = {"status": {"conditions": [{"type": "Failed", "status": "True", "reason": "DeadlineExceeded",
                                         "message": "Job was active longer than specified deadline"}]}}
    assert outcome(running) is None and outcome(None) is None
    assert outcome(complete) == "Complete"
    assert outcome(failed) == "Failed"
    assert failure_reason(failed) == "DeadlineExceeded: Job was active longer than specified deadline"
    assert failure_reason(complete) is None


def test_newest_pod_by_creation_time():
    pods = [{"metadata": {"name": "b", "creationTimestamp": "2026-01-01T00:00:02Z"}},
            {"metadata": {"name": "a", "creationTimestamp": "2026-01-01T00:00:05Z"}}]
    assert newest_pod(pods)["metadata"]["name"] == "a"
    assert newest_pod([]) is None


def test_tail_keeps_the_last_lines():
    assert tail("".join("%d\n" % i for i in range(30)), 3) == "27\n28\n29"
