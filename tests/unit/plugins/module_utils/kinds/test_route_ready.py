from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import FAILED, PENDING, READY
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.view import View
from ansible_collections.edgeai.serving.plugins.module_utils.kinds import route

MANAGER = "edgeai.serving"
CLAIMED = {"type": "Admitted", "status": "False", "reason": "HostAlreadyClaimed",
           "message": "route rival already exposes new.apps.example.com and is older"}
ADMITTED = {"type": "Admitted", "status": "True"}


def ingress(host, cond, router="default"):
    return {"host": host, "routerName": router, "conditions": [cond]}


def obj(host="new.apps.example.com", *entries):
    return {"metadata": {"name": "r", "namespace": "ns", "managedFields": []}, "spec": {"host": host},
            "status": {"ingress": list(entries)}}


def judge(applied, current, changed=True):
    check = route.checks({"namespace": "ns", "name": "r", "field_manager": MANAGER}, applied, changed)[0]
    view = View()
    (source,) = check.sources(view)
    view.replace(source, [current] if current is not None else [])
    return check.evaluate(view, None)


def test_status_for_the_old_host_proves_nothing_after_a_host_change():
    before_host_change = obj("new.apps.example.com", ingress("old.apps.example.com", ADMITTED))
    v = judge(before_host_change, before_host_change)
    assert v.state == PENDING
    assert v.message == "no router has admitted host new.apps.example.com yet (status still names old.apps.example.com)"


def test_admitted_for_the_current_host_is_ready():
    applied = obj("new.apps.example.com", ingress("old.apps.example.com", ADMITTED))
    v = judge(applied, obj("new.apps.example.com", ingress("new.apps.example.com", ADMITTED)))
    assert v.state == READY and v.message == "admitted as new.apps.example.com"


def test_no_status_yet_and_no_host_yet():
    assert judge(obj(), obj()).message == "no router has admitted host new.apps.example.com yet"
    v = judge(obj(None), obj(None))
    assert v.state == PENDING and v.message == "the platform has not assigned a host yet"


def test_stale_refusal_is_pending_naming_its_reason():
    """A HostAlreadyClaimed our apply got back may predate the removal of the rival route."""
    claimed = obj("new.apps.example.com", ingress("new.apps.example.com", CLAIMED))
    v = judge(claimed, claimed)
    assert v.state == PENDING
    assert v.message == ("router default has not admitted host new.apps.example.com yet "
                         "(its HostAlreadyClaimed is from before this apply)")


def test_fresh_refusal_fails_with_the_router_message():
    v = judge(obj(), obj("new.apps.example.com", ingress("new.apps.example.com", CLAIMED)))
    assert v.state == FAILED
    assert v.message == ("router default did not admit host new.apps.example.com: HostAlreadyClaimed: "
                         "route rival already exposes new.apps.example.com and is older")


def test_every_router_must_admit_the_current_host():
    two = obj("new.apps.example.com", ingress("new.apps.example.com", ADMITTED, "a"),
              ingress("new.apps.example.com", {"type": "Admitted", "status": "Unknown"}, "b"))
    v = judge(obj(), two)
    assert v.state == PENDING and v.message == "router b has not admitted host new.apps.example.com yet"


def test_refusal_for_an_old_host_is_ignored():
    current = obj("new.apps.example.com", ingress("old.apps.example.com", CLAIMED),
                  ingress("new.apps.example.com", ADMITTED))
    assert judge(obj(), current).state == READY


def test_deleted_while_waiting():
    v = judge(obj(), None)
    assert v.state == FAILED and v.message == "Route ns/r was deleted while waiting"
