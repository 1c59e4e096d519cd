#!/usr/bin/env bash
# Java benchmark (JMH): jwtgate over JNI vs jose4j vs nimbus-jose-jwt, on the
# tokens of bench/make_tokens.sh, with the release libjwtgate. Not part of the
# tests. Extra arguments go to JMH (e.g. `-f 1 -wi 2 -i 3` for a quick run, or a
# benchmark regex).
#   bash ffi/java/jmh/run.sh [JMH options]
set -euo pipefail
cd "$(dirname "$0")/../../.."
tokens=$(bash bench/make_tokens.sh)
cargo build -q --release -p jwtgate-ffi
target_dir=$(cargo metadata -q --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
lib="$target_dir/release/libjwtgate.so"
mvn -B -ntp -q -f ffi/java/jmh/pom.xml package
out="$target_dir/bench-logs"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | head -1
# Defaults: 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement per benchmark and alg (~4 min in all: 4 benchmarks x 5 algs + the JNI probe).
java -Djwtgate.library.path="$lib" -Dbench.tokens="$tokens" -Dbench.keys=tests/fixtures/keys \
  -jar ffi/java/jmh/target/benchmarks.jar -f 1 -wi 3 -w 1s -i 5 -r 1s \
  -rf json -rff "$out/jmh.json" "$@" 2> >(grep -v "^SLF4J" >&2) | grep -E "^(Benchmark|VerifyBench|JniOverheadBench)" || true
python3 ffi/java/jmh/summarize.py "$out/jmh.json"
