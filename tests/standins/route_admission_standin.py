"""TEST STAND-IN for MicroShift's route host assignment and its router.

Plain Kubernetes with only the Route CRD assigns no host and writes no
status. This stand-in plays both parts:
- an empty spec.host becomes <name>-<namespace>.<domain> (MicroShift's
  admission plugin does this);
- status.ingress[] gets Admitted=True, or Admitted=False with reason
  HostAlreadyClaimed when an older route already holds the same host and path
  (what the OpenShift router reports).
It does not route traffic.
"""

from kubernetes import client
from kubernetes.client.rest import ApiException

from standin_loop import now, parse_args, run

GROUP, VERSION, PLURAL = "route.openshift.io", "v1", "routes"


def main():
    args, api = parse_args(__doc__)
    co = client.CustomObjectsApi(api)

    def owner_of(route, cache):
        """The oldest route claiming the same host and path."""
        spec = route["spec"]
        rivals = [r for r in cache.values()
                  if r["spec"].get("host") == spec.get("host") and r["spec"].get("path", "") == spec.get("path", "")
                  and not r["metadata"].get("deletionTimestamp")]
        return min(rivals, key=lambda r: (r["metadata"]["creationTimestamp"], r["metadata"]["namespace"],
                                          r["metadata"]["name"]))

    def admit(route, cache):
        meta = route["metadata"]
        host = route["spec"].get("host")
        owner = owner_of(route, cache)
        if owner["metadata"]["uid"] == meta["uid"]:
            cond = {"type": "Admitted", "status": "True"}
        else:
            cond = {"type": "Admitted", "status": "False", "reason": "HostAlreadyClaimed",
                    "message": "route %s already exposes %s and is older" % (owner["metadata"]["name"], host)}
        current = (route.get("status") or {}).get("ingress") or []
        if current and current[0].get("host") == host and \
                {k: v for k, v in current[0]["conditions"][0].items() if k != "lastTransitionTime"} == cond:
            return
        cond["lastTransitionTime"] = now()
        status = {"ingress": [{"host": host, "routerName": "default", "wildcardPolicy": "None",
                               "routerCanonicalHostname": "router-default." + args.domain, "conditions": [cond]}]}
        try:
            co.patch_namespaced_custom_object_status(GROUP, VERSION, meta["namespace"], PLURAL, meta["name"],
                                                     {"status": status})
        except ApiException as e:
            if e.status != 404:
                raise

    def handle(event, route, cache):
        meta = route["metadata"]
        if event == "DELETED" or meta.get("deletionTimestamp"):
            host = route["spec"].get("host")
            for other in list(cache.values()):
                if other["spec"].get("host") == host:
                    admit(other, cache)
            return
        if not route["spec"].get("host"):
            host = "%s-%s.%s" % (meta["name"], meta["namespace"], args.domain)
            co.patch_namespaced_custom_object(GROUP, VERSION, meta["namespace"], PLURAL, meta["name"],
                                              {"spec": {"host": host}})
            return
        admit(route, cache)

    run(api, GROUP, VERSION, PLURAL, handle)


if __name__ == "__main__":
    main()
