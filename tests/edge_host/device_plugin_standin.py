#!/usr/bin/env python
"""TEST STAND-IN of the NVIDIA device plugin on a test edge host (there is no GPU and no kubelet).

What the real plugin does once MicroShift has applied its manifests: read its config file and
advertise `nvidia.com/gpu` = GPUs x time-slicing replicas in the node's capacity. This stand-in
does that from outside the host's chroot, for a kwok node of the local control plane:
  * it acts only when MicroShift was (re)started at or after the newest file in the manifests
    directory (the systemctl stand-in's started-at), as the real kustomizer applies them on start;
  * it counts NVIDIA display controllers in the host's fake PCI tree;
  * it honours the config only when the kustomization passes it to the plugin container, as the
    real DaemonSet needs: a patch setting CONFIG_FILE to a file of a mounted ConfigMap that the
    directory provides.

  device_plugin_standin.py --kubeconfig KC --node NAME --rootfs ROOT --manifests DIR --pci DIR [--lifetime S]
DIR paths are inside ROOT. Stopped by PID (cleanup), or by itself after --lifetime seconds.
"""
import argparse
import os
import time

import yaml
from kubernetes import client, config

GPU = "nvidia.com/gpu"


def gpus(pci):
    count = 0
    for dev in sorted(os.listdir(pci)) if os.path.isdir(pci) else []:
        try:
            with open(os.path.join(pci, dev, "vendor")) as v, open(os.path.join(pci, dev, "class")) as c:
                count += v.read().strip() == "0x10de" and c.read().strip().startswith("0x03")
        except OSError:
            continue
    return count


def manifests(directory):
    docs = []
    for name in sorted(os.listdir(directory)):
        if name.endswith((".yml", ".yaml")) and name != "kustomization.yaml":
            with open(os.path.join(directory, name)) as f:
                docs += [d for d in yaml.safe_load_all(f) if d]
    return docs


def replicas(directory):
    """Time-slicing replicas of the config the DaemonSet would read (1 without one)."""
    with open(os.path.join(directory, "kustomization.yaml")) as f:
        kustomization = yaml.safe_load(f)
    maps = {d["metadata"]["name"]: d.get("data", {}) for d in manifests(directory) if d.get("kind") == "ConfigMap"}
    for patch in kustomization.get("patches") or []:
        spec = yaml.safe_load(patch.get("patch") or "{}").get("spec", {}).get("template", {}).get("spec", {})
        volumes = {v["name"]: v["configMap"]["name"] for v in spec.get("volumes") or [] if "configMap" in v}
        for container in spec.get("containers") or []:
            path = {e["name"]: e.get("value") for e in container.get("env") or []}.get("CONFIG_FILE")
            for mount in container.get("volumeMounts") or []:
                data = maps.get(volumes.get(mount["name"]), {})
                if path and os.path.dirname(path) == mount["mountPath"].rstrip("/") and os.path.basename(path) in data:
                    cfg = yaml.safe_load(data[os.path.basename(path)]) or {}
                    for res in (cfg.get("sharing") or {}).get("timeSlicing", {}).get("resources") or []:
                        if res.get("name") == GPU:
                            return int(res.get("replicas", 1))
    return 1


def applied(root, directory):
    """MicroShift started at or after the newest manifest (seconds, like the healthcheck stand-in)."""
    try:
        with open(os.path.join(root, "var/lib/edge-host/systemd/microshift.service.started-at")) as f:
            started = int(f.read().strip() or 0)
        active = os.path.exists(os.path.join(root, "var/lib/edge-host/systemd/microshift.service.active"))
        newest = max(int(os.stat(os.path.join(directory, n)).st_ctime) for n in os.listdir(directory))
    except (OSError, ValueError):
        return False
    return active and started >= newest


def main():
    p = argparse.ArgumentParser()
    for name in ("--kubeconfig", "--node", "--rootfs", "--manifests", "--pci"):
        p.add_argument(name, required=True)
    p.add_argument("--lifetime", type=int, default=1800)
    args = p.parse_args()
    core = client.CoreV1Api(config.new_client_from_config(config_file=args.kubeconfig))
    directory = os.path.join(args.rootfs, args.manifests.lstrip("/"))
    pci = os.path.join(args.rootfs, args.pci.lstrip("/"))
    end = time.time() + args.lifetime
    while time.time() < end:
        if os.path.isfile(os.path.join(directory, "kustomization.yaml")) and applied(args.rootfs, directory):
            want = str(gpus(pci) * replicas(directory))
            node = core.read_node(args.node)
            if (node.status.capacity or {}).get(GPU) != want:
                core.patch_node_status(args.node, {"status": {"capacity": {GPU: want}, "allocatable": {GPU: want}}})
                print("%s: %s=%s" % (args.node, GPU, want), flush=True)
        time.sleep(0.5)


if __name__ == "__main__":
    main()
