#!/usr/bin/env bash
# The whole sandbox path on a machine with Docker and access to image registries (a laptop,
# GitHub's runners): start the Flyte sandbox, build and push the images into its registry,
# create the project, register at the git SHA, launch diagnose and explore and check their
# results, run diagnose_reviewed answering its two gates, check the published ontology.
#   make sandbox-e2e                      (= bash scripts/sandbox-e2e.sh)
#   KEEP_SANDBOX=0 make sandbox-e2e       # stop the sandbox afterwards (CI does)
# Each step is a script of its own, usable alone (README, "Run on the sandbox").
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
CONFIG=${CONFIG:-deploy/sandbox/config.yaml}
PROJECT=${PROJECT:-daikiri}
VERSION=${VERSION:-$(git rev-parse --short=12 HEAD)}
PYTHON=${PYTHON:-.venv/bin/python}
say() { printf '[sandbox-e2e] %s\n' "$*" >&2; }
# Docker Compose v2 (`docker compose`) where installed, else v1 (`docker-compose`, Debian's)
compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}

bash scripts/setup.sh
say "1/6 starting the Flyte sandbox"
compose -f docker-compose.sandbox.yml up -d
if [[ "${KEEP_SANDBOX:-1}" == 0 ]]; then
  trap 'compose -f docker-compose.sandbox.yml down -v' EXIT
fi
"$PYTHON" -m deploy.sandbox wait-ready --config "$CONFIG" --timeout 900
say "2/6 building the images and pushing them to the sandbox registry (localhost:30000)"
REGISTRY=localhost:30000 VERSION="$VERSION" ALSO_LATEST=1 bash scripts/images.sh
say "3/6 project $PROJECT"
"$PYTHON" -m deploy.sandbox ensure-project --config "$CONFIG" --project "$PROJECT"
say "4/6 registering version $VERSION"
CONFIG="$CONFIG" PROJECT="$PROJECT" VERSION="$VERSION" REGISTRY=localhost:30000 \
  bash scripts/register.sh
say "5/6 launching diagnose, explore and diagnose_reviewed (gates answered) and checking them"
"$PYTHON" -m deploy.sandbox check --config "$CONFIG" --project "$PROJECT" --version "$VERSION"
say "6/6 done: http://localhost:30080/console/projects/$PROJECT"
