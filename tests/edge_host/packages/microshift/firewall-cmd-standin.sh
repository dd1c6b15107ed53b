#!/usr/bin/env bash
# edgeai.serving test stand-in for firewall-cmd. Permanent configuration in
# /var/lib/edge-host/firewalld/permanent/<zone>.<kind> (one item a line);
# --reload copies permanent to runtime. Exit codes as firewall-cmd:
# --query-* prints yes/no and exits 0/1.
LOG=/var/log/edge-host/firewall-cmd.log
D=/var/lib/edge-host/firewalld
mkdir -p "$(dirname "$LOG")" "$D/permanent" "$D/runtime"
echo "$(date +%s%N) $*" >>"$LOG"
zone=public; where=runtime; ops=()
for a in "$@"; do
  case "$a" in
    --permanent) where=permanent ;;
    --zone=*) zone="${a#*=}" ;;
    --state) [ -e /var/lib/edge-host/systemd/firewalld.service.active ] && { echo running; exit 0; }; echo "not running"; exit 252 ;;
    --reload) rm -rf "$D/runtime"; cp -a "$D/permanent" "$D/runtime"; echo success; exit 0 ;;
    --*=*) ops+=("$a") ;;
    *) echo "firewall-cmd stand-in: unsupported argument $a" >&2; exit 2 ;;
  esac
done
rc=0
for o in "${ops[@]}"; do
  k="${o%%=*}"; v="${o#*=}"; f="$D/$where/$zone.${k#--*-}"
  touch "$f"
  case "$k" in
    --query-source|--query-service|--query-port)
      if grep -qxF "$v" "$f"; then echo yes; else echo no; rc=1; fi ;;
    --add-source|--add-service|--add-port)
      if grep -qxF "$v" "$f"; then echo "Warning: ALREADY_ENABLED: $v" >&2; else echo "$v" >>"$f"; fi; echo success ;;
    --remove-source|--remove-service|--remove-port)
      grep -vxF "$v" "$f" >"$f.tmp" || true; mv "$f.tmp" "$f"; echo success ;;
    *) echo "firewall-cmd stand-in: unsupported option $k" >&2; exit 2 ;;
  esac
done
exit "$rc"
