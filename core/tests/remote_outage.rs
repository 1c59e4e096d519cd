//! Remote key sources when the key server fails: serving from cache while
//! it is down, maxstale, cold starts against every kind of failure,
//! `cache.dir` across a restart, the z/OSMF failover scenario, and
//! verification during refreshes.

#[path = "../../tests/keyserver/mod.rs"]
mod keyserver;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jwtgate_core::{Alg, Gate, ManualClock, Reason};
use keyserver::jwk::{jwks, token};
use keyserver::{Fault, KeyServer, World, wait_until};

const NOW: u64 = 1_900_000_000;

fn gate(props: &str, clock: &Arc<ManualClock>) -> Gate {
    Gate::from_properties_with_clock(props, clock.clone()).expect("config loads even when the key server fails")
}

#[test]
fn a_failing_key_server_is_served_from_cache_whatever_the_failure() {
    let faults = [Fault::Status(500), Fault::Status(404), Fault::Garbage, Fault::NotAKeySet, Fault::Oversized, Fault::OversizedUnannounced];
    for (i, fault) in faults.into_iter().enumerate() {
        let w = World::new("cached");
        w.server.publish("/jwks", jwks(&[("rsa2048", "k")]));
        let clock = Arc::new(ManualClock::new(NOW));
        let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), "yfs.yfs.jwt.verify.keyloader.cache.ttl=600"), &clock);
        let ok = token(Alg::RS256, "rsa2048", Some("k"), "a");
        assert!(g.verify(&ok).is_ok());
        w.server.fault(fault.clone());
        clock.advance(601); // due: the refresher fetches and fails
        assert!(g.verify(&ok).is_ok(), "case {i} {fault:?}");
        wait_until("the failed refresh", || g.stats().profiles[0].source.failures >= 1);
        assert!(g.verify(&ok).is_ok(), "case {i} {fault:?}: the last good set keeps serving");
        let s = g.stats().profiles[0].source.clone();
        assert!(s.stale, "case {i}: reported as stale");
        assert_eq!(s.keys.len(), 1);
        assert!(s.last_error.is_some());
    }
}

#[test]
fn a_stopped_server_is_served_from_cache_until_maxstale_then_unavailable() {
    let mut w = World::new("maxstale");
    w.server.publish("/jwks", jwks(&[("ec256", "e")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let extra = "yfs.yfs.jwt.verify.keyloader.cache.ttl=600\nyfs.yfs.jwt.verify.keyloader.cache.maxstale=3600";
    let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), extra), &clock);
    let ok = token(Alg::ES256, "ec256", Some("e"), "a");
    assert!(g.verify(&ok).is_ok());
    w.server.stop();
    clock.advance(600 + 3599);
    assert!(g.verify(&ok).is_ok(), "within ttl + maxstale the cached set serves");
    clock.advance(2);
    let started = Instant::now();
    let e = g.verify(&ok).unwrap_err();
    assert_eq!(e.reason(), Reason::KeySourceUnavailable, "{e}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(g.stats().profiles[0].source.keys.is_empty(), "an expired set is not reported as served");
    // The server comes back: the next attempt after the backoff recovers.
    w.server.restart();
    clock.advance(60);
    assert!(g.verify(&ok).is_ok());
}

#[test]
fn cold_start_against_each_failure_is_key_source_unavailable_quickly() {
    let cases: Vec<(&str, Option<Fault>)> = vec![
        ("stopped", None),
        ("500", Some(Fault::Status(500))),
        ("404", Some(Fault::Status(404))),
        ("garbage", Some(Fault::Garbage)),
        ("not a key set", Some(Fault::NotAKeySet)),
        ("oversized", Some(Fault::Oversized)),
        ("oversized, no length", Some(Fault::OversizedUnannounced)),
        ("slow", Some(Fault::Slow(Duration::from_secs(3)))),
    ];
    let ok = token(Alg::RS256, "rsa2048", Some("k"), "a");
    std::thread::scope(|scope| {
        for (name, fault) in cases {
            let ok = ok.clone();
            scope.spawn(move || {
                let mut w = World::new("cold");
                w.server.publish("/jwks", jwks(&[("rsa2048", "k")]));
                match &fault {
                    None => w.server.stop(),
                    Some(f) => w.server.fault(f.clone()),
                }
                let clock = Arc::new(ManualClock::new(NOW));
                let started = Instant::now();
                // timeout=1: the slow server (3 s) must not hold the load or a verify longer.
                let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), "yfs.yfs.jwt.verify.keyloader.timeout=1"), &clock);
                let e = g.verify(&ok).unwrap_err();
                let took = started.elapsed();
                assert_eq!(e.reason(), Reason::KeySourceUnavailable, "{name}: {e}");
                assert!(took < Duration::from_millis(2500), "{name}: load + verify took {took:?}");
                assert!(!e.message().contains(&ok), "{name}: the message must not echo the token");
                // A burst of verifies while failing does not hammer the server.
                let hits = w.server.hits("/jwks");
                for _ in 0..50 {
                    assert_eq!(g.verify(&ok).unwrap_err().reason(), Reason::KeySourceUnavailable);
                }
                assert_eq!(w.server.hits("/jwks"), hits, "{name}: failures back off");
                // Recovery: the server heals, time passes, the next verify fetches.
                match &fault {
                    None => w.server.restart(),
                    Some(_) => w.server.fault(Fault::None),
                }
                clock.advance(2);
                wait_until("recovery", || g.verify(&ok).is_ok());
            });
        }
    });
}

#[test]
fn restart_during_an_outage_verifies_from_cache_dir() {
    let mut w = World::new("disk");
    w.server.publish("/jwks", jwks(&[("rsa2048", "k"), ("ed25519", "d")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let cache = w.dir.join("cache");
    let props = w.props("httpsjwks", &w.server.url("/jwks"), &format!("yfs.yfs.jwt.verify.keyloader.cache.dir={}", cache.display()));
    let ok = token(Alg::EdDSA, "ed25519", Some("d"), "a");
    {
        let g = gate(&props, &clock);
        assert!(g.verify(&ok).is_ok());
    }
    let files: Vec<_> = std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "one cache file, no temp file left: {files:?}");
    w.server.stop();
    clock.advance(3600);
    // "Restart": a new gate (as a new process would build) while the server is down.
    let g = gate(&props, &clock);
    assert_eq!(g.verify(&ok).unwrap().user, "a");
    assert_eq!(g.stats().profiles[0].source.keys.len(), 2);
    // A cache file that was tampered with is refused when read.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let body = v["body"].as_str().unwrap();
    let tampered = text.replace(body, &format!("{}A", &body[..body.len() - 4]));
    std::fs::write(&files[0], tampered).unwrap();
    let g = gate(&props, &clock);
    assert_eq!(g.verify(&ok).unwrap_err().reason(), Reason::KeySourceUnavailable);
    // And a cache older than maxstale is not used either.
    std::fs::write(&files[0], text).unwrap();
    clock.advance(86_400 + 1);
    let g = gate(&props, &clock);
    assert_eq!(g.verify(&ok).unwrap_err().reason(), Reason::KeySourceUnavailable);
}

#[test]
fn zosmf_failover_a_fresh_gate_verifies_through_the_second_instance() {
    // Two z/OSMF instances share the signing key; the first one stops.
    let mut w = World::new("zosmf");
    let second = KeyServer::start(&w.ca);
    for s in [&w.server, &second] {
        s.publish("/jwt/ibm/api/zOSMFBuilder/jwk", jwks(&[("rsa2048", "zosmf")]));
    }
    let uris = format!("{},{}", w.server.url("/jwt/ibm/api/zOSMFBuilder/jwk"), second.url("/jwt/ibm/api/zOSMFBuilder/jwk"));
    let props = w.props("httpsjwks", &uris, "");
    let clock = Arc::new(ManualClock::new(NOW));
    let issued_by_first = token(Alg::RS256, "rsa2048", Some("zosmf"), "IBMUSER");
    assert!(gate(&props, &clock).verify(&issued_by_first).is_ok());
    w.server.stop();
    let g = gate(&props, &clock);
    assert_eq!(g.verify(&issued_by_first).unwrap().user, "IBMUSER");
    assert_eq!(second.hits("/jwt/ibm/api/zOSMFBuilder/jwk"), 1);
}

#[test]
fn concurrent_verification_during_refreshes_never_refuses_a_good_token() {
    let w = World::new("concurrent");
    w.server.publish("/jwks", jwks(&[("rsa2048", "k")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let g = Arc::new(gate(&w.props("httpsjwks", &w.server.url("/jwks"), "yfs.yfs.jwt.verify.keyloader.cache.ttl=60"), &clock));
    let ok = token(Alg::RS256, "rsa2048", Some("k"), "a");
    let stop = Arc::new(AtomicBool::new(false));
    let verified = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (g, ok, stop, verified) = (g.clone(), ok.clone(), stop.clone(), verified.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Err(e) = g.verify(&ok) {
                        panic!("a good token was refused during a refresh: {e}");
                    }
                    verified.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Rotate the set (always keeping `k`), slow the server, and move time
    // past the ttl again and again so refreshes overlap the verifications.
    for round in 0..12 {
        let extra = if round % 2 == 0 { vec![("rsa2048", "k"), ("ec256", "e")] } else { vec![("rsa2048", "k"), ("rsa2048b", "b")] };
        w.server.publish("/jwks", jwks(&extra));
        w.server.fault(if round % 3 == 0 { Fault::Slow(Duration::from_millis(150)) } else { Fault::None });
        clock.advance(61);
        std::thread::sleep(Duration::from_millis(120));
    }
    stop.store(true, Ordering::Relaxed);
    for t in workers {
        t.join().unwrap();
    }
    let s = g.stats().profiles[0].source.clone();
    assert!(s.fetches >= 6, "refreshes happened ({} fetches)", s.fetches);
    assert!(verified.load(Ordering::Relaxed) > 100);
}
