#!/usr/bin/env bash
# Create (or reuse) the venv of one test model server.
#   setup_model_server.sh [REQUIREMENTS]   (default: model-server-requirements.txt)
# <name>-requirements.txt gets the venv ~/.cache/edgeai-serving/<name>-venv,
# rebuilt only when the file's hash changes. A "# python: X.Y" line in the file
# asks for that interpreter (python X.Y on PATH, else pyenv's X.Y); without it,
# python3. Prints the venv's python path on the last line of stdout.
# EDGEAI_SERVER_VENVS overrides the folder that holds the venvs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
requirements="$(cd "${here}" && realpath "${1:-model-server-requirements.txt}")"
name="$(basename "${requirements}" -requirements.txt)"
venv="${EDGEAI_SERVER_VENVS:-${HOME}/.cache/edgeai-serving}/${name}-venv"
stamp="${venv}/.requirements.sha256"
wanted="$(sha256sum "${requirements}" | cut -d' ' -f1)"

# Test runs of several checkouts share the venv: one builds it, the others wait.
mkdir -p "$(dirname "${venv}")"
exec 9>"${venv}.lock"
flock 9

if [[ -x "${venv}/bin/python" && -f "${stamp}" && "$(cat "${stamp}")" == "${wanted}" ]]; then
    echo "${venv}/bin/python"
    exit 0
fi

version="$(sed -n 's/^# python: *\([0-9.]*\).*/\1/p' "${requirements}" | head -n 1)"
python=python3
if [[ -n "${version}" ]]; then
    python=""
    for candidate in "python${version}" "$(pyenv root 2>/dev/null)/versions/${version}"*/bin/"python${version}"; do
        if "${candidate}" -c '' 2>/dev/null; then
            python="${candidate}"
            break
        fi
    done
    if [[ -z "${python}" ]]; then
        echo "setup_model_server.sh: ${name} needs Python ${version} (not on PATH, not in pyenv)" >&2
        exit 1
    fi
fi

rm -rf "${venv}"
"${python}" -m venv "${venv}"
"${venv}/bin/pip" install --quiet --disable-pip-version-check --no-input -r "${requirements}" >&2
echo "${wanted}" > "${stamp}"
echo "${venv}/bin/python"
