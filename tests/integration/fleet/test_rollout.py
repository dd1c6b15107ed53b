"""playbooks/rollout_model.yml on three edge hosts: batches, the inference gate, rollback and the report."""

from conftest import CRASHLOOP, HOSTS, classify, isvc


def versions(fleet):
    return dict((h, isvc(fleet.kube, ns)["spec"]["predictor"]["model"]["storageUri"].rsplit(":", 1)[1])
                for h, ns in fleet.namespaces.items())


def resource_versions(fleet):
    return dict((h, isvc(fleet.kube, ns)["metadata"]["resourceVersion"]) for h, ns in fleet.namespaces.items())


def assert_printed(out, report):
    """The report's table is on the console, one row per host."""
    assert "# Rollout of " in out, out[-3000:]
    for row in report["hosts"]:
        assert "| %s | %s | %s | %s |" % (row["host"], row["previous"], row["target"], row["outcome"]) in out, out[-3000:]


def test_good_version_rolls_across_the_fleet_then_rerun_is_at_target(fleet):
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
    for host in HOSTS:
        assert "%s : ok=" % host in " ".join(out.split()) and " changed=0 " in out.split("PLAY RECAP")[1].split(host)[1]
    assert resource_versions(fleet) == before
