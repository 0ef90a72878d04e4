#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine, then runs all tests.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium; Playwright cannot download its own browser here.
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
export NO_MKDOCS_2_WARNING=1
if [ "$#" -eq 0 ]; then  # the whole run (CI): lint, types and layers first, configured in pyproject.toml
  .venv/bin/ruff check .
  .venv/bin/mypy
  .venv/bin/lint-imports
fi
exec .venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
