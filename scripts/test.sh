#!/usr/bin/env bash
# The whole test suite: set up (idempotent), lint, JUnit (Java learner), the images (when a
# Docker daemon answers or can be started here: the container tests run them), then pytest
# (Python, workflows, the learner as a real Java process and in its container, every task in
# its image). Without a daemon the container tests are skipped, and pytest says so. Debian's
# chromium is installed too (DAIKIRI_EXTRA_PACKAGES): a test renders the report in it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DAIKIRI_EXTRA_PACKAGES="chromium" bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
"$ROOT/.venv/bin/ruff" check .
# The benchmark test's ontolearn virtualenv (bench/learner_vs_ontolearn.py; minutes of pip on
# a fresh machine) is created beside JUnit and the image builds; the test waits for it (a lock).
mkdir -p "$ROOT/.bench-venvs"
"$ROOT/.venv/bin/python" -c "import logging; logging.basicConfig(level=logging.INFO)
from bench.learner_vs_ontolearn import ROOT, ensure_venv
ensure_venv(ROOT / '.bench-venvs' / 'ontolearn')" > "$ROOT/.bench-venvs/ontolearn-setup.log" 2>&1 &
echo "[test] Java: JUnit tests of the learner (Maven Surefire, offline)"
bash java_tasks/build.sh
grep -h "Tests run" java_tasks/target/surefire-reports/*.txt | sed 's/^/[junit] /'
if bash scripts/docker-daemon.sh; then
  echo "[test] images for the container tests (scripts/images.sh --local; layers cached)"
  started=$(date +%s)
  bash scripts/images.sh --local
  echo "[test] images ready in $(( $(date +%s) - started )) s"
else
  echo "[test] no Docker daemon can be had here: the container tests will be skipped"
fi
echo "[test] Python: pytest"
exec "$ROOT/.venv/bin/python" -m pytest "$@"
