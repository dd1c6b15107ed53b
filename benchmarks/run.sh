#!/usr/bin/env bash
# make bench: edgeai.serving against kubernetes.core.k8s and Ansible's ping floor on the same local control
# plane, in one run, printed as one table. kubernetes.core comes from the `ansible` package on PyPI, in a venv
# of its own. Extra arguments go to compare_with_kubernetes_core.py (--objects N, --fleet N).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
cache="$HOME/.cache/edgeai-serving"
venv="$cache/bench-venv"
stamp="$venv/.installed-$(sha256sum benchmarks/requirements.txt | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r benchmarks/requirements.txt
  touch "$stamp"
fi
# One collections root per checkout, so two checkouts benchmarked at once do not repoint each other's link.
collections="$cache/bench-collections/$(printf %s "$repo" | sha256sum | cut -c1-8)"
mkdir -p "$collections/ansible_collections/edgeai"
ln -sfn "$repo" "$collections/ansible_collections/edgeai/serving"
export ANSIBLE_COLLECTIONS_PATH="$collections"
kubeconfig=$("$cache/venv/bin/python" tests/controlplane/controlplane.py up)
"$venv/bin/python" benchmarks/compare_with_kubernetes_core.py --kubeconfig "$kubeconfig" "$@"
