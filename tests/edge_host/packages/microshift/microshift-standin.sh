#!/usr/bin/env bash
# edgeai.serving test stand-in for /usr/bin/microshift (version @VERSION@).
LOG=/var/log/edge-host/microshift-healthcheck.log
STATE=/var/lib/edge-host/systemd
mkdir -p "$(dirname "$LOG")"
cmd="${1:-}"; shift || true
case "$cmd" in
  version)
    echo "MicroShift Version: @VERSION@"; echo "Base OCP Version: @VERSION@"; exit 0 ;;
  run) echo "microshift run: stand-in, nothing to run"; exit 0 ;;
  healthcheck) ;;
  *) echo "Usage: microshift [healthcheck|version|run]" >&2; exit 1 ;;
esac
echo "$(date +%s%N) healthcheck $*" >>"$LOG"
ns=""; deps=""; dss=""; sts=""; timeout="300s"
while [ $# -gt 0 ]; do
  case "$1" in
    --namespace) ns="$2"; shift 2 ;;
    --namespace=*) ns="${1#*=}"; shift ;;
    --deployments) deps="$2"; shift 2 ;;
    --deployments=*) deps="${1#*=}"; shift ;;
    --daemonsets) dss="$2"; shift 2 ;;
    --daemonsets=*) dss="${1#*=}"; shift ;;
    --statefulsets) sts="$2"; shift 2 ;;
    --statefulsets=*) sts="${1#*=}"; shift ;;
    --timeout) timeout="$2"; shift 2 ;;
    --timeout=*) timeout="${1#*=}"; shift ;;
    -v|--v) shift 2 ;;
    -v=*|--v=*) shift ;;
    *) echo "Error: unknown flag: $1" >&2; exit 1 ;;
  esac
done
case "$timeout" in *[0-9]s|*[0-9]m|*[0-9]h|*[0-9]) ;; *) echo "Error: invalid timeout $timeout" >&2; exit 1 ;; esac
if [ ! -e "$STATE/microshift.service.enabled" ]; then
  echo "microshift.service is not enabled"; exit 0   # upstream behaviour: exit 0!
fi
if [ ! -e "$STATE/microshift.service.active" ]; then
  echo "Error: microshift.service is not active" >&2; exit 1
fi
if [ -e /var/lib/edge-host/microshift-unhealthy ]; then
  echo "Error: MicroShift is not healthy (requested by /var/lib/edge-host/microshift-unhealthy)" >&2; exit 1
fi
started="$(cat "$STATE/microshift.service.started-at" 2>/dev/null || echo 0)"
if [ -z "$ns" ]; then
  echo "MicroShift is ready"; exit 0
fi
rc=0
check() {  # kind name
  local f newest=0 found=0 c
  while IFS= read -r f; do
    found=1; c="$(stat -c %Z "$f")"; [ "$c" -gt "$newest" ] && newest="$c"
  done < <(grep -rlsE "^\s*name:\s*$2\s*$" /usr/lib/microshift/manifests.d /etc/microshift/manifests.d 2>/dev/null)
  if [ "$found" = 0 ]; then
    echo "Error: $1 $ns/$2 not found (no manifest provides it)" >&2; rc=1
  elif [ "$started" -lt "$newest" ]; then
    echo "Error: $1 $ns/$2 not found: manifests changed after MicroShift started; restart microshift" >&2; rc=1
  else
    echo "$1 $ns/$2 is ready"
  fi
}
IFS=, read -ra a <<<"$deps"; for n in "${a[@]}"; do [ -n "$n" ] && check Deployment "$n"; done
IFS=, read -ra a <<<"$dss"; for n in "${a[@]}"; do [ -n "$n" ] && check DaemonSet "$n"; done
IFS=, read -ra a <<<"$sts"; for n in "${a[@]}"; do [ -n "$n" ] && check StatefulSet "$n"; done
exit "$rc"
