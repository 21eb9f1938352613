#!/usr/bin/env bash
# Build (and by default test) the learner offline against Debian's packaged jars, then record
# its class-data-sharing archive (class-archive.sh, which runs the jar's self-test):
#   bash java_tasks/build.sh            # mvn package, JUnit tests included
#   bash java_tasks/build.sh -DskipTests
#
# Works around a Debian packaging bug: Debian's jena-core 4.5 renames Jena's embedded Xerces
# classes to the package `xerces.*` but leaves their message resources under
# `org/apache/jena/ext/xerces/`, so initialising XSD datatypes (any RDF parse) fails with
# "internal error". The resources are copied from the installed jar to where the renamed
# classes look for them, into target/, and packaged into the learner's jar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
REPO=${MAVEN_REPO:-/usr/share/maven-repo}
JENA_CORE="$REPO/org/apache/jena/jena-core/4.5.0/jena-core-4.5.0.jar"
generated=target/debian-jena-resources
if [ ! -d "$generated/xerces" ]; then
  [ -f "$JENA_CORE" ] || { echo "missing $JENA_CORE (apt-get install libapache-jena-java)" >&2; exit 1; }
  tmp=$(mktemp -d)
  (cd "$tmp" && jar xf "$JENA_CORE" org/apache/jena/ext/xerces)
  mkdir -p "$generated"
  cp -r "$tmp/org/apache/jena/ext/xerces" "$generated/xerces"
  rm -rf "$tmp"
fi
# (Maven's console library prints bare colour resets even with -q; stripped, exit status kept)
mvn -q -o -Dmaven.repo.local="$REPO" "$@" package 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g'
bash class-archive.sh target/daikiri-learner-0.1.0-all.jar
