#!/usr/bin/env bash
# Register every task, workflow and launch plan, version = the git SHA, with the images of
# that version (built and pushed by scripts/images.sh):
#   bash scripts/register.sh                                  # sandbox, domain development
#   DOMAIN=staging CONFIG= REGISTRY=... bash scripts/register.sh   # CI: endpoint and client
#       credentials from FLYTE_PLATFORM_URL / FLYTE_CREDENTIALS_* environment variables
#   ACTIVATE=1 DOMAIN=production ... bash scripts/register.sh      # also activate launch plans
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
REGISTRY=${REGISTRY:-localhost:30000}
CONFIG=${CONFIG-deploy/sandbox/config.yaml}
PROJECT=${PROJECT:-daikiri}
DOMAIN=${DOMAIN:-development}
VERSION=${VERSION:-$(git rev-parse --short=12 HEAD)}
PYFLYTE=${PYFLYTE:-.venv/bin/pyflyte}
read -r -a images <<<"$(bash scripts/image-flags.sh "$REGISTRY" "$VERSION")"
args=(register --project "$PROJECT" --domain "$DOMAIN" --version "$VERSION" "${images[@]}"
      --copy none --destination-dir /app)
if [[ "${ACTIVATE:-0}" == 1 ]]; then args+=(--activate-launchplans); fi
if [[ "${DRY_RUN:-0}" == 1 ]]; then args+=(--dry-run); fi
"$PYFLYTE" ${CONFIG:+--config "$CONFIG"} "${args[@]}" workflows
