//! Throughput of one gate from 1 and 2 threads (RS256, no token cache, and
//! cache hits): does verification scale, i.e. no global lock and no
//! contended shared state on the hot path?
//!
//!     cargo bench -p jwtgate-core --bench threads

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use jwtgate_core::testkit::sign;
use jwtgate_core::{Alg, Gate, ManualClock};

const NOW: u64 = 1_767_225_600;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Verifications per second over `secs`, from `threads` threads.
fn throughput(gate: &Arc<Gate>, token: &str, threads: usize, secs: f64) -> f64 {
    let start = Instant::now();
    let until = start + Duration::from_secs_f64(secs);
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (g, t) = (gate.clone(), token.to_string());
            std::thread::spawn(move || {
                let mut n = 0u64;
                while Instant::now() < until {
                    for _ in 0..64 {
                        g.verify_shared(&t, None).unwrap();
                    }
                    n += 64;
                }
                n
            })
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    total as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let key = base64::engine::general_purpose::STANDARD.encode(fixture("rsa2048.pub.pem"));
    let token = sign(Alg::RS256, r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#, &format!(r#"{{"sub":"alice","exp":{}}}"#, NOW + 3600), &fixture("rsa2048.pk8.pem"));
    println!("cores available: {}", std::thread::available_parallelism().map_or(0, |n| n.get()));
    for (label, cache) in [("RS256 verify, no cache", 0), ("cache hit", 10_000)] {
        let props = format!("yfs.yfs.jwt.verify.propkeyloader.k1={key}\nyfs.yfs.jwt.verify.tokencache.size={cache}\n");
        let gate = Arc::new(Gate::from_properties_with_clock(&props, Arc::new(ManualClock::new(NOW))).unwrap());
        let mut ratios = Vec::new();
        for _ in 0..3 {
            let one = throughput(&gate, &token, 1, 1.0);
            let two = throughput(&gate, &token, 2, 1.0);
            ratios.push((one, two, two / one));
        }
        ratios.sort_by(|a, b| a.2.total_cmp(&b.2));
        let (one, two, r) = ratios[1];
        println!("{label}: 1 thread {one:.0}/s, 2 threads {two:.0}/s, ratio {r:.2} (median of 3)");
    }
}
