"""The list-and-watch loop the route stand-in runs on (resumes after 410 and restarts)."""

import argparse
import sys
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def parse_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--kubeconfig", required=True)
    p.add_argument("--domain", default="apps.edge.test")
    args = p.parse_args()
    return args, config.new_client_from_config(config_file=args.kubeconfig)


def run(api, group, version, plural, handle):
    """Call handle(event_type, obj, cache) for every change of the resource, forever."""
    co = client.CustomObjectsApi(api)
    cache = {}
    while True:
        try:
            listed = co.list_cluster_custom_object(group, version, plural)
            cache.clear()
            for obj in listed["items"]:
                cache[key(obj)] = obj
            for obj in listed["items"]:
                handle("ADDED", obj, cache)
            rv = listed["metadata"]["resourceVersion"]
            while True:
                for ev in watch.Watch().stream(co.list_cluster_custom_object, group, version, plural,
                                               resource_version=rv, timeout_seconds=60):
                    obj = ev["object"]
                    rv = obj["metadata"]["resourceVersion"]
                    if ev["type"] == "DELETED":
                        cache.pop(key(obj), None)
                    else:
                        cache[key(obj)] = obj
                    handle(ev["type"], obj, cache)
        except ApiException as e:
            if e.status != 410:
                print("standin: %s" % e, file=sys.stderr, flush=True)
                time.sleep(1)
        except Exception as e:  # noqa: BLE001 - the API server may be restarted by fault tests
            print("standin: %s" % e, file=sys.stderr, flush=True)
            time.sleep(1)


def key(obj):
    return obj["metadata"].get("namespace", ""), obj["metadata"]["name"]


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
