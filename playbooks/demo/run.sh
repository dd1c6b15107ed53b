#!/usr/bin/env bash
# make demo: the main job (playbooks/site.yml) on the local default.
# Starts (or reuses) the local control plane, then runs site.yml against it
# with the inventory in inventories/local.
# make demo-llm (run.sh --llm): playbooks/serve_llm.yml instead, an LLM on the
# vLLM runtime, ending with a chat completion.
set -euo pipefail
llm=false
if [[ "${1:-}" == "--llm" ]]; then
  llm=true
  shift
fi
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
cache="$HOME/.cache/edgeai-serving"
venv="$cache/venv"
mkdir -p "$cache/demo" "$cache/collections/ansible_collections/edgeai"
ln -sfn "$repo" "$cache/collections/ansible_collections/edgeai/serving"

kubeconfig=$("$venv/bin/python" tests/controlplane/controlplane.py up)

# kwok pods run no containers, so nothing answers behind the InferenceService.
# A real KServe model server on loopback (the one the inference tests use)
# stands in for the predictor pod in the final inference check.
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if $llm; then
  # KServe's OpenAI-compatible server with the tiny LLM of the llm_request tests.
  llm_python=$(bash tests/integration/inference/setup_model_server.sh llm-server-requirements.txt | tail -n 1)
  "$llm_python" tests/integration/inference/tiny_llm_server.py --port "$port" >"$cache/demo/llm-server.log" 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT
  ANSIBLE_COLLECTIONS_PATH="$cache/collections" "$venv/bin/ansible-playbook" -i inventories/local/hosts.yml \
    playbooks/serve_llm.yml -e edgeai_kubeconfig="$kubeconfig" \
    -e edgeai_llm_url="http://127.0.0.1:$port" -e edgeai_llm_base_path=/openai/v1 "$@"
  echo
  echo "The control plane keeps running for you: export KUBECONFIG=$kubeconfig"
  exit 0
fi
model_python=$(bash tests/integration/inference/setup_model_server.sh | tail -n 1)
"$model_python" tests/integration/inference/tiny_model_server.py --port "$port" >"$cache/demo/model-server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
"$venv/bin/python" - "$cache/demo/red.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
rows = b"".join(b"\x00" + b"\xdc\x14\x14" * 8 for _ in range(8))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY

ANSIBLE_COLLECTIONS_PATH="$cache/collections" "$venv/bin/ansible-playbook" -i inventories/local/hosts.yml playbooks/site.yml \
  -e edgeai_kubeconfig="$kubeconfig" -e edgeai_inference_url="http://127.0.0.1:$port" \
  -e edgeai_check_image="$cache/demo/red.png" "$@"

echo
echo "The control plane keeps running for you: export KUBECONFIG=$kubeconfig"
echo "Stop it with: make controlplane-down"
