#!/usr/bin/env bash
# C benchmark: libjwtgate (release build, shared library) vs Debian's libjwt
# (libjwt-dev, installed with apt-get when missing) on the tokens of
# bench/make_tokens.sh. Not part of tests/run_all.sh.
#   bash tests/c/bench/run.sh [ROUNDS]      (default 7)
set -euo pipefail
cd "$(dirname "$0")/../../.."
if [ ! -f /usr/include/jwt.h ]; then
  echo "[c-bench] installing libjwt-dev"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq libjwt-dev pkg-config >/dev/null
fi
tokens=$(bash bench/make_tokens.sh)
cargo build -q --release -p jwtgate-ffi
target_dir=$(cargo metadata -q --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
libdir="$target_dir/release"
exe="$target_dir/c-bench/jwtgate_vs_libjwt"
mkdir -p "$(dirname "$exe")"
gcc -std=c11 -O2 -Wall -Wextra -Werror -Iinclude -DLIBJWT_VERSION="\"$(pkg-config --modversion libjwt)\"" \
  tests/c/bench/jwtgate_vs_libjwt.c -o "$exe" \
  -L"$libdir" -Wl,-rpath,"$libdir" -ljwtgate $(pkg-config --libs libjwt) -lpthread
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$exe" "$tokens" tests/fixtures/keys "${1:-7}"
