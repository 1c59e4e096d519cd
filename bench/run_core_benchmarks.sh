#!/usr/bin/env bash
# Core benchmarks of issue 8, repeated so BENCHMARKS.md can give min/median/max:
#   - `cargo bench -p jwtgate-core --bench verify` RUNS times (default 5), then
#     bench/criterion_summary.py over the logs (ratios taken within each run);
#   - `cargo bench -p jwtgate-core --bench threads` once (it already takes the
#     median of 3 one-vs-two-thread rounds).
# Logs go to target/bench-logs/. Not part of tests/run_all.sh.
#   bash bench/run_core_benchmarks.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
logs=target/bench-logs
mkdir -p "$logs"
machine_line() { echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"; }
machine_line
cargo bench -q -p jwtgate-core --bench verify --bench threads --no-run
files=()
for i in $(seq 1 "$runs"); do
  f="$logs/core-verify-$i.log"
  echo "[core] verify run $i/$runs"
  cargo bench -q -p jwtgate-core --bench verify >"$f" 2>&1
  files+=("$f")
done
python3 bench/criterion_summary.py "${files[@]}"
echo
echo "[core] threads"
cargo bench -q -p jwtgate-core --bench threads 2>&1 | tee "$logs/core-threads.log"
machine_line
