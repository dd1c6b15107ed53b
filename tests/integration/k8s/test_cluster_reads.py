"""k8s_info and job_run against the local control plane: the roles' one Kubernetes client.

The Job's pod is completed by kwok's stages, and its log (the vectorAdd sample's output, served
by kwok from tests/controlplane/kwok-logs) is read through kube-apiserver's pods/log.
"""

JOB_POD = {"containers": [{"name": "vectoradd", "image": "nvcr.io/nvidia/k8s/cuda-sample:vectoradd-cuda12.5.0-ubi8",
                           "resources": {"limits": {"nvidia.com/gpu": 1}}}]}


def test_k8s_info_reads_nodes_by_name_and_by_selector(module):
    gpu = module("k8s_info", {"kind": "Node", "name": "kwok-gpu-0"})
    assert not gpu.get("failed"), gpu
    assert [n["metadata"]["name"] for n in gpu["resources"]] == ["kwok-gpu-0"]
    assert gpu["resources"][0]["status"]["capacity"]["nvidia.com/gpu"] == "1"
    listed = module("k8s_info", {"kind": "Node", "label_selectors": ["type=kwok"],
                                 "field_selectors": ["metadata.name=kwok-cpu-0"]})
    assert [(n["kind"], n["metadata"]["name"]) for n in listed["resources"]] == [("Node", "kwok-cpu-0")]
    assert module("k8s_info", {"kind": "Node", "name": "no-such-node"})["resources"] == []


def test_k8s_info_unknown_kind_names_the_field(module):
    result = module("k8s_info", {"kind": "Nodes"})
    assert result["failed"]
    assert result["msg"].startswith("invalid input: kind: the cluster serves no kind Nodes in v1; it serves: ")


def test_job_run_returns_the_log_read_through_the_api_server_and_leaves_nothing(module, namespace):
    result = module("job_run", {"name": "vectoradd", "namespace": namespace, "pod_spec": JOB_POD, "timeout": 120})
    assert not result.get("failed"), result
    assert result["succeeded"] and not result["changed"]
    assert "Test PASSED" in result["log"]
    # the only node with a GPU
    assert result["node"] == "kwok-gpu-0"
    assert result["pod"].startswith("vectoradd-")
    jobs = module("k8s_info", {"kind": "Job", "api_version": "batch/v1", "namespace": namespace})
    assert jobs["resources"] == []


def test_job_run_check_mode_creates_nothing(module, namespace):
    result = module("job_run", {"name": "vectoradd", "namespace": namespace, "pod_spec": JOB_POD}, check=True)
    assert not result.get("failed"), result
    assert result["skipped_run"] and "log" not in result
    assert module("k8s_info", {"kind": "Job", "api_version": "batch/v1", "namespace": namespace})["resources"] == []


def test_job_run_failure_reports_the_reason(module, namespace):
    # No node has 8 GPUs: the pod stays Pending until the Job's deadline.
    pod = {"containers": [dict(JOB_POD["containers"][0], resources={"limits": {"nvidia.com/gpu": 8}})]}
    result = module("job_run", {"name": "too-big", "namespace": namespace, "pod_spec": pod, "timeout": 5})
    assert result["failed"]
    assert "the Job %s/too-big failed (DeadlineExceeded: " % namespace in result["msg"]


def test_job_run_bad_pod_spec_names_the_field_before_anything_is_sent(module, namespace):
    result = module("job_run", {"name": "bad", "namespace": namespace, "pod_spec": {"containers": []}})
    assert result["failed"]
    assert result["msg"] == "invalid input: pod_spec: needs a non-empty containers list"
    assert module("k8s_info", {"kind": "Job", "api_version": "batch/v1", "namespace": namespace})["resources"] == []
