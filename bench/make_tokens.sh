#!/usr/bin/env bash
# Mints the benchmark tokens every language's bench verifies, so all of them
# time the very same bytes: target/bench-tokens/<ALG>.jwt for RS256, PS256,
# ES256, EdDSA and HS256, plus hs256.secret and props-<ALG>.properties (the
# jwtgate configuration for that algorithm without a tokencache line: each
# bench appends `yfs.yfs.jwt.verify.tokencache.size=0` for cache misses and a
# non-zero size for the cache-hit rows).
#
# The token is the realistic one of issue 8 and core/benches/verify.rs: header
# alg, kid, typ; ~300-byte payload with iss, sub, aud, exp, iat, nbf, email, a
# nested object and five groups. exp is in 2100 so every peer library can keep
# checking expiry against its own wall clock.
#   bash bench/make_tokens.sh        (prints the output directory)
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench-tokens
mkdir -p "$out"
K=tests/fixtures/keys
SECRET=bench-secret-0123456789abcdef0123456789abcdef
printf '%s' "$SECRET" >"$out/hs256.secret"
payload='{"iss":"https://idp.example.com","sub":"alice","aud":"api","exp":4102444800,"iat":1767225590,"nbf":1767225590,"email":"alice@example.com","org":{"id":"acme","dept":"sales","region":"emea"},"groups":["admins","sales","emea","csr","ops"],"jti":"6c1d1f0e-55e8-4d3c-9d7e-3c2b1a0f9e8d"}'
cargo build -q -p jwtgate-core --features testkit --example mint
target_dir=$(cargo metadata -q --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
mint="$target_dir/debug/examples/mint"
common='yfs.yfs.jwt.verify.audiences=api
yfs.yfs.jwt.verify.issuers=https://idp.example.com
yfs.yfs.jwt.defclaimparser.user.email.path=email'
for spec in RS256:rsa2048 PS256:rsa2048 ES256:ec256 EdDSA:ed25519 HS256:; do
  alg=${spec%%:*} key=${spec#*:}
  if [ "$alg" = HS256 ]; then
    "$mint" "$alg" "$out/hs256.secret" '{"kid":"k1","typ":"JWT"}' "$payload" >"$out/$alg.jwt"
    printf 'yfs.yfs.jwt.verify.sharedkey=%s\n%s\n' "$SECRET" "$common" >"$out/props-$alg.properties"
  else
    "$mint" "$alg" "$K/$key.pk8.pem" '{"kid":"k1","typ":"JWT"}' "$payload" >"$out/$alg.jwt"
    printf 'yfs.yfs.jwt.verify.propkeyloader.k1=%s\n%s\n' "$(base64 -w0 "$K/$key.pub.pem")" "$common" >"$out/props-$alg.properties"
  fi
done
echo "$out"
