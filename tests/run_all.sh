#!/usr/bin/env bash
# Runs every test of jwtgate: Rust, C, Python, Java. Installs what it needs
# (a Python venv with maturin and pytest under .venv, Maven dependencies).
# Usage: bash tests/run_all.sh        (from anywhere inside the clone)
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { apt-get install -y -q nginx-light || { apt-get update -q && apt-get install -y -q nginx-light; } || sudo -n apt-get install -y -q nginx-light || true; } >/dev/null 2>&1  # for cli/tests/serve_nginx.rs (skips without it)
step "Rust: cargo test --workspace"
cargo test --workspace --quiet

# Each language owns its runner; all of them must exist and pass.
for runner in tests/c/run.sh python/run_tests.sh ffi/java/run_tests.sh; do
  [ -f "$runner" ] || { echo "missing test runner $runner" >&2; exit 1; }
  step "$runner"
  bash "$runner"
done
step "all tests passed"
