#!/usr/bin/env bash
# edgeai.serving test stand-in for crictl. Images "pulled" are kept in
# /var/lib/edge-host/images (one file per image, name = sha256 of the ref).
LOG=/var/log/edge-host/crictl.log
IMG=/var/lib/edge-host/images
mkdir -p "$(dirname "$LOG")" "$IMG"
args=(); for a in "$@"; do case "$a" in -q|--quiet|-r=*|--runtime-endpoint=*|--image-endpoint=*) ;; *) args+=("$a") ;; esac; done
set -- "${args[@]}"
echo "$(date +%s%N) $*" >>"$LOG"
key() { printf '%s' "$1" | sha256sum | cut -c1-40; }
case "${1:-}" in
  pull)
    [ -n "${2:-}" ] || { echo "image reference required" >&2; exit 1; }
    if [ -e /var/lib/edge-host/crictl-pull-fails ]; then
      echo "E pulling image: rpc error: code = Unknown desc = pinging container registry: dial tcp: lookup registry: no such host" >&2; exit 1
    fi
    echo "$2" >"$IMG/$(key "$2")"; echo "Image is up to date for $2" ;;
  inspecti)
    [ -e "$IMG/$(key "${2:-}")" ] || { echo "FATA[0000] no such image \"${2:-}\" present" >&2; exit 1; }
    printf '{"status":{"repoDigests":["%s"]}}\n' "$2" ;;
  ps)
    # Only the kserve controller is simulated: it runs when MicroShift is active
    # and a manifest provides kserve-controller-manager.
    if [ -e /var/lib/edge-host/systemd/microshift.service.active ] && \
       grep -rqsE '^\s*name:\s*kserve-controller-manager\s*$' /usr/lib/microshift/manifests.d; then
      echo "kserve0000controller$(cat /var/lib/edge-host/kserve-generation 2>/dev/null || echo 0)"
    fi ;;
  stop)
    [ -n "${2:-}" ] || { echo "container id required" >&2; exit 1; }
    g=$(cat /var/lib/edge-host/kserve-generation 2>/dev/null || echo 0); echo $((g + 1)) >/var/lib/edge-host/kserve-generation
    echo "$2" ;;
  images)
    echo "IMAGE TAG IMAGE ID SIZE"; cat "$IMG"/* 2>/dev/null ;;
  *) echo "crictl stand-in: unsupported: $*" >&2; exit 1 ;;
esac
