//! The background refresher lives exactly as long as its gate. A test binary
//! of its own, because it counts this process's `jwtgate-keys` threads.

#[path = "../../tests/keyserver/mod.rs"]
mod keyserver;

use std::sync::Arc;
use std::time::Duration;

use jwtgate_core::{Alg, Gate, ManualClock};
use keyserver::{World, wait_until};
use keyserver::jwk::{jwks, token};

const NOW: u64 = 1_900_000_000;

fn refresher_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|tasks| {
            tasks
                .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
                .filter(|name| name.trim() == "jwtgate-keys")
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn the_refresher_refreshes_in_the_background_and_ends_with_its_gate() {
    if !std::path::Path::new("/proc/self/task").exists() {
        eprintln!("skipped: no /proc to count threads on this platform");
        return;
    }
    let w = World::new("lifecycle");
    w.server.publish("/jwks", jwks(&[("rsa2048", "k")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let props = w.props("httpsjwks", &w.server.url("/jwks"), "yfs.yfs.jwt.verify.keyloader.cache.ttl=60");
    let g = Gate::from_properties_with_clock(&props, clock.clone()).unwrap();
    // The thread names itself once it runs.
    wait_until("the refresher to start", || refresher_threads() == 1);
    assert_eq!(w.server.hits("/jwks"), 1);
    // Past the ttl, a verify is served at once and the refresh happens
    // beside it, on the refresher thread.
    clock.advance(61);
    assert!(g.verify(&token(Alg::RS256, "rsa2048", Some("k"), "a")).is_ok());
    wait_until("a background refresh", || w.server.hits("/jwks") == 2);
    drop(g);
    wait_until("the refresher to end", || refresher_threads() == 0);
    clock.advance(61);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(w.server.hits("/jwks"), 2, "no fetch after the gate is gone");
}
