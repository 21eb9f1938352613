#!/usr/bin/env bash
# The `--image` flags of `pyflyte register` / `pyflyte package` for every image this project
# builds: the default (Python tasks) image, then one named image per non-Python component
# (the names tasks use as {{.image.NAME...}}):
#   bash scripts/image-flags.sh REGISTRY VERSION
#   -> --image REGISTRY/daikiri-python:VERSION --image learner=REGISTRY/daikiri-learner:VERSION ...
# scripts/images.sh builds the same list (image daikiri-NAME from Dockerfile target NAME with
# '_' as '-').
set -euo pipefail
REGISTRY=${1?registry (empty: local images)}
VERSION=${2:?version}
COMPONENT_IMAGES=(learner partner_tool)
printf -- "--image %sdaikiri-python:%s" "${REGISTRY:+$REGISTRY/}" "$VERSION"
for name in "${COMPONENT_IMAGES[@]}"; do
  printf -- " --image %s=%sdaikiri-%s:%s" "$name" "${REGISTRY:+$REGISTRY/}" "$name" "$VERSION"
done
echo
