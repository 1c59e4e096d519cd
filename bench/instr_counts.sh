#!/usr/bin/env bash
# Instructions per verification under callgrind, for the core rows of
# `cargo bench --bench verify`: stable on a busy shared machine where wall
# times drift by 2-3x between runs, so the ratio targets of issue 8 (core vs
# raw aws-lc) are also checked this way.
#
# For each algorithm and benchmark, the criterion bench binary runs that one
# benchmark under callgrind (--profile-time: iterations without analysis);
# bench/callgrind_per_call.py then divides the inclusive instruction count of
# the function under test by the number of times the bench loop called it:
#   raw_aws_lc    aws-lc-rs's parsed_verify_sig (what ParsedPublicKey::verify_sig inlines to; HS256: hmac::verify
#                 is inlined into the bench loop: that loop's cost / calls of HMAC_Final)
#   jsonwebtoken  jsonwebtoken::decoding::decode
#   jwtgate       jwtgate_core::gate::Gate::verify_shared (token cache off)
#   jwtgate_cache_hit  the same, cache on
# Needs valgrind (apt-get install valgrind). ~15 s per row.
#   bash bench/instr_counts.sh [ALG ...]     (default: RS256 PS256 ES256 EdDSA HS256)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
exe=$(cargo bench -p jwtgate-core --bench verify --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*verify-[^"]*\)".*/\1/p' | tail -1)
[ -x "$exe" ] || { echo "no verify bench binary" >&2; exit 1; }
out=target/bench-logs/callgrind
mkdir -p "$out"
algs=("$@"); [ ${#algs[@]} -gt 0 ] || algs=(RS256 PS256 ES256 EdDSA HS256)
echo "| alg | bench | instructions per call | × raw |"
echo "|---|---|---|---|"
for alg in "${algs[@]}"; do
  raw=""
  for bench in raw_aws_lc jsonwebtoken jwtgate jwtgate_cache_hit; do
    case $bench in
      raw_aws_lc) fn=('ParsedVerificationAlgorithm>::parsed_verify_sig( |$)')
        [ "$alg" = HS256 ] && fn=('aws-lc-rs-[^/]*/src/hmac.rs:criterion::bencher::Bencher<M>::iter' '_HMAC_Final( |$)') ;;
      jsonwebtoken) fn=(':jsonwebtoken::decoding::decode( |$)') ;;
      *) fn=(':jwtgate_core::gate::Gate::verify_shared( |$)') ;;
    esac
    f="$out/$alg-$bench.out"
    valgrind -q --tool=callgrind --callgrind-out-file="$f" "$exe" --bench --profile-time 1 "^$alg/$bench\$" >/dev/null 2>&1
    n=$(python3 bench/callgrind_per_call.py "$f" "${fn[@]}")
    [ "$bench" = raw_aws_lc ] && raw=$n
    echo "| $alg | $bench | $n | $(python3 -c "print(f'{$n / $raw:.2f}×')") |"
  done
done
