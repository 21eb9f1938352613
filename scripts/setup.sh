#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian machine (bookworm or newer), quick when all is there:
#   1. Debian packages: Java 17, Maven and the packaged jars the Java learner builds against
#      offline (OWL API, Jena, JUnit 5, Maven plugins), python3-venv when venv is missing;
#   2. a virtualenv in .venv with the locked Python dependencies (constraints.txt);
#   3. the Java build (offline Maven against /usr/share/maven-repo), when java_tasks has a pom.
# Re-runs skip every step whose inputs did not change.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-python3}
VENV="$ROOT/.venv"
say() { printf '[setup] %s\n' "$*" >&2; }

APT_PACKAGES=(
  openjdk-17-jdk-headless maven
  libowlapi-java libapache-jena-java libjaxb-api-java liblog4j2-java libslf4j-java junit5
  libmaven-compiler-plugin-java libmaven-jar-plugin-java libmaven-shade-plugin-java
  libsurefire-java libmaven-resources-plugin-java maven-debian-helper
)
# a caller's extra packages (scripts/test.sh: chromium, which renders the report in a test)
read -r -a EXTRA <<<"${DAIKIRI_EXTRA_PACKAGES:-}"
APT_PACKAGES+=("${EXTRA[@]}")
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3-venv python3-dev)
fi
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' \
  || { say "Python >= 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
[ -x "$VENV/bin/python" ] || { say "creating virtualenv $VENV"; "$PYTHON" -m venv "$VENV"; }
stamp="$VENV/.daikiri-stamp"
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing Python dependencies (locked by constraints.txt)"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  # torch is pinned in every pip command: an open range pulls several GB of CUDA wheels.
  "$VENV/bin/python" -m pip install -q -c constraints.txt -e ".[dev]" "torch==2.13.0"
  echo "$want" > "$stamp"
fi

jar=java_tasks/target/daikiri-learner-0.1.0-all.jar
if [ ! -f "$jar" ] || [ -n "$(find java_tasks/pom.xml java_tasks/build.sh java_tasks/src -newer "$jar" -print -quit)" ]; then
  say "building the Java learner (offline Maven against Debian's jars)"
  bash java_tasks/build.sh -DskipTests
elif [ ! -f "${jar%.jar}.jsa" ] || [ "$jar" -nt "${jar%.jar}.jsa" ]; then
  say "recording the learner's class-data-sharing archive"
  bash java_tasks/class-archive.sh "$jar"
fi
say "ready"
