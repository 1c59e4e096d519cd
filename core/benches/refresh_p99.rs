//! Does a key-set refresh in progress move verification latency? RS256
//! verifications (token cache off) against an httpsjwks profile served by
//! the loopback HTTPS key server, once with no refresh and once with the
//! clock pushed past the ttl every 200 verifications, so the refresher
//! thread fetches and swaps the key set again and again meanwhile.
//! Reports p50 / p99 of each and their ratio.
//!
//!     cargo bench -p jwtgate-core --bench refresh_p99

#[path = "../../tests/keyserver/mod.rs"]
mod keyserver;

use std::sync::Arc;
use std::time::{Duration, Instant};

use jwtgate_core::{Alg, Gate, ManualClock};
use keyserver::World;
use keyserver::jwk::{jwks, token};

const NOW: u64 = 1_900_000_000;
const N: usize = 20_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p) as usize]
}

fn run(gate: &Gate, clock: &ManualClock, token: &str, refresh_every: Option<usize>) -> (Duration, Duration) {
    let mut lat = Vec::with_capacity(N);
    for i in 0..N {
        if let Some(k) = refresh_every
            && i % k == 0 {
                clock.advance(61); // past cache.ttl=60: the refresher fetches
            }
        let t = Instant::now();
        std::hint::black_box(gate.verify_shared(token, None).unwrap());
        lat.push(t.elapsed());
    }
    lat.sort();
    (percentile(&lat, 0.5), percentile(&lat, 0.99))
}

fn main() {
    let w = World::new("refresh-p99");
    w.server.publish("/jwks", jwks(&[("rsa2048", "k1"), ("rsa2048b", "k2")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let props = w.props(
        "httpsjwks",
        &w.server.url("/jwks"),
        "yfs.yfs.jwt.verify.keyloader.cache.ttl=60\nyfs.yfs.jwt.verify.tokencache.size=0",
    );
    let gate = Gate::from_properties_with_clock(&props, clock.clone()).unwrap();
    let tok = token(Alg::RS256, "rsa2048", Some("k1"), "alice");
    run(&gate, &clock, &tok, None); // warm-up
    let (p50_quiet, p99_quiet) = run(&gate, &clock, &tok, None);
    let fetches_before = w.server.hits("/jwks");
    let (p50_busy, p99_busy) = run(&gate, &clock, &tok, Some(200));
    let fetches = w.server.hits("/jwks") - fetches_before;
    println!("no refresh:      p50 {p50_quiet:?}, p99 {p99_quiet:?}");
    println!("refreshing:      p50 {p50_busy:?}, p99 {p99_busy:?} ({fetches} key-set fetches during {N} verifications)");
    println!("p99 ratio (refreshing / quiet): {:.2}", p99_busy.as_secs_f64() / p99_quiet.as_secs_f64());
}
