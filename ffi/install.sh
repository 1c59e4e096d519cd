#!/usr/bin/env bash
# Builds libjwtgate in release mode and installs it under PREFIX:
#   PREFIX/include/jwtgate.h, PREFIX/lib/libjwtgate.{so,a},
#   PREFIX/lib/pkgconfig/jwtgate.pc
# Usage: ffi/install.sh [PREFIX]   (default /usr/local; use e.g. $PWD/dist
# to install without root, then export PKG_CONFIG_PATH=$PWD/dist/lib/pkgconfig)
# JWTGATE_PROFILE=debug installs the debug build instead (tests/c/run.sh uses
# it to check these steps without a second, slow release build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${1:-/usr/local}"
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
cd "$root"
profile="${JWTGATE_PROFILE:-release}"
if [ "$profile" = release ]; then cargo build -q --release -p jwtgate-ffi; else cargo build -q -p jwtgate-ffi; fi
target_dir=$(cargo metadata -q --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
version=$(sed -n 's/^#define JWTGATE_VERSION "\(.*\)"$/\1/p' include/jwtgate.h)
install -d "$prefix/include" "$prefix/lib/pkgconfig"
install -m 644 include/jwtgate.h "$prefix/include/"
install -m 755 "$target_dir/$profile/libjwtgate.so" "$prefix/lib/"
install -m 644 "$target_dir/$profile/libjwtgate.a" "$prefix/lib/"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" ffi/jwtgate.pc.in >"$prefix/lib/pkgconfig/jwtgate.pc"
echo "installed libjwtgate $version under $prefix"
