"""playbooks/rollout_model.yml on three edge hosts: batches, the inference gate, rollback and the report."""

import re

from fleet_support import CRASHLOOP, HOSTS, classify, isvc


def versions(fleet):
    return dict((h, isvc(fleet.kube, ns)["spec"]["predictor"]["model"]["storageUri"].rsplit(":", 1)[1])
                for h, ns in fleet.namespaces.items())


def resource_versions(fleet):
    return dict((h, isvc(fleet.kube, ns)["metadata"]["resourceVersion"]) for h, ns in fleet.namespaces.items())


def assert_printed(out, report):
    """The report's table is on the console, one row per host."""
    assert "# Rollout of " in out, out[-3000:]
    for row in report["hosts"]:
        cells = (row["host"], row["namespace"], row["previous"], row["target"], row["outcome"])
        assert "| %s | %s | %s | %s | %s |" % cells in out, out[-3000:]


def test_good_version_rolls_across_the_fleet_then_rerun_is_at_target(fleet):
    untouched = resource_versions(fleet)
    rc, out, report = fleet.rollout(fleet.extra_vars("2"), check=True)
    assert rc == 0, out[-4000:]
    assert_printed(out, report)
    assert [(r["outcome"], r["steps"][1]["state"]) for r in report["hosts"]] == [("would update", "dry-run")] * 3
    assert resource_versions(fleet) == untouched

    rc, out, report = fleet.rollout(fleet.extra_vars("2"))
    assert rc == 0, out[-4000:]
    assert_printed(out, report)
    rows = fleet.rows(report)
    for host in HOSTS:
        row = rows[host]
        assert (row["outcome"], row["previous"], row["target"], row["class"]) == (
            "updated", "color-modelcar:1", "color-modelcar:2", "red"), row
        assert 0 < float(row["p95_ms"]) <= 400 and float(row["seconds_to_ready"]) >= 0, row
        assert [(s["step"], s["state"]) for s in row["steps"]] == [
            ("runtime", "ok"), ("InferenceService", "ready"), ("Route", "admitted"), ("answer", "ok"),
            ("rollback", "not needed")], row
    assert versions(fleet) == dict((h, "2") for h in HOSTS)

    before = resource_versions(fleet)
    rc, out, report = fleet.rollout(fleet.extra_vars("2"))
    assert rc == 0, out[-4000:]
    assert_printed(out, report)
    assert [r["outcome"] for r in report["hosts"]] == ["already at target"] * 3, report
    recap = out.split("PLAY RECAP")[1]
    for host in HOSTS:
        assert re.search(r"^%s\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0\s" % host, recap, re.M), recap
    assert resource_versions(fleet) == before


def assert_canary_rolled_back(fleet, extra, reason):
    before = resource_versions(fleet)
    rc, out, report = fleet.rollout(extra)
    assert rc != 0, out[-4000:]
    assert_printed(out, report)
    rows = fleet.rows(report)
    canary = rows["edge1"]
    assert canary["outcome"] == "rolled back" and canary["previous"] == "color-modelcar:1", (canary, [r["reason"] for r in report["hosts"]])
    assert reason in canary["reason"], canary
    assert canary["steps"][-1] == {"step": "rollback", "state": "restored, answer checked", "detail": ""}, canary
    assert [rows[h]["outcome"] for h in ("edge2", "edge3")] == ["not reached", "not reached"], rows
    # The canary serves version 1 again, and the later batches were never touched.
    assert versions(fleet)["edge1"] == "1"
    assert classify(fleet.standins["edge1"]["url"], fleet.image) == "red"
    after = resource_versions(fleet)
    assert (after["edge2"], after["edge3"]) == (before["edge2"], before["edge3"])
    return canary


def test_wrong_answer_fails_the_gate_and_the_canary_is_rolled_back(fleet):
    canary = assert_canary_rolled_back(fleet, fleet.extra_vars("3"), "expected class 'red'")
    assert canary["class"] == "green"
    assert ("answer", "failed") in [(s["step"], s["state"]) for s in canary["steps"]]


def test_too_slow_version_is_rolled_back(fleet):
    canary = assert_canary_rolled_back(fleet, fleet.extra_vars("4"), "above the objective of 400")
    assert float(canary["p95_ms"]) > 400, canary


def test_version_that_never_gets_ready_is_rolled_back_after_a_fast_failed_wait(fleet):
    canary = assert_canary_rolled_back(fleet, fleet.extra_vars("5", model_rollout_definition=CRASHLOOP),
                                       "cannot load model version 5")
    assert "CrashLoopBackOff" in canary["reason"] and "timed out" not in canary["reason"], canary
    assert canary["seconds_to_ready"] is None and canary["steps"][1]["state"] == "failed", canary
    # The crash-looping pods' labels went with the rest of the bad version.
    assert "labels" not in isvc(fleet.kube, fleet.namespaces["edge1"])["spec"]["predictor"]


def test_unreachable_host_is_reported_and_the_report_still_written(fleet):
    rc, out, report = fleet.rollout(fleet.extra_vars("2", model_rollout_batches=[1, "100%"],
                                                     model_rollout_max_fail_percentage=50), unreachable=True)
    assert rc != 0, out[-4000:]
    assert_printed(out, report)
    rows = fleet.rows(report)
    assert rows["edge4"]["outcome"] == "unreachable" and "Connection refused" in rows["edge4"]["reason"], rows
    assert [rows[h]["outcome"] for h in HOSTS] == ["updated"] * 3, [(h, r["outcome"], r["reason"]) for h, r in rows.items()]
    assert versions(fleet) == dict((h, "2") for h in HOSTS)


def test_unreachable_canary_alone_in_its_batch_still_gets_the_report(fleet):
    before = resource_versions(fleet)
    rc, out, report = fleet.rollout(fleet.extra_vars("2"), unreachable="first")
    assert rc != 0, out[-4000:]
    assert_printed(out, report)
    assert [(r["host"], r["outcome"]) for r in report["hosts"]] == [
        ("edge4", "unreachable"), ("edge1", "not reached"), ("edge2", "not reached"), ("edge3", "not reached")], report
    assert resource_versions(fleet) == before


def test_bad_inputs_fail_before_any_host_is_touched(fleet):
    before = resource_versions(fleet)
    cases = [
        ({"model_rollout_storage_uri": None}, "model_rollout_storage_uri"),
        ({"model_rollout_storage_uri": "oci://quay.io/edgeai/color-modelcar:latest"}, "uses the tag latest"),
        ({"model_rollout_gate_p95_ms": 0}, "model_rollout_gate_p95_ms > 0 (got 0)"),
        ({"model_rollout_batches": []}, "model_rollout_batches: [] must be a non-empty list"),
    ]
    for override, message in cases:
        extra = dict((k, v) for k, v in dict(fleet.extra_vars("2"), **override).items() if v is not None)
        rc, out, report = fleet.rollout(extra)
        assert rc != 0 and message in out, (override, out[-3000:])
        assert "PLAY [Roll the model out, batch by batch]" not in out, out[-3000:]
        assert report is None
    assert resource_versions(fleet) == before
