#!/usr/bin/env python
"""Test helper for the Kubernetes side of the edge-host scenarios.

  k8s_helper.py KUBECONFIG ensure-namespace NAME
  k8s_helper.py KUBECONFIG get-servingruntime NAMESPACE NAME   # JSON on stdout, exit 3 if absent
  k8s_helper.py KUBECONFIG ensure-node NAME      # a kwok node, Ready, without GPU capacity
  k8s_helper.py KUBECONFIG delete-node NAME
"""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    kubeconfig, cmd, args = argv[0], argv[1], argv[2:]
    api_client = config.new_client_from_config(config_file=kubeconfig)
    if cmd == "ensure-namespace":
        core = client.CoreV1Api(api_client)
        try:
            core.read_namespace(args[0])
            print("exists")
        except ApiException as exc:
            if exc.status != 404:
                raise
            core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=args[0])))
            print("created")
        return 0
    if cmd == "get-servingruntime":
        custom = client.CustomObjectsApi(api_client)
        try:
            obj = custom.get_namespaced_custom_object("serving.kserve.io", "v1alpha1", args[0], "servingruntimes", args[1])
        except ApiException as exc:
            if exc.status == 404:
                print("not found", file=sys.stderr)
                return 3
            raise
        print(json.dumps(obj))
        return 0
    if cmd in ("ensure-node", "delete-node"):
        core = client.CoreV1Api(api_client)
        try:
            core.delete_node(args[0])
        except ApiException as exc:
            if exc.status != 404:
                raise
        if cmd == "ensure-node":
            # Recreated each time: a node left by an earlier run would keep its GPU capacity.
            cap = {"cpu": "16", "memory": "64Gi", "pods": "110"}
            core.create_node({"metadata": {"name": args[0], "annotations": {"kwok.x-k8s.io/node": "fake"},
                                           "labels": {"kubernetes.io/hostname": args[0], "type": "kwok"}},
                              "status": {"capacity": cap, "allocatable": cap}})
        print("done")
        return 0
    print("unknown command %s" % cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
