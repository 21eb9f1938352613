#!/bin/bash
# The python image's entrypoint.
#
# Flyte starts a task's pod with the task's serialized arguments (pyflyte-execute ...): they
# run unchanged. The Spark operator, which runs flytekitplugins-spark's SparkApplications,
# starts the Spark driver and executor pods from this same image with only Spark's own
# arguments and relies on the image's entrypoint for the rest, as Spark's Kubernetes images
# do:
#   driver ARGS...   spark-submit in client mode inside the driver pod, bound to the pod's
#                    address (SPARK_DRIVER_BIND_ADDRESS, set by Spark on the pod); ARGS are
#                    spark-submit's (--properties-file ..., the main application file, which
#                    for flytekit is /opt/venv/bin/entrypoint.py, and the task's arguments)
#   executor         the JVM of Spark's Kubernetes executor backend on pyspark's jars, from
#                    what Spark sets on the executor pod: SPARK_DRIVER_URL,
#                    SPARK_EXECUTOR_ID, SPARK_EXECUTOR_CORES, SPARK_EXECUTOR_MEMORY,
#                    SPARK_APPLICATION_ID, SPARK_EXECUTOR_POD_IP, SPARK_EXECUTOR_POD_NAME,
#                    SPARK_RESOURCE_PROFILE_ID and JVM options SPARK_JAVA_OPT_0, _1, ...
# SPARK_HOME is pyspark's folder (the image's ENV); its bin/ and jars/ are Spark's.
set -euo pipefail

case "${1:-}" in
  driver)
    shift
    exec "$SPARK_HOME/bin/spark-submit" \
      --conf "spark.driver.bindAddress=${SPARK_DRIVER_BIND_ADDRESS:-0.0.0.0}" \
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=${SPARK_DRIVER_BIND_ADDRESS:-0.0.0.0}" \
      --deploy-mode client "$@"
    ;;
  executor)
    shift
    java_options=()
    while IFS='=' read -r name value; do
      java_options+=("$value")
    done < <(env | grep '^SPARK_JAVA_OPT_[0-9]*=' | sort -t_ -k4 -n)
    classpath="$SPARK_HOME/jars/*${SPARK_CLASSPATH:+:$SPARK_CLASSPATH}"
    exec java "${java_options[@]}" -Xms"${SPARK_EXECUTOR_MEMORY:?}" -Xmx"$SPARK_EXECUTOR_MEMORY" \
      -cp "$classpath" org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "${SPARK_DRIVER_URL:?}" --executor-id "${SPARK_EXECUTOR_ID:?}" \
      --cores "${SPARK_EXECUTOR_CORES:?}" --app-id "${SPARK_APPLICATION_ID:?}" \
      --hostname "${SPARK_EXECUTOR_POD_IP:?}" \
      --resourceProfileId "${SPARK_RESOURCE_PROFILE_ID:-0}" \
      --podName "${SPARK_EXECUTOR_POD_NAME:-$(hostname)}" "$@"
    ;;
  "")
    echo "daikiri-python: give a command (Flyte passes pyflyte-execute ...), or driver/executor" >&2
    exit 2
    ;;
  *)
    exec "$@"
    ;;
esac
