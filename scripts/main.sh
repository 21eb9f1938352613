#!/usr/bin/env bash
# The main job: set up (idempotent), then run the diagnose workflow on the embedded default
# data with Flyte's local execution, through the `daikiri` command (a line per step and per
# learning problem, the explanations, and every output in runs/diagnose-<time>/). Extra
# arguments go to the workflow, e.g. --rows 50000 (`daikiri diagnose --help` lists them).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/daikiri" diagnose "$@"
