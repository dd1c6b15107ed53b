#!/usr/bin/env bash
# ansible-test sanity on a copy of the checkout at ansible_collections/edgeai/serving.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-python3}
at_dir=$("$python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')
pip_version=$(grep -oP "pip='\K[0-9.]+" "$at_dir/_internal/python_requirements.py")
cache="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
mkdir -p "$(dirname "$cache")"
cmp -s "$repo/tests/sanity/get_pip_standin.py" "$cache" || cp "$repo/tests/sanity/get_pip_standin.py" "$cache"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/edgeai/serving"
mkdir -p "$dest"
# Tracked and new files, as git sees them: no caches, no ignored output.
(cd "$repo" && git ls-files -co --exclude-standard -z) | (cd "$repo" && xargs -0 cp --parents -t "$dest")
cd "$dest"
git init -q && git add -A >/dev/null
"$(dirname "$python")/ansible-test" sanity --venv --python "$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
  --color no "$@"
