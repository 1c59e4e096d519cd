#!/usr/bin/env bash
# Load benchmark of `jwtgate serve` with wrk on loopback (not a test).
# Cases, on the demo token and examples/customer_overrides.properties:
#   healthz - GET /healthz: the HTTP floor (hyper + loopback), no verification
#   cached  - the same token again and again: the per-thread verified-token cache answers
#   rs256   - verify.tokencache.size=0: a full RS256 (2048-bit) verification per request
# The server runs on CPU 0 with one worker thread, wrk on CPU 1, so the
# numbers are per server core and the load generator does not steal from it.
#
# Usage: bash cli/benches/serve_load.sh [seconds per case, default 10]
# Needs: wrk (apt-get install wrk), taskset (util-linux). Builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
conns=${CONNS:-32}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

cargo build --release -q -p jwtgate
bin=target/release/jwtgate
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# The example configuration, with its relative key path made absolute.
sed "s#=keys/#=$PWD/examples/keys/#" examples/customer_overrides.properties > "$tmp/cached.properties"
{ cat "$tmp/cached.properties"; echo "yfs.yfs.jwt.verify.tokencache.size=0"; } > "$tmp/rs256.properties"
token=$(tr -d '\n' < examples/demo.jwt)

pin() { if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }

echo "machine: $(uname -sm), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
echo "wrk: $secs s, 1 thread, $conns connections, keep-alive; server: 1 worker thread"
printf '%-8s %12s %10s %10s\n' case "requests/s" p50 p99
cp "$tmp/cached.properties" "$tmp/healthz.properties"
for case in healthz cached rs256; do
  pin 0 "$bin" serve --config "$tmp/$case.properties" --listen 127.0.0.1:0 --poll-ms 0 --threads 1 > "$tmp/out" 2>"$tmp/err" &
  server=$!
  for _ in $(seq 100); do grep -q listening "$tmp/out" 2>/dev/null && break; sleep 0.05; done
  base=$(sed -n 's/.*listening on //p' "$tmp/out")
  url="$base/auth/xapirest"; [ "$case" = healthz ] && url="$base/healthz"
  # Check the verdict first: a benchmark of refusals would be meaningless.
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url" || true)
  [ "$code" = 200 ] || { echo "$case: the check answered $code, not 200" >&2; cat "$tmp/err" >&2; exit 1; }
  pin 1 wrk -t1 -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $token" "$url" > "$tmp/wrk"
  rps=$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk")
  errors=$(grep -E 'Non-2xx|Socket errors' "$tmp/wrk" || true)
  printf '%-8s %12s %10s %10s %s\n' "$case" "$rps" "$p50" "$p99" "$errors"
  # The server's own view: how many checks it allowed.
  curl -s "$base/metrics" | grep '^jwtgate_auth_allowed_total' | sed 's/^/  server: /' || true
  kill "$server"; wait "$server" 2>/dev/null || true; server=
done
