//! Resident memory across 10 million verifications with a full token cache:
//! 20,000 distinct tokens cycle through a 10,000-entry cache, so it is
//! always full and always evicting. RSS is read from /proc/self/statm.
//!
//!     cargo bench -p jwtgate-core --bench memory [-- VERIFICATIONS]

use std::sync::Arc;
use std::time::Instant;

use jwtgate_core::testkit::sign;
use jwtgate_core::{Alg, Gate, ManualClock};

const NOW: u64 = 1_767_225_600;
const SECRET: &str = "bench-secret-0123456789abcdef0123456789abcdef";

fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4
}

fn main() {
    let total: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000_000);
    let tokens: Vec<String> = (0..20_000)
        .map(|i| {
            let payload = format!(
                r#"{{"iss":"https://idp.example.com","sub":"user{i}","exp":{},"email":"u{i}@example.com","groups":["a","b","c"]}}"#,
                NOW + 3600
            );
            sign(Alg::HS256, r#"{"alg":"HS256","typ":"JWT"}"#, &payload, SECRET.as_bytes())
        })
        .collect();
    let props = format!("yfs.yfs.jwt.verify.sharedkey={SECRET}\nyfs.yfs.jwt.verify.tokencache.size=10000\n");
    let gate = Gate::from_properties_with_clock(&props, Arc::new(ManualClock::new(NOW))).unwrap();
    let start = Instant::now();
    let mut samples = Vec::new();
    for n in 0..total {
        let t = &tokens[(n % tokens.len() as u64) as usize];
        std::hint::black_box(gate.verify_shared(t, None).unwrap());
        if (n + 1) % (total / 10).max(1) == 0 {
            samples.push((n + 1, rss_kib()));
        }
    }
    let first = samples.first().map_or(0, |s| s.1);
    let last = samples.last().map_or(0, |s| s.1);
    for (n, kib) in &samples {
        println!("after {n:>10} verifications: RSS {kib} KiB");
    }
    let growth = if first > 0 { (last as f64 - first as f64) / first as f64 * 100.0 } else { 0.0 };
    println!(
        "{total} verifications in {:.1} s; RSS {first} KiB after the first tenth, {last} KiB at the end: {growth:+.1}%",
        start.elapsed().as_secs_f64()
    );
}
