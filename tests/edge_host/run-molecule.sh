#!/usr/bin/env bash
# THE entry point of the edge-host role tests.
#   tests/edge_host/run-molecule.sh              # every scenario under extensions/molecule/
#   tests/edge_host/run-molecule.sh NAME...      # only these scenarios
# Builds the test host base and the RPM repo when missing (cached), makes
# edgeai.serving resolve to this checkout, runs `molecule test` per scenario and
# exits non-zero if any failed. Non-interactive (CI=true, no stdin needed).
# Env: EDGEAI_VENV (default ~/.cache/edgeai-serving/venv), EDGEAI_CACHE,
#      EDGEAI_TEST_KUBECONFIG (enables the Kubernetes side of the AI scenarios).
set -uo pipefail
exec </dev/null
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${EDGEAI_CACHE:-${HOME}/.cache/edgeai-serving}"
VENV="${EDGEAI_VENV:-$CACHE/venv}"
log() { printf '[run-molecule %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

if [ ! -x "$VENV/bin/molecule" ] && ! command -v molecule >/dev/null; then
  log "creating $VENV from requirements-test.txt (PyPI)"
  python3 -m venv "$VENV" 2>/dev/null || {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$VENV"
  } || { log "cannot create a venv"; exit 2; }
  "$VENV/bin/pip" install -q -r "$ROOT/requirements-test.txt" || { log "pip install failed"; exit 2; }
fi
if [ -x "$VENV/bin/molecule" ]; then
  # shellcheck disable=SC1091
  . "$VENV/bin/activate"
fi
command -v molecule >/dev/null || { log "molecule not found (activate a venv with requirements-test.txt or set EDGEAI_VENV)"; exit 2; }
[ "$(id -u)" = 0 ] || { log "must run as root (chroot, mounts)"; exit 2; }

log "building the test edge host and RPM repo (cached)"
"$HERE/build.sh" all || { log "build failed"; exit 2; }

# edgeai.serving -> this checkout, without installing anything. One link per checkout
# (hash of its path, as tests/conftest.py does), so worktrees tested at once each test their own code.
COLLS="$CACHE/collections-$(printf '%s' "$ROOT" | sha256sum | cut -c1-8)"
mkdir -p "$COLLS/ansible_collections/edgeai"
ln -sfn "$ROOT" "$COLLS/ansible_collections/edgeai/serving.$$"
mv -T "$COLLS/ansible_collections/edgeai/serving.$$" "$COLLS/ansible_collections/edgeai/serving"
export ANSIBLE_COLLECTIONS_PATH="$COLLS${ANSIBLE_COLLECTIONS_PATH:+:$ANSIBLE_COLLECTIONS_PATH}"
export ANSIBLE_FORCE_COLOR="${ANSIBLE_FORCE_COLOR:-0}" PY_COLORS="${PY_COLORS:-0}" ANSIBLE_NOCOLOR="${ANSIBLE_NOCOLOR:-1}"

cd "$ROOT" || exit 2
if [ $# -gt 0 ]; then
  scenarios=("$@")
else
  mapfile -t scenarios < <(find extensions/molecule -mindepth 2 -maxdepth 2 -name molecule.yml -printf '%h\n' | sed 's|^extensions/molecule/||' | LC_ALL=C sort)
fi
if [ -z "${EDGEAI_TEST_KUBECONFIG:-}" ]; then
  log "EDGEAI_TEST_KUBECONFIG unset: Kubernetes-side tasks are SKIPPED in the AI scenarios (not a pass)"
fi

declare -A result; declare -A took; failed=0
for s in "${scenarios[@]}"; do
  log "=== scenario $s"
  start=$(date +%s)
  if molecule test -s "$s"; then result[$s]=passed; else result[$s]=FAILED; failed=1; fi
  took[$s]=$(( $(date +%s) - start ))
done

echo
echo "edge-host molecule summary"
for s in "${scenarios[@]}"; do printf '  %-40s %-7s %4ss\n' "$s" "${result[$s]}" "${took[$s]}"; done
if [ -z "${EDGEAI_TEST_KUBECONFIG:-}" ]; then
  echo "  NOTE: Kubernetes-side tasks were SKIPPED (EDGEAI_TEST_KUBECONFIG unset) - not a pass"
fi
exit "$failed"
