#!/usr/bin/env bash
# The whole test suite: set up (idempotent), lint, then pytest (Python, workflows, Java).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
"$ROOT/.venv/bin/ruff" check .
exec "$ROOT/.venv/bin/python" -m pytest "$@"
