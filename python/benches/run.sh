#!/usr/bin/env bash
# Python benchmark: jwtgate vs PyJWT, joserfc and authlib (bench_verify.py).
# Installs the peers into the repository's .venv, builds an optimised
# (--release) wheel of jwtgate and unpacks it under target/bench-python, which
# goes first on PYTHONPATH: the .venv's editable debug install that
# python/run_tests.sh uses is left alone. Not part of tests/run_all.sh.
#   bash python/benches/run.sh [ROUNDS]      (default 7)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
venv="$root/.venv"
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
py="$venv/bin/python"
"$py" -m pip install -q --disable-pip-version-check "maturin>=1.9,<2" \
  "PyJWT[crypto]>=2.8" "joserfc>=1.0" "authlib>=1.3" "cryptography>=42"
tokens=$(bash bench/make_tokens.sh)
target_dir=$(cargo metadata -q --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
wheels="$target_dir/bench-wheels"
rm -rf "$wheels"
(cd python && VIRTUAL_ENV="$venv" "$venv/bin/maturin" build -q --release -o "$wheels")
"$py" -m pip install -q --disable-pip-version-check --no-deps --upgrade --target "$target_dir/bench-python" "$wheels"/jwtgate-*.whl
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
PYTHONPATH="$target_dir/bench-python" "$py" python/benches/bench_verify.py "$tokens" tests/fixtures/keys "${1:-7}"
