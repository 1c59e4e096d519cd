#!/usr/bin/env bash
# Builds libjwtgate, compiles the C tests with gcc against the committed
# include/jwtgate.h, runs them, then runs them again under valgrind memcheck
# (zero errors, zero definite leaks). Called by tests/run_all.sh.
# Env: JWTGATE_C_PROFILE=release (default debug); JWTGATE_NO_VALGRIND=1 skips
# the memcheck pass (for quick local runs only; CI always runs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
profile="${JWTGATE_C_PROFILE:-debug}"
cargo_flags=()
[ "$profile" = release ] && cargo_flags=(--release)

echo "[c] building libjwtgate ($profile)"
cargo build -q -p jwtgate-ffi "${cargo_flags[@]}"
target_dir=$(cargo metadata -q --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
libdir="$target_dir/$profile"
[ -f "$libdir/libjwtgate.so" ] && [ -f "$libdir/libjwtgate.a" ] || { echo "[c] no libjwtgate in $libdir" >&2; exit 1; }

out="$target_dir/c-tests"
mkdir -p "$out"
cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror -g -O1 -Iinclude -Itests/c)
tests=(verify_demo errors keyloader reload threads vectors)
for t in "${tests[@]}"; do
  gcc "${cflags[@]}" "tests/c/$t.c" -o "$out/$t" -L"$libdir" -Wl,-rpath,"$libdir" -ljwtgate -lpthread
done
# The header must also work from C++ (when a C++ compiler is present)...
if command -v g++ >/dev/null; then
  g++ -x c++ -std=c++11 -Wall -Wextra -Werror -Iinclude -fsyntax-only - <<<'#include "jwtgate.h"
int main() { return jwtgate_error_reason(JWTGATE_OK)[0] == 0; }'
else
  echo "[c] SKIP C++ header check: no g++"
fi
# ...and with the static library.
gcc "${cflags[@]}" tests/c/verify_demo.c -o "$out/verify_demo_static" "$libdir/libjwtgate.a" -lpthread -ldl -lm

# The install + pkg-config + example steps of docs/C.md, into a scratch prefix.
need() { # $1: command, $2: Debian package
  command -v "$1" >/dev/null && return
  echo "[c] installing $2"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "$2" >/dev/null
}
need pkg-config pkg-config
need make make
prefix="$out/prefix"
rm -rf "$prefix" "$out/example"
JWTGATE_PROFILE="$profile" bash ffi/install.sh "$prefix" >/dev/null
mkdir -p "$out/example" && cp examples/c/Makefile examples/c/*.c "$out/example/"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" make -s -C "$out/example" jwtgate_verify jwtgate_verify_static CFLAGS="-O2 -Wall -Wextra -Werror"
for exe in jwtgate_verify jwtgate_verify_static; do
  echo "[c] example $exe"
  "$out/example/$exe" examples/customer_overrides.properties - <examples/demo.jwt | grep -q '"user":"testuser"'
  printf 'Host: h\r\nCookie: jwtToken=%s\r\n\r\n' "$(cat examples/demo.jwt)" |
    "$out/example/$exe" examples/customer_overrides.properties --request xapirest | grep -q '"email":"test@foo.com"'
  set +e
  "$out/example/$exe" examples/customer_overrides.properties not.a.token 2>/dev/null; refused=$?
  "$out/example/$exe" /nonexistent.properties - </dev/null 2>/dev/null; config=$?
  set -e
  [ "$refused" = 1 ] && [ "$config" = 2 ] || { echo "[c] $exe exit codes $refused/$config, want 1/2" >&2; exit 1; }
done

have_vectors=1
if ! compgen -G "tests/vectors/*.json" >/dev/null; then
  have_vectors=0
  echo "[c] SKIP vectors: tests/vectors/ holds no .json files yet"
fi

run_each() { # $1: prefix command (may be empty)
  local t
  for t in "${tests[@]}" verify_demo_static; do
    if [ "$t" = vectors ] && [ "$have_vectors" = 0 ]; then continue; fi
    echo "[c] ${1:+$1 }$t"
    ${1:+$1} "$out/$t"
  done
}
run_each ""

if [ "${JWTGATE_NO_VALGRIND:-0}" = 1 ]; then
  echo "[c] valgrind pass skipped (JWTGATE_NO_VALGRIND=1)"
  exit 0
fi
if ! command -v valgrind >/dev/null; then
  echo "[c] installing valgrind"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq valgrind >/dev/null
fi
# Fewer thread iterations: valgrind serialises threads and runs ~30x slower.
export JWTGATE_TEST_ITERS=24
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
run_each "$vg"
echo "[c] all C tests passed, also under valgrind memcheck"
