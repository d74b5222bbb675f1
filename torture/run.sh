#!/usr/bin/env bash
# The crash torture as a command (docs/testing.md). Builds the torture module and what it needs
# with the Maven wrapper when a source changed since the last build, then runs it:
#
#   torture/run.sh --cycles 20 --seed 7                 # 20 kill cycles, reproducible choices
#   torture/run.sh --duration 30m --cycles 100000       # as many cycles as fit in 30 minutes
#   torture/run.sh --help
#
# The work directory (--dir, kept; default: target/torture-<seed>-<time> under the current directory,
# deleted after a clean run) holds the store, the keystore and, when a cycle fails, its journal.
# Exit status: 0 clean, 1 violation, 2 bad options.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="$here/torture/target"
stamp="$target/classpath.txt"

needs_build() {
  [ ! -f "$stamp" ] && return 0
  [ -n "$(find "$here" \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' \) \
      -not -path '*/target/*' -newer "$stamp" -print -quit 2>/dev/null)" ]
}

if needs_build; then
  echo "Building the torture with ./mvnw..." >&2
  (cd "$here" && ./mvnw -q -B -ntp -DskipTests package -pl torture -am) >&2
  touch "$stamp"
fi

exec java ${TORTURE_JAVA_OPTS:-} -cp "$target/classes:$(cat "$stamp")" dev.coffer.torture.TortureMain "$@"
