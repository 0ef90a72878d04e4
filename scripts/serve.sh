#!/usr/bin/env bash
# Installs casebook into .venv and serves the site with live reload on http://127.0.0.1:8000/
# Usage: bash scripts/serve.sh [mkdocs serve arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
export NO_MKDOCS_2_WARNING=1
# --livereload is the default, but is spelled out: some click releases lose the default (mkdocs#4032).
exec .venv/bin/mkdocs serve --livereload "$@"
