#!/usr/bin/env bash
# Java binding tests: builds libjwtgate (release), runs the JUnit 5 suite of
# ffi/java (which installs the jar into the local Maven repository), then the
# servlet filter example's end-to-end test in examples/java.
# Maven fetches its plugins and test dependencies from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v mvn >/dev/null 2>&1; then
  echo "ffi/java/run_tests.sh: mvn not found; install Maven (Debian: apt-get install maven)" >&2
  exit 1
fi

cargo build --release -p jwtgate-ffi --quiet

# -ntp keeps download progress out of the log; surefire's summaries stay.
mvn -B -ntp -f ffi/java/pom.xml install
if [ -f examples/java/pom.xml ]; then
  mvn -B -ntp -f examples/java/pom.xml test
fi
