#!/usr/bin/env bash
# Create/destroy an isolated test edge host from the cached base rootfs.
#
#   instance.sh create NAME [--os rhel10|rhel9|rhel8|debian12] [--with-repo]
#   instance.sh vars NAME        # Ansible connection variables (YAML)
#   instance.sh exec NAME CMD... # run a command inside the host (chroot)
#   instance.sh destroy NAME
#   instance.sh root NAME        # print the host's root directory
#
# Instances live in ${EDGEAI_CACHE:-~/.cache/edgeai-serving}/edge-instances/NAME.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${EDGEAI_CACHE:-${HOME}/.cache/edgeai-serving}"
INST="$CACHE/edge-instances"
log() { printf '[edge-host %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

cmd="${1:-}"; name="${2:-}"
if [ -z "$cmd" ] || [ -z "$name" ]; then sed -n "2,10p" "$0" >&2; exit 2; fi
case "$name" in *[!A-Za-z0-9_.-]*) echo "bad instance name: $name" >&2; exit 2 ;; esac
dir="$INST/$name"; root="$dir/rootfs"

kill_inside() {  # processes whose root is this instance (e.g. sshd -i left by ControlPersist)
  local p r
  for p in /proc/[0-9]*; do
    r="$(readlink "$p/root" 2>/dev/null || true)"
    if [ "$r" = "$root" ]; then kill "${p#/proc/}" 2>/dev/null || true; fi
  done
}

destroy() {
  [ -d "$dir" ] || return 0
  kill_inside; sleep 0.2
  local m
  for m in "$root/proc" "$root"; do
    if mountpoint -q "$m" 2>/dev/null; then umount "$m" 2>/dev/null || umount -l "$m"; fi
  done
  rm -rf "$dir"
}

write_os() {  # $1 = os flavour
  local os="$1"
  case "$os" in
    rhel10|rhel9|rhel8)
      local ver=9.4 code=Plow
      case "$os" in rhel8) ver=8.10 code=Ootpa ;; rhel10) ver=10.0 code=Coughlan ;; esac
      rm -f "$root/etc/debian_version" "$root/usr/lib/os-release"
      echo "Red Hat Enterprise Linux release $ver ($code)" >"$root/etc/redhat-release"
      ln -sf redhat-release "$root/etc/system-release"
      cat >"$root/etc/os-release" <<OS
NAME="Red Hat Enterprise Linux"
VERSION="$ver ($code)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="$ver"
PLATFORM_ID="platform:el${ver%%.*}"
PRETTY_NAME="Red Hat Enterprise Linux $ver ($code)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:redhat:enterprise_linux:$ver::baseos"
OS
      echo "${ver%%.*}" >"$root/etc/dnf/vars/releasever" ;;
    debian12) ;;  # leave the Debian identity alone
    *) echo "unknown --os $os (rhel10|rhel9|rhel8|debian12)" >&2; exit 2 ;;
  esac
  echo "$os" >"$dir/os"
}

create() {
  local os=rhel9 with_repo=0
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      --os) os="$2"; shift 2 ;;
      --os=*) os="${1#*=}"; shift ;;
      --with-repo) with_repo=1; shift ;;
      *) echo "unknown option $1" >&2; exit 2 ;;
    esac
  done
  local paths base repo
  paths="$("$HERE/build.sh" paths)"
  base="$(sed -n 's/^EDGE_HOST_BASE=//p' <<<"$paths")"
  repo="$(sed -n 's/^EDGE_REPO=//p' <<<"$paths")"
  destroy
  mkdir -p "$dir/upper" "$dir/work" "$root"
  if mount -t overlay overlay -o "lowerdir=$base,upperdir=$dir/upper,workdir=$dir/work" "$root" 2>/dev/null; then
    echo overlay >"$dir/mode"
  else
    log "overlayfs unavailable, copying the base (slower)"
    cp -a "$base/." "$root/"; echo copy >"$dir/mode"
  fi
  mount -t proc proc "$root/proc"
  local d
  for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r n ma mi <<<"$d"
    [ -e "$root/dev/$n" ] || mknod -m 666 "$root/dev/$n" c "$ma" "$mi"
  done
  write_os "$os"
  install -m 0755 "$HERE/standins/systemctl" "$root/usr/bin/systemctl"
  mkdir -p "$root/usr/lib/edge-host/hooks" "$root/var/log/edge-host" "$root/var/lib/edge-host" \
           "$root/usr/lib/systemd/system" "$root/etc/systemd/system"
  rm -rf "$root/srv/edge-repo"; cp -a "$repo" "$root/srv/edge-repo"
  if [ "$with_repo" = 1 ]; then
    cat >"$root/etc/yum.repos.d/edge-test.repo" <<REPO
[edge-test]
name=edgeai.serving test repository
baseurl=file:///srv/edge-repo
enabled=1
gpgcheck=0
REPO
  fi
  if [ "$os" = rhel9 ]; then  # a real RHEL rpm db holds the release package
    chroot "$root" sh -c 'rpm -i --replacefiles --nodeps /srv/edge-repo/noarch/redhat-release-9.4-*.noarch.rpm'
  fi
  ssh-keygen -q -t ed25519 -N '' -C "edge-host-$name" -f "$dir/id_ed25519"
  install -m 0600 "$dir/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
  vars >"$dir/vars.yml"
  log "instance $name ready (os=$os, $(cat "$dir/mode")): $root"
  cat "$dir/vars.yml"
}

vars() {
  cat <<VARS
ansible_connection: ssh
ansible_host: edge-host-$name
ansible_user: root
ansible_ssh_private_key_file: $dir/id_ed25519
ansible_ssh_common_args: >-
  -o ProxyCommand="chroot $root /usr/sbin/sshd -i"
  -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
ansible_ssh_use_tty: false
ansible_ssh_pipelining: true
ansible_python_interpreter: /usr/bin/python3
edge_host_root: $root
edge_host_name: $name
VARS
}

case "$cmd" in
  create) create "$@" ;;
  destroy) destroy; log "instance $name destroyed" ;;
  vars) [ -d "$dir" ] || { echo "no instance $name" >&2; exit 1; }; vars ;;
  root) echo "$root" ;;
  exec) shift 2; [ -d "$root" ] || { echo "no instance $name" >&2; exit 1; }; exec chroot "$root" "$@" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
