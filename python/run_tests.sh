#!/usr/bin/env bash
# Python tests of jwtgate (called by tests/run_all.sh after `cargo test --workspace`).
# Creates or reuses the venv .venv at the repository root, installs maturin,
# pytest and the interop libraries, builds the extension into it with
# `maturin develop`, then checks the stubs and runs pytest on python/tests.
#
#   bash python/run_tests.sh                    # from anywhere in the clone
#   JWTGATE_PY_RELEASE=1 bash python/run_tests.sh   # optimised build (slower to build)
#
# The default is cargo's dev profile: it reuses most of what
# `cargo test --workspace` just compiled, which keeps CI to a few minutes;
# the tests do not depend on speed (the thread speedup is only reported).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"
# Pinned: pytest turns warnings into errors, so a new release of a peer
# library must not be able to break CI on its own.
"$py" -m pip install -q --disable-pip-version-check \
  "maturin==1.16.0" "pytest==9.2.0" "pytest-timeout==2.4.0" "mypy==2.4.1" \
  "PyJWT[crypto]==2.15.1" "joserfc==1.8.0" "jwcrypto==1.6.1" "cryptography==50.0.2"

cd "$root/python"
VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop -q ${JWTGATE_PY_RELEASE:+--release}

echo "python: stubtest + mypy --strict"
"$py" -m mypy.stubtest jwtgate._jwtgate
"$py" -m mypy --strict jwtgate

echo "python: pytest"
"$py" -m pytest -q tests
