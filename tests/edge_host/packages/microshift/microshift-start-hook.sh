#!/usr/bin/env bash
# Runs (via the systemctl stand-in) when microshift.service starts/restarts.
# Simulates OCPBUGS-51365: with microshift-ai-model-serving installed before
# MicroShift's first successful start, that first start fails once.
KC=/var/lib/microshift/resources/kubeadmin/kubeconfig
MARK=/var/lib/edge-host/microshift-first-start-failed
if [ ! -e "$KC" ] && rpm -q microshift-ai-model-serving >/dev/null 2>&1 && [ ! -e "$MARK" ]; then
  mkdir -p "$(dirname "$MARK")"; date +%s >"$MARK"
  echo "first start with AI model serving installed fails once (OCPBUGS-51365)"
  exit 1
fi
if [ -e /var/lib/edge-host/microshift-start-fails ]; then
  echo "start failure requested by /var/lib/edge-host/microshift-start-fails"; exit 1
fi
mkdir -p "$(dirname "$KC")"
if [ ! -e "$KC" ]; then
  cat >"$KC" <<'KCEOF'
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://127.0.0.1:6443
  name: microshift
contexts:
- context:
    cluster: microshift
    user: user
  name: microshift
current-context: microshift
users:
- name: user
  user: {}
KCEOF
fi
exit 0
