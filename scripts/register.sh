#!/usr/bin/env bash
# Build both images, push them to the sandbox registry and register every task, workflow and
# launch plan under project daikiri, domain development, version = the git SHA:
#   bash scripts/register.sh                 # sandbox (localhost:30000, deploy/sandbox/config.yaml)
#   REGISTRY=... CONFIG=... DOMAIN=staging bash scripts/register.sh   # another cluster
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
REGISTRY=${REGISTRY:-localhost:30000}
CONFIG=${CONFIG:-deploy/sandbox/config.yaml}
PROJECT=${PROJECT:-daikiri}
DOMAIN=${DOMAIN:-development}
VERSION=${VERSION:-$(git rev-parse --short=12 HEAD)}
PYTHON_IMAGE="$REGISTRY/daikiri-python:$VERSION"
LEARNER_IMAGE="$REGISTRY/daikiri-learner:$VERSION"
docker build --target learner -t "$LEARNER_IMAGE" .
docker build --target python -t "$PYTHON_IMAGE" ${TORCH_INDEX_URL:+--build-arg TORCH_INDEX_URL=$TORCH_INDEX_URL} .
docker push "$LEARNER_IMAGE"
docker push "$PYTHON_IMAGE"
.venv/bin/pyflyte --config "$CONFIG" register --project "$PROJECT" --domain "$DOMAIN" \
  --version "$VERSION" --image "$PYTHON_IMAGE" --image "learner=$LEARNER_IMAGE" \
  --copy none --destination-dir /app workflows
