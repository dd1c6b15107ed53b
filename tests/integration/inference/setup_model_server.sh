#!/usr/bin/env bash
# Create (or reuse) the venv that runs tiny_model_server.py.
# Idempotent: the venv is rebuilt only when model-server-requirements.txt
# changes. Prints the venv's python path on the last line of stdout.
# EDGEAI_MODEL_SERVER_VENV and EDGEAI_MODEL_SERVER_PYTHON override the venv
# path and the interpreter that creates it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
requirements="${here}/model-server-requirements.txt"
venv="${EDGEAI_MODEL_SERVER_VENV:-${HOME}/.cache/edgeai-serving/model-server-venv}"
python="${EDGEAI_MODEL_SERVER_PYTHON:-python3}"
stamp="${venv}/.requirements.sha256"
wanted="$(sha256sum "${requirements}" | cut -d' ' -f1)"

if [[ -x "${venv}/bin/python" && -f "${stamp}" && "$(cat "${stamp}")" == "${wanted}" ]]; then
    echo "${venv}/bin/python"
    exit 0
fi

# kserve 0.21 supports Python 3.10 to 3.13.
if ! "${python}" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13)))'; then
    echo "setup_model_server.sh: ${python} must be Python 3.10-3.13 for kserve" >&2
    exit 1
fi

rm -rf "${venv}"
mkdir -p "$(dirname "${venv}")"
"${python}" -m venv "${venv}"
"${venv}/bin/pip" install --quiet --disable-pip-version-check --no-input -r "${requirements}" >&2
echo "${wanted}" > "${stamp}"
echo "${venv}/bin/python"
