#!/usr/bin/env bash
# Java binding tests: builds libjwtgate, runs the JUnit 5 suite of ffi/java
# (which packs the library into the jar and installs the jar into the local
# Maven repository), then the servlet filter example's end-to-end test in
# examples/java, which loads the library out of that jar.
# Env: JWTGATE_JAVA_PROFILE=release|debug (default debug, like tests/c/run.sh:
# it reuses the library `cargo test --workspace` already built, which keeps CI
# from compiling the whole dependency tree a second time).
# Maven fetches its plugins and test dependencies from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v mvn >/dev/null 2>&1; then
  echo "ffi/java/run_tests.sh: mvn not found; install Maven (Debian: apt-get install maven)" >&2
  exit 1
fi

profile="${JWTGATE_JAVA_PROFILE:-debug}"
cargo_flags=()
[ "$profile" = release ] && cargo_flags=(--release)
echo "[java] building libjwtgate ($profile)"
cargo build -q -p jwtgate-ffi "${cargo_flags[@]}"
target_dir=$(cargo metadata -q --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
native_dir="$target_dir/$profile"
[ -f "$native_dir/libjwtgate.so" ] || { echo "[java] no libjwtgate.so in $native_dir" >&2; exit 1; }

# -ntp keeps download progress out of the log; surefire's summaries stay.
mvn -B -ntp -f ffi/java/pom.xml -Djwtgate.native.dir="$native_dir" install
if [ -f examples/java/pom.xml ]; then
  mvn -B -ntp -f examples/java/pom.xml test
fi
