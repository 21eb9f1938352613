# syntax=docker/dockerfile:1
# DAIKIRI images, built from Debian bookworm with the same packages and offline Maven build as
# the local set-up (scripts/setup.sh), so local and image builds agree.
#
#   docker build --target learner -t localhost:30000/daikiri-learner:$(git rev-parse --short HEAD) .
#   docker build --target python  -t localhost:30000/daikiri-python:$(git rev-parse --short HEAD) \
#       --build-arg TORCH_INDEX_URL=<a CPU-only PyTorch wheel index> .
#
# Stages: (1) java-build: the learner jar, its JUnit tests run; (2) learner: JRE + jar + the
# jar's class-data-sharing archive, the image of the Java ContainerTasks; (3) python: the
# Python task image (Python 3.11, the locked dependencies, a JRE for Spark and the learner,
# the project code in /app, a non-root user).
ARG DEBIAN=bookworm

FROM debian:${DEBIAN} AS java-build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jdk-headless maven libowlapi-java libapache-jena-java liblog4j2-java \
        libslf4j-java junit5 libmaven-compiler-plugin-java libmaven-jar-plugin-java \
        libmaven-shade-plugin-java libsurefire-java libmaven-resources-plugin-java \
        maven-debian-helper \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY java_tasks/pom.xml java_tasks/build.sh java_tasks/
COPY java_tasks/src java_tasks/src
RUN bash java_tasks/build.sh

FROM debian:${DEBIAN}-slim AS learner
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 flyte
COPY --from=java-build /src/java_tasks/target/daikiri-learner-0.1.0-all.jar /opt/daikiri/learner.jar
# the class-data-sharing archive, recorded by this image's JVM for the jar at this path (the
# jar's self-test is the training run): halves each learner process's start-up
COPY java_tasks/class-archive.sh /opt/daikiri/
RUN bash /opt/daikiri/class-archive.sh /opt/daikiri/learner.jar
USER flyte
CMD ["java", "-jar", "/opt/daikiri/learner.jar", "--help"]

FROM python:3.11-slim-${DEBIAN} AS python
ARG TORCH_INDEX_URL=""
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jre-headless procps \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 flyte
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
RUN if [ -n "$TORCH_INDEX_URL" ]; then \
        pip install --no-cache-dir --index-url "$TORCH_INDEX_URL" "torch==2.13.0"; fi \
    && pip install --no-cache-dir -c constraints.txt "torch==2.13.0" \
        $(python -c "import tomllib;print(' '.join(repr(d) for d in tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" | tr -d "'")
COPY daikiri daikiri
COPY tasks tasks
COPY workflows workflows
COPY --from=java-build /src/java_tasks/target/daikiri-learner-0.1.0-all.jar /opt/daikiri/learner.jar
COPY java_tasks/class-archive.sh /opt/daikiri/
RUN bash /opt/daikiri/class-archive.sh /opt/daikiri/learner.jar
# Spark on the cluster reads tables from and writes the ABox to gs:// (the raw output prefix):
# the shaded Hadoop 3 GCS connector goes beside pyspark's own jars (on the driver's and the
# executors' class path; SPARK_CONF maps gs:// to it; credentials: GKE workload identity).
ARG GCS_CONNECTOR=hadoop3-2.2.22
ADD https://repo1.maven.org/maven2/com/google/cloud/bigdataoss/gcs-connector/${GCS_CONNECTOR}/gcs-connector-${GCS_CONNECTOR}-shaded.jar /tmp/gcs-connector.jar
RUN mv /tmp/gcs-connector.jar "$(python -c 'import pyspark, os; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))')/" \
    && chmod 644 "$(python -c 'import pyspark, os; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))')/gcs-connector.jar"
# the code version every provenance record names (the image has no .git): the git SHA
ARG VERSION=dev
ENV PYTHONPATH=/app DAIKIRI_LEARNER_JAR=/opt/daikiri/learner.jar FLYTE_SDK_RICH_TRACEBACKS=0 \
    DAIKIRI_CODE_VERSION=${VERSION}
USER flyte
