#!/usr/bin/env bash
# Onboard a partner: a Flyte project with its three domains (development, staging,
# production), default and maximum task resources per domain, and the namespace quota and
# workload-identity service account that deploy/gke/values.yaml's namespace templates use.
#
#   bash scripts/onboard.sh acme "ACME Machines"                      # sandbox config
#   CONFIG=~/.flyte/config-gke.yaml CPU_QUOTA=64 MEMORY_QUOTA=256Gi \
#     GSA=acme-tasks@my-gcp-project.iam.gserviceaccount.com bash scripts/onboard.sh acme "ACME"
#   DRY_RUN=1 bash scripts/onboard.sh acme     # print the commands and attribute files only
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROJECT=${1:-}
NAME=${2:-$PROJECT}
if [[ ! "$PROJECT" =~ ^[a-z][a-z0-9-]{1,61}[a-z0-9]$ ]]; then
  echo "onboard: project id '$PROJECT' must be 3-63 characters of lower-case letters, digits" \
       "and '-', starting with a letter (it becomes Kubernetes namespaces <id>-<domain>)" >&2
  exit 2
fi
CONFIG=${CONFIG:-$ROOT/deploy/sandbox/config.yaml}
FLYTECTL=${FLYTECTL:-flytectl}
CPU_QUOTA=${CPU_QUOTA:-16}
MEMORY_QUOTA=${MEMORY_QUOTA:-64Gi}
TASK_CPU_LIMIT=${TASK_CPU_LIMIT:-8}
TASK_MEMORY_LIMIT=${TASK_MEMORY_LIMIT:-32Gi}
TASK_GPU_LIMIT=${TASK_GPU_LIMIT:-1}
GSA=${GSA:-$PROJECT-tasks@PROJECT_ID.iam.gserviceaccount.com}
DOMAINS=(development staging production)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/onboard-$PROJECT-XXXX")

run() {
  if [[ "${DRY_RUN:-0}" == 1 ]]; then printf '%q ' "$@"; echo; else "$@"; fi
}

run "$FLYTECTL" --config "$CONFIG" create project --id "$PROJECT" --name "$NAME" \
    --description "DAIKIRI partner project $NAME"
for domain in "${DOMAINS[@]}"; do
  cat > "$OUT/task-resources-$domain.yaml" <<YAML
project: $PROJECT
domain: $domain
defaults:
  cpu: "1"
  memory: 2Gi
limits:
  cpu: "$TASK_CPU_LIMIT"
  memory: $TASK_MEMORY_LIMIT
  gpu: "$TASK_GPU_LIMIT"
YAML
  cat > "$OUT/cluster-resources-$domain.yaml" <<YAML
project: $PROJECT
domain: $domain
attributes:
  projectQuotaCpu: "$CPU_QUOTA"
  projectQuotaMemory: $MEMORY_QUOTA
  gsa: $GSA
YAML
  run "$FLYTECTL" --config "$CONFIG" update task-resource-attribute \
      --attrFile "$OUT/task-resources-$domain.yaml"
  run "$FLYTECTL" --config "$CONFIG" update cluster-resource-attribute \
      --attrFile "$OUT/cluster-resources-$domain.yaml"
done
echo "onboard: project '$PROJECT' with domains ${DOMAINS[*]}; attribute files in $OUT" >&2
