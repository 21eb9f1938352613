#!/usr/bin/env bash
# Build the images (Python tasks, Java learner, the partner-tool example) from the Dockerfile.
#
#   bash scripts/images.sh --local     # build here for local runs and the container tests:
#                                      # daikiri-python:latest, daikiri-learner:latest,
#                                      # daikiri-partner_tool:latest; nothing is pushed
#   bash scripts/images.sh             # tag $REGISTRY/daikiri-*:$VERSION and push them
#   REGISTRY=europe-docker.pkg.dev/p/daikiri VERSION=abc123 bash scripts/images.sh
#   ALSO_LATEST=1 ...                  # also push each as :latest (the sandbox's config)
#
# --local works without any image registry: when the public Debian bases cannot be pulled,
# scripts/base-image.sh makes one from Debian's archive (debootstrap + docker import), and the
# CPU build of torch comes from pip's local find-links folder (docker/wheels/) instead of a
# PyTorch index. It starts a Docker daemon when none answers and it can (root, Debian's
# docker.io), and leaves it running. Layers are cached between runs. ONLY=learner builds one.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
say() { printf '[images] %s\n' "$*" >&2; }
LOCAL=0
[[ "${1:-}" == "--local" ]] && LOCAL=1
TARGETS=(${ONLY:-learner partner-tool python})

bash scripts/docker-daemon.sh
build_args=()
if ((LOCAL)); then
  REGISTRY="" VERSION=latest
  base=${DEBIAN_IMAGE:-debian:bookworm}
  if ! docker image inspect "$base" >/dev/null 2>&1 && ! docker pull -q "$base" >/dev/null 2>&1; then
    base=daikiri-base/debian:bookworm
    say "the public Debian base cannot be pulled: using $base, made from Debian's archive"
    bash scripts/base-image.sh "$base"
    build_args+=(--build-arg "DEBIAN_IMAGE=$base" --build-arg "DEBIAN_SLIM_IMAGE=$base")
  fi
  # the CPU torch wheel from pip's local find-links folder (pip download copies it; an open
  # index would bring several GB of CUDA wheels)
  PIP=${PIP:-.venv/bin/pip}
  [ -x "${PIP%% *}" ] || PIP="python3 -m pip"
  if ! ls docker/wheels/torch-2.13.0*.whl >/dev/null 2>&1; then
    $PIP download -q --no-deps --only-binary :all: -d docker/wheels "torch==2.13.0"
  fi
  if ls docker/wheels/torch-2.13.0+cpu*.whl >/dev/null 2>&1; then
    build_args+=(--build-arg TORCH_INDEX_URL=)
  else
    say "no CPU torch wheel on this machine: the image takes torch from the PyTorch CPU index"
  fi
  # a package index behind a TLS-inspecting proxy: the build trusts what the host's pip trusts
  cert=${PIP_CERT:-$($PIP config get global.cert 2>/dev/null || true)}
  if [ -n "$cert" ] && [ -f "$cert" ]; then cp "$cert" docker/ca/pip-ca.crt; fi
  # the GCS connector comes from Maven Central, which local machines may not reach; a local
  # image never reads gs://
  build_args+=(--build-arg "GCS_CONNECTOR_URL=${GCS_CONNECTOR_URL:-}")
else
  REGISTRY=${REGISTRY:-localhost:30000}
  VERSION=${VERSION:-$(git rev-parse --short=12 HEAD)}
fi
build_args+=(--build-arg "VERSION=${CODE_VERSION:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo dev)}")

for target in "${TARGETS[@]}"; do
  name="daikiri-${target/-/_}"
  tag="${REGISTRY:+$REGISTRY/}$name:$VERSION"
  started=$(date +%s)
  say "building $tag (--target $target)"
  # the digest of the program's sources as a label: a local run refuses an image built from
  # other sources (tasks/container.py) instead of caching an old program's results
  sources=$(python3 -m tasks.versions "${target/-/_}")
  labels=()
  [ -n "$sources" ] && labels=(--label "ai.daikiri.sources=$sources")
  # (the legacy builder's deprecation notice is dropped; a failed build's log is kept)
  docker build -q --force-rm --target "$target" "${build_args[@]}" "${labels[@]}" -t "$tag" . \
    2> >(grep -v -e 'legacy builder is deprecated' -e 'Install the buildx' \
                 -e 'docs.docker.com/go/buildx' -e '^ *$' >&2) >/dev/null
  size=$(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')
  say "$tag: $size, built in $(( $(date +%s) - started )) s"
  if ! ((LOCAL)); then
    docker push "$tag"
    # (the sandbox's client config names :latest for `pyflyte run --remote`)
    if [[ "${ALSO_LATEST:-0}" == 1 ]]; then
      docker tag "$tag" "${tag%:*}:latest" && docker push "${tag%:*}:latest"
    fi
  fi
done
