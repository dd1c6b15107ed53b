#!/usr/bin/env bash
# edgeai.serving test stand-in for `subscription-manager repos`.
LOG=/var/log/edge-host/subscription-manager.log
D=/var/lib/edge-host/rhsm
mkdir -p "$(dirname "$LOG")" "$D"; touch "$D/enabled"
echo "$(date +%s%N) $*" >>"$LOG"
AVAILABLE="rhel-9-for-x86_64-baseos-rpms rhel-9-for-x86_64-appstream-rpms
rhocp-4.18-for-rhel-9-x86_64-rpms rhocp-4.19-for-rhel-9-x86_64-rpms rhocp-4.20-for-rhel-9-x86_64-rpms
fast-datapath-for-rhel-9-x86_64-rpms"
[ "${1:-}" = repos ] || { echo "subscription-manager stand-in: only 'repos' is supported" >&2; exit 64; }
shift
list=0; enable=(); disable=()
for a in "$@"; do
  case "$a" in
    --list-enabled) list=1 ;;
    --enable=*) enable+=("${a#*=}") ;;
    --disable=*) disable+=("${a#*=}") ;;
    *) echo "subscription-manager stand-in: unsupported argument $a" >&2; exit 64 ;;
  esac
done
valid() { grep -qxF "$1" <<<"$(tr ' ' '\n' <<<"$AVAILABLE")"; }
for r in "${disable[@]}"; do
  if [ "$r" = '*' ]; then : >"$D/enabled"; else grep -vxF "$r" "$D/enabled" >"$D/e.tmp" || true; mv "$D/e.tmp" "$D/enabled"; fi
  echo "Repository '$r' is disabled for this system."
done
for r in "${enable[@]}"; do
  valid "$r" || { echo "Error: '$r' does not match a valid repository ID. Use \"subscription-manager repos --list\" to see valid repositories."; exit 1; }
  grep -qxF "$r" "$D/enabled" || echo "$r" >>"$D/enabled"
  echo "Repository '$r' is enabled for this system."
done
if [ "${#enable[@]}" -gt 0 ] || [ "${#disable[@]}" -gt 0 ]; then
  {
    echo "# Managed by subscription-manager (edgeai.serving test stand-in)"
    for r in $AVAILABLE; do
      e=0; grep -qxF "$r" "$D/enabled" && e=1
      printf '[%s]\nname = %s\nbaseurl = file:///srv/edge-repo\nenabled = %s\ngpgcheck = 0\n\n' "$r" "$r" "$e"
    done
  } >/etc/yum.repos.d/redhat.repo
fi
if [ "$list" = 1 ]; then
  echo "+----------------------------------------------------------+"
  echo "    Available Repositories in /etc/yum.repos.d/redhat.repo"
  echo "+----------------------------------------------------------+"
  while read -r r; do
    [ -n "$r" ] || continue
    printf 'Repo ID:   %s\nRepo Name: %s\nRepo URL:  file:///srv/edge-repo\nEnabled:   1\n\n' "$r" "$r"
  done <"$D/enabled"
fi
exit 0
