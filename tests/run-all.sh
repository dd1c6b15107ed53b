#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it: lint, sanity, unit and
# integration tests on the real local control plane, then the roles' Molecule
# scenarios on the test edge host. Stops the control plane at the end.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
venv=${EDGEAI_VENV:-$HOME/.cache/edgeai-serving/venv}
py="$venv/bin/python"
export PATH="$venv/bin:$PATH"
step() { printf '\n=== %s (%s)\n' "$*" "$(date +%T)"; }
stop_control_plane() { "$py" tests/controlplane/controlplane.py down || true; }
trap stop_control_plane EXIT

step "ansible-lint (production profile)"
ansible-lint --profile production

step "ansible-test sanity"
PYTHON="$py" bash tests/sanity/run.sh

step "local control plane"
kubeconfig=$("$py" tests/controlplane/controlplane.py up)

step "pytest: unit and integration"
"$py" -m pytest -p no:cacheprovider tests/unit tests/integration

step "molecule: roles on the test edge host"
EDGEAI_TEST_KUBECONFIG="$kubeconfig" bash tests/edge_host/run-molecule.sh
