# DAIKIRI images, built from Debian bookworm with the same packages and offline Maven build as
# the local set-up (scripts/setup.sh), so local and image builds agree.
#
#   bash scripts/images.sh --local     # both images here, tagged daikiri-learner:latest and
#                                      # daikiri-python:latest (bases from Debian's archive
#                                      # when no registry can be reached, torch from local disk)
#   bash scripts/images.sh             # both tagged with the git SHA, pushed to $REGISTRY
#
# Build arguments (defaults are the public images and indexes):
#   DEBIAN_IMAGE, DEBIAN_SLIM_IMAGE  the Debian bookworm bases (full for the Java build)
#   TORCH_INDEX_URL                  a CPU-only PyTorch wheel index; empty: only the wheels in
#                                    docker/wheels/ (scripts/images.sh --local puts the CPU
#                                    torch wheel there)
#   GCS_CONNECTOR_URL                the Hadoop 3 GCS connector jar for Spark on gs://; empty:
#                                    none (a local image that never reads gs://)
#   VERSION                          the code version provenance records name (the git SHA)
#
# Stages: (1) java-build: the learner jar, its JUnit tests run; (2) learner: JRE + jar + the
# jar's class-data-sharing archive, the image of the Java ContainerTasks; (3) partner-tool:
# the worked "Add your component" example (README), a shell tool in its own small image;
# (4) python: the Python task image (Debian's Python 3.11 in a virtualenv, the locked
# dependencies, a JRE for Spark and the learner, the code in /app, the non-root user flyte).
ARG DEBIAN_IMAGE=debian:bookworm
ARG DEBIAN_SLIM_IMAGE=debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS java-build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jdk-headless maven libowlapi-java libapache-jena-java libjaxb-api-java liblog4j2-java \
        libslf4j-java junit5 libmaven-compiler-plugin-java libmaven-jar-plugin-java \
        libmaven-shade-plugin-java libsurefire-java libmaven-resources-plugin-java \
        maven-debian-helper \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY java_tasks/pom.xml java_tasks/build.sh java_tasks/class-archive.sh java_tasks/
COPY java_tasks/src java_tasks/src
RUN bash java_tasks/build.sh

FROM ${DEBIAN_SLIM_IMAGE} AS learner
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
    && useradd --create-home --uid 1000 flyte
COPY --from=java-build /src/java_tasks/target/daikiri-learner-0.1.0-all.jar /opt/daikiri/learner.jar
# the class-data-sharing archive, recorded by this image's JVM for the jar at this path (the
# jar's self-test is the training run): halves each learner process's start-up
COPY java_tasks/class-archive.sh /opt/daikiri/
RUN bash /opt/daikiri/class-archive.sh /opt/daikiri/learner.jar
USER flyte
CMD ["java", "-jar", "/opt/daikiri/learner.jar", "--help"]

FROM ${DEBIAN_SLIM_IMAGE} AS partner-tool
COPY examples/partner_tool/regime_counts.sh /usr/local/bin/regime-counts
RUN chmod 755 /usr/local/bin/regime-counts && useradd --create-home --uid 1000 flyte
USER flyte
CMD ["regime-counts", "--help"]

FROM ${DEBIAN_SLIM_IMAGE} AS python
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG GCS_CONNECTOR_URL=https://repo1.maven.org/maven2/com/google/cloud/bigdataoss/gcs-connector/hadoop3-2.2.22/gcs-connector-hadoop3-2.2.22-shaded.jar
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        python3 python3-venv openjdk-17-jre-headless procps ca-certificates \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
    && useradd --create-home --uid 1000 flyte \
    && python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH VIRTUAL_ENV=/opt/venv
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY docker/wheels/ /tmp/wheels/
COPY docker/ca/ /tmp/ca/
# torch first, from the CPU-only index or the local wheel (PyPI's torch pulls CUDA wheels),
# then every dependency of pyproject.toml at the versions constraints.txt locks
RUN if [ -f /tmp/ca/pip-ca.crt ]; then export PIP_CERT=/tmp/ca/pip-ca.crt; fi \
    && pip install --no-cache-dir --find-links /tmp/wheels \
        ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} "torch==2.13.0" \
    && pip install --no-cache-dir --find-links /tmp/wheels -c constraints.txt "torch==2.13.0" \
        $(python -c "import tomllib;print(' '.join(d.replace(' ', '') for d in tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))") \
    && rm -rf /tmp/wheels /tmp/ca /root/.cache
# Spark on the cluster reads tables from and writes the ABox to gs:// (the raw output prefix):
# the shaded Hadoop 3 GCS connector goes beside pyspark's own jars (on the driver's and the
# executors' class path; SPARK_CONF maps gs:// to it; credentials: GKE workload identity).
RUN if [ -n "$GCS_CONNECTOR_URL" ]; then \
        jars="$(python -c 'import pyspark, os; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))')" \
        && python -c "import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])" \
            "$GCS_CONNECTOR_URL" "$jars/gcs-connector.jar" \
        && chmod 644 "$jars/gcs-connector.jar"; fi
# Spark on Kubernetes (the Spark operator, which runs flytekitplugins-spark's SparkApplications)
# starts the driver and executor pods from this image with only "driver ..." or "executor" as
# arguments: the entrypoint (docker/entrypoint.sh) runs them as Spark's own images do, and
# passes every other command (Flyte's pyflyte-execute ...) through. SPARK_HOME is pyspark's
# folder (bin/spark-submit, jars/); flytekit names /opt/venv/bin/entrypoint.py as the main
# application file and /opt/venv/bin/python3 as the executors' Python, which this venv has.
ENV SPARK_HOME=/opt/venv/lib/python3.11/site-packages/pyspark \
    PYSPARK_PYTHON=/opt/venv/bin/python PYSPARK_DRIVER_PYTHON=/opt/venv/bin/python
COPY docker/entrypoint.sh /opt/daikiri/entrypoint.sh
ENTRYPOINT ["/opt/daikiri/entrypoint.sh"]
COPY daikiri daikiri
COPY tasks tasks
COPY workflows workflows
# the learner's sources: what the learner task's cache version is computed from (tasks/versions.py)
COPY java_tasks/pom.xml java_tasks/pom.xml
COPY java_tasks/src/main java_tasks/src/main
COPY --from=java-build /src/java_tasks/target/daikiri-learner-0.1.0-all.jar /opt/daikiri/learner.jar
COPY java_tasks/class-archive.sh /opt/daikiri/
RUN bash /opt/daikiri/class-archive.sh /opt/daikiri/learner.jar
# the code version every provenance record names (the image has no .git): the git SHA
ARG VERSION=dev
ENV PYTHONPATH=/app DAIKIRI_LEARNER_JAR=/opt/daikiri/learner.jar FLYTE_SDK_RICH_TRACEBACKS=0 \
    DAIKIRI_CODE_VERSION=${VERSION}
USER flyte
