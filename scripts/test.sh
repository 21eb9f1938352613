#!/usr/bin/env bash
# The whole test suite: set up (idempotent), lint, JUnit (Java learner), then pytest
# (Python, workflows, the learner driven as a real Java process).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
"$ROOT/.venv/bin/ruff" check .
echo "[test] Java: JUnit tests of the learner (Maven Surefire, offline)"
bash java_tasks/build.sh
grep -h "Tests run" java_tasks/target/surefire-reports/*.txt | sed 's/^/[junit] /'
echo "[test] Python: pytest"
exec "$ROOT/.venv/bin/python" -m pytest "$@"
