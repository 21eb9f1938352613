#!/usr/bin/env bash
# The main job: set up (idempotent), then run the diagnose workflow on the embedded default
# data with Flyte's local execution. Extra arguments go to the workflow, e.g. --rows 50000.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/pyflyte" run workflows/diagnose.py diagnose "$@"
