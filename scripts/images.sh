#!/usr/bin/env bash
# Build both images (Python tasks, Java learner) tagged with VERSION and push them to REGISTRY.
#   bash scripts/images.sh                                   # sandbox registry, tag = git SHA
#   REGISTRY=europe-docker.pkg.dev/p/daikiri VERSION=abc123 bash scripts/images.sh
# Needs a Docker daemon and, for a private registry, a prior `docker login`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
REGISTRY=${REGISTRY:-localhost:30000}
VERSION=${VERSION:-$(git rev-parse --short=12 HEAD)}
docker build --target learner --build-arg "VERSION=$VERSION" -t "$REGISTRY/daikiri-learner:$VERSION" .
docker build --target python --build-arg "VERSION=$VERSION" \
  ${TORCH_INDEX_URL:+--build-arg TORCH_INDEX_URL=$TORCH_INDEX_URL} -t "$REGISTRY/daikiri-python:$VERSION" .
docker push "$REGISTRY/daikiri-learner:$VERSION"
docker push "$REGISTRY/daikiri-python:$VERSION"
