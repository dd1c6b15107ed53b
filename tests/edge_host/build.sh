#!/usr/bin/env bash
# Build (or reuse) the cached test edge host root filesystem and the local RPM
# repository. Idempotent: everything is cached under
#   ${EDGEAI_CACHE:-~/.cache/edgeai-serving}/edge-host/<hash-of-inputs>/rootfs
#   ${EDGEAI_CACHE:-~/.cache/edgeai-serving}/edge-repo/<hash-of-inputs>/
# and rebuilt only when its inputs change. Never writes inside the repository.
#
# Usage: build.sh [all|base|repo|paths]
#   all   (default) base + repo
#   base  the debootstrap root filesystem only
#   repo  the RPM repository only (every *.spec under tests/edge_host/packages/**)
#   paths print EDGE_HOST_BASE=... and EDGE_REPO=... (building what is missing)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${EDGEAI_CACHE:-${HOME}/.cache/edgeai-serving}"
SUITE="${EDGE_HOST_SUITE:-bookworm}"
# Packages inside the host: rpm/dnf for ansible.builtin.dnf, python3 for modules,
# openssh-server for the ssh connection (sshd -i through ProxyCommand, see README).
HOST_PACKAGES="python3,python3-dnf,dnf,rpm,python3-rpm,openssh-server,procps,iproute2,ca-certificates"
# Bump when the base layout below changes.
BASE_LAYOUT_VERSION=3

log() { printf '[edge-host %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "must run as root (debootstrap, chroot, mounts)"; exit 1
  fi
}

ensure_host_tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v rpmbuild >/dev/null || missing+=(rpm)
  command -v createrepo_c >/dev/null || missing+=(createrepo-c)
  command -v ssh >/dev/null || missing+=(openssh-client)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

detect_mirror() {
  if [ -n "${EDGE_HOST_MIRROR:-}" ]; then echo "$EDGE_HOST_MIRROR"; return; fi
  local uri
  # deb822 sources first, then one-line sources; skip the security archive.
  uri="$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
         | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)"
  if [ -z "$uri" ]; then
    uri="$(grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
           | awk '{for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' \
           | grep -E '/debian/?$' | head -n1 || true)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

hash_of() { sha256sum | cut -c1-16; }

base_dir() {
  local mirror; mirror="$(detect_mirror)"
  local h; h="$(printf '%s\n' "$SUITE" "$mirror" "$HOST_PACKAGES" "$BASE_LAYOUT_VERSION" | hash_of)"
  echo "$CACHE/edge-host/$h"
}

spec_files() {
  find "$HERE/packages" -name '*.spec' -type f | LC_ALL=C sort
}

repo_dir() {
  local h
  h="$( { spec_files | while read -r f; do echo "${f#"$HERE"/}"; cat "$f"; done
          find "$HERE/packages" -type f ! -name '*.spec' | LC_ALL=C sort | while read -r f; do echo "${f#"$HERE"/}"; cat "$f"; done
          sed -n '/^# >>> repo-builder/,/^# <<< repo-builder/p' "$0"; } | hash_of)"
  echo "$CACHE/edge-repo/$h"
}

build_base() {
  local dir; dir="$(base_dir)"
  if [ -f "$dir/.complete" ]; then log "base rootfs cached: $dir/rootfs"; return; fi
  need_root; ensure_host_tools
  local mirror; mirror="$(detect_mirror)"
  local tmp="$dir.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "debootstrap $SUITE from $mirror into $tmp/rootfs (a few minutes)"
  debootstrap --variant=minbase --include="$HOST_PACKAGES" "$SUITE" "$tmp/rootfs" "$mirror" \
    >"$tmp/debootstrap.log" 2>&1 || { log "debootstrap failed, see $tmp/debootstrap.log"; tail -20 "$tmp/debootstrap.log" >&2; exit 1; }
  local r="$tmp/rootfs"
  log "configuring base rootfs"
  # The RPM database where RHEL has it (Debian's rpm defaults to ~/.rpmdb).
  mkdir -p "$r/etc/rpm" "$r/var/lib/rpm"
  echo '%_dbpath /var/lib/rpm' >"$r/etc/rpm/macros.dbpath"
  chroot "$r" rpm --initdb
  mkdir -p "$r/etc/yum.repos.d" "$r/etc/dnf/vars"
  # sshd for the inetd-style (sshd -i) connection; host keys baked into the base.
  chroot "$r" ssh-keygen -A >/dev/null
  mkdir -p "$r/run/sshd" "$r/root/.ssh"; chmod 700 "$r/root/.ssh"
  cat >"$r/etc/ssh/sshd_config.d/edge-host.conf" <<'CONF'
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
PrintMotd no
AcceptEnv LANG LC_*
CONF
  # Keep the pristine Debian tools next to the stand-ins for debugging.
  apt_clean "$r"
  echo "suite=$SUITE mirror=$mirror packages=$HOST_PACKAGES layout=$BASE_LAYOUT_VERSION" >"$tmp/inputs"
  touch "$tmp/.complete"
  rm -rf "$dir"; mv "$tmp" "$dir"
  log "base rootfs ready: $dir/rootfs ($(du -sh "$dir/rootfs" | cut -f1))"
}

apt_clean() { rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* ; }

# >>> repo-builder (hashed: edits here rebuild the repo)
build_repo() {
  local dir; dir="$(repo_dir)"
  if [ -f "$dir/.complete" ]; then log "rpm repo cached: $dir/repo"; return; fi
  ensure_host_tools
  local tmp="$dir.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp/repo" "$tmp/rpmbuild"
  local spec n=0
  while read -r spec; do
    [ -n "$spec" ] || continue
    log "rpmbuild ${spec#"$HERE"/}"
    # %{_sourcedir} is the spec's own directory so specs can ship files next to them.
    rpmbuild -bb --quiet \
      --define "_topdir $tmp/rpmbuild" \
      --define "_sourcedir $(dirname "$spec")" \
      --define "_rpmdir $tmp/repo" \
      --define "_build_id_links none" \
      --define "__os_install_post %{nil}" \
      --define "_binary_payload w2.xzdio" \
      --target x86_64 \
      "$spec" >"$tmp/rpmbuild.log" 2>&1 || { log "rpmbuild failed for $spec"; tail -30 "$tmp/rpmbuild.log" >&2; exit 1; }
    n=$((n + 1))
  done < <(spec_files)
  log "createrepo_c over $n spec(s)"
  createrepo_c --quiet "$tmp/repo"
  find "$tmp/repo" -name '*.rpm' -printf '%f\n' | LC_ALL=C sort >"$tmp/contents.txt"
  touch "$tmp/.complete"
  rm -rf "$dir"; mv "$tmp" "$dir"
  log "rpm repo ready: $dir/repo ($(wc -l <"$dir/contents.txt") rpms)"
}
# <<< repo-builder

case "${1:-all}" in
  all) build_base; build_repo ;;
  base) build_base ;;
  repo) build_repo ;;
  paths) build_base; build_repo
         echo "EDGE_HOST_BASE=$(base_dir)/rootfs"; echo "EDGE_REPO=$(repo_dir)/repo" ;;
  *) echo "usage: $0 [all|base|repo|paths]" >&2; exit 2 ;;
esac
