#!/usr/bin/env bash
# Record a class-data-sharing (AppCDS) archive for the learner jar, beside it (X.jar -> X.jsa):
#   bash java_tasks/class-archive.sh [JAR]     # default: target/daikiri-learner-0.1.0-all.jar
#
# The JVM runs the jar's self-test (which also proves the jar works) and writes every class it
# loaded, parsed and verified, to the archive; a learner started with
# -XX:SharedArchiveFile=X.jsa maps them instead of loading them from the jar, which shortens
# its start-up (measured in README.md, "The learner"). The archive is only valid for this jar
# at this path and this JVM build, so it is recorded where it is used (after each build, and
# in each image); a missing or stale archive is ignored by the JVM, never an error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$(realpath "${1:-$here/target/daikiri-learner-0.1.0-all.jar}")"
archive="${jar%.jar}.jsa"
rm -f "$archive"
# The JVM's CDS warnings (classes it cannot archive) go to stdout; the self-test's verdict is
# the last line there, its failure reason on stderr.
# Recorded under the collector every learner runs with (daikiri.learner.LEARNER_GC): the
# serial-collector learner ran a third slower on an archive recorded under the default (G1).
output="$(java -Xmx6g -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$archive" -jar "$jar" self-test)"
grep '^self-test' <<<"$output"
[ -s "$archive" ] || { echo "no class-data-sharing archive written to $archive" >&2; exit 1; }
