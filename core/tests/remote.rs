//! Remote key sources against a real HTTPS server on 127.0.0.1: each loader,
//! rotation, the unknown-kid flood, failover, trust, redirects, ETag and
//! max-age. Outages and caching: `remote_outage.rs`.

#[path = "../../tests/keyserver/mod.rs"]
mod keyserver;

use std::sync::Arc;
use std::time::{Duration, Instant};

use jwtgate_core::{Alg, Gate, ManualClock, Reason};
use keyserver::jwk::{base64_of_der, base64_of_pem, jwks, token};
use keyserver::{Fault, KeyServer, Route, TestCa, World};

const NOW: u64 = 1_900_000_000;

fn gate(props: &str, clock: &Arc<ManualClock>) -> Gate {
    Gate::from_properties_with_clock(props, clock.clone()).expect("config loads")
}

fn reason(r: jwtgate_core::Result<jwtgate_core::Identity>) -> Reason {
    match r {
        Ok(id) => panic!("expected a refusal, got identity {}", id.user),
        Err(e) => e.reason(),
    }
}

#[test]
fn httpsjwks_verifies_rsa_ec_and_eddsa_tokens_by_kid() {
    let w = World::new("jwks");
    w.server.publish("/jwks", jwks(&[("rsa2048", "r1"), ("ec256", "e1"), ("ec384", "e2"), ("ed25519", "d1")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), ""), &clock);
    for (alg, key, kid) in [(Alg::RS256, "rsa2048", "r1"), (Alg::PS256, "rsa2048", "r1"), (Alg::ES256, "ec256", "e1"), (Alg::ES384, "ec384", "e2"), (Alg::EdDSA, "ed25519", "d1")] {
        let id = g.verify(&token(alg, key, Some(kid), "alice")).unwrap_or_else(|e| panic!("{alg:?}: {e}"));
        assert_eq!(id.user, "alice");
        assert_eq!(id.kid.as_deref(), Some(kid));
    }
    // A key signed by another key under a published kid.
    assert_eq!(reason(g.verify(&token(Alg::RS256, "rsa2048b", Some("r1"), "mallory"))), Reason::SignatureInvalid);
    // A token without kid is tried with the one key of its type.
    assert_eq!(g.verify(&token(Alg::EdDSA, "ed25519", None, "bob")).unwrap().user, "bob");
    let s = &g.stats().profiles[0].source;
    assert_eq!(s.loader, "httpsjwks");
    assert_eq!(s.keys.len(), 4);
    assert_eq!(s.fetches, 1);
    assert_eq!(s.failures, 0);
    assert_eq!(s.last_success, Some(NOW));
}

#[test]
fn httpsjwks_skips_symmetric_and_weak_keys_but_keeps_the_rest() {
    let w = World::new("skip");
    let mut set: serde_json::Value = serde_json::from_str(&jwks(&[("rsa2048", "good"), ("rsa1024", "weak")])).unwrap();
    set["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "oct", "kid": "hs", "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}));
    w.server.publish("/jwks", set.to_string());
    let clock = Arc::new(ManualClock::new(NOW));
    let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), ""), &clock);
    assert!(g.verify(&token(Alg::RS256, "rsa2048", Some("good"), "a")).is_ok());
    assert_eq!(reason(g.verify(&token(Alg::RS256, "rsa2048", Some("weak"), "a"))), Reason::KeyNotFound);
    let kids: Vec<_> = g.stats().profiles[0].source.keys.iter().map(|k| k.kid.clone().unwrap()).collect();
    assert_eq!(kids, ["good"]);
}

#[test]
fn httpsjwk_serves_one_jwk() {
    let w = World::new("jwk");
    w.server.publish("/key", keyserver::jwk::jwk("ec256", "only").to_string());
    let clock = Arc::new(ManualClock::new(NOW));
    let g = gate(&w.props("httpsjwk", &w.server.url("/key"), ""), &clock);
    assert_eq!(g.verify(&token(Alg::ES256, "ec256", Some("only"), "carol")).unwrap().user, "carol");
    assert_eq!(reason(g.verify(&token(Alg::RS256, "rsa2048", Some("only"), "carol"))), Reason::AlgorithmNotAllowed);
}

#[test]
fn httpsbase64_accepts_base64_pem_der_key_and_der_certificate() {
    let w = World::new("b64");
    w.server.publish("/pem", base64_of_pem("rsa2048.pub.pem"));
    w.server.publish("/der", base64_of_der("rsa2048.pub.pem"));
    w.server.publish("/cert", base64_of_der("rsa2048.cert.pem"));
    let clock = Arc::new(ManualClock::new(NOW));
    for path in ["/pem", "/der", "/cert"] {
        let g = gate(&w.props("httpsbase64", &w.server.url(path), ""), &clock);
        // A kid-less key serves every token of its family, whatever the kid.
        assert!(g.verify(&token(Alg::RS256, "rsa2048", Some("any"), "dave")).is_ok(), "{path}");
        assert!(g.verify(&token(Alg::RS256, "rsa2048", None, "dave")).is_ok(), "{path}");
        assert_eq!(reason(g.verify(&token(Alg::RS256, "attacker_rsa", None, "eve"))), Reason::SignatureInvalid);
    }
}

#[test]
fn rotation_is_picked_up_through_an_unknown_kid_with_one_fetch() {
    let w = World::new("rotate");
    w.server.publish("/jwks", jwks(&[("rsa2048", "2024")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), ""), &clock);
    assert!(g.verify(&token(Alg::RS256, "rsa2048", Some("2024"), "a")).is_ok());
    assert_eq!(w.server.hits("/jwks"), 1);
    // The issuer rotates: new kid published, old one kept for a while.
    w.server.publish("/jwks", jwks(&[("rsa2048", "2024"), ("rsa2048b", "2025")]));
    assert_eq!(g.verify(&token(Alg::RS256, "rsa2048b", Some("2025"), "b")).unwrap().user, "b");
    assert_eq!(w.server.hits("/jwks"), 2, "one refetch for the unknown kid");
    assert!(g.verify(&token(Alg::RS256, "rsa2048b", Some("2025"), "b")).is_ok());
    assert_eq!(w.server.hits("/jwks"), 2, "the new kid is now cached");
}

#[test]
fn new_material_under_an_existing_kid_is_picked_up_by_the_refresh() {
    let w = World::new("samekid");
    w.server.publish("/jwks", jwks(&[("rsa2048", "k")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), "yfs.yfs.jwt.verify.keyloader.cache.ttl=600"), &clock);
    let before = g.stats().profiles[0].source.keys[0].fingerprint.clone();
    w.server.publish("/jwks", jwks(&[("rsa2048b", "k")]));
    // Same kid, new key: a token of the new key needs the refresh (the
    // unknown-kid path does not apply); the refresh comes with the ttl.
    clock.advance(601);
    let _ = g.verify(&token(Alg::RS256, "rsa2048", Some("k"), "old")); // nudges the refresher
    let deadline = Instant::now() + Duration::from_secs(10);
    while g.stats().profiles[0].source.keys[0].fingerprint == before {
        assert!(Instant::now() < deadline, "the background refresh did not run");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(g.verify(&token(Alg::RS256, "rsa2048b", Some("k"), "new")).is_ok());
    assert_eq!(reason(g.verify(&token(Alg::RS256, "rsa2048", Some("k"), "old"))), Reason::SignatureInvalid);
}

#[test]
fn a_flood_of_made_up_kids_costs_at_most_one_fetch_per_cooldown() {
    let w = World::new("flood");
    w.server.publish("/jwks", jwks(&[("rsa2048", "real")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let g = Arc::new(gate(&w.props("httpsjwks", &w.server.url("/jwks"), "yfs.yfs.jwt.verify.keyloader.refresh.cooldown=30"), &clock));
    assert_eq!(w.server.hits("/jwks"), 1);
    // One token per made-up kid (signatures are never reached).
    let forged: Vec<String> = (0..300).map(|i| token(Alg::RS256, "attacker_rsa", Some(&format!("fake-{i}")), "x")).collect();
    let forged = Arc::new(forged);
    let started = Instant::now();
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let (g, forged) = (g.clone(), forged.clone());
            std::thread::spawn(move || {
                for tok in forged.iter().skip(t * 50).take(50) {
                    assert_eq!(g.verify(tok).unwrap_err().reason(), Reason::KeyNotFound);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(w.server.hits("/jwks") <= 2, "300 made-up kids caused {} fetches", w.server.hits("/jwks") - 1);
    assert!(started.elapsed() < Duration::from_secs(10));
    // The good token is untouched by the flood.
    assert!(g.verify(&token(Alg::RS256, "rsa2048", Some("real"), "a")).is_ok());

    // A kid published later is found once the cooldown (and the memory of
    // missed kids) has passed.
    w.server.publish("/jwks", jwks(&[("rsa2048", "real"), ("rsa2048b", "late")]));
    let late = token(Alg::RS256, "rsa2048b", Some("late"), "late");
    clock.advance(10);
    let r = g.verify(&late);
    assert!(r.is_ok() || r.unwrap_err().reason() == Reason::KeyNotFound);
    clock.advance(200);
    assert_eq!(g.verify(&late).unwrap().user, "late");
}

#[test]
fn the_same_made_up_kid_is_remembered_beyond_the_cooldown() {
    let w = World::new("memory");
    w.server.publish("/jwks", jwks(&[("rsa2048", "real")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), "yfs.yfs.jwt.verify.keyloader.refresh.cooldown=10"), &clock);
    let fake = token(Alg::RS256, "rsa2048", Some("ghost"), "x");
    assert_eq!(reason(g.verify(&fake)), Reason::KeyNotFound);
    assert_eq!(w.server.hits("/jwks"), 2);
    clock.advance(11); // past the cooldown, within the memory (4 x cooldown)
    assert_eq!(reason(g.verify(&fake)), Reason::KeyNotFound);
    assert_eq!(w.server.hits("/jwks"), 2, "a remembered miss does not refetch");
    // A different unknown kid may use the refetch the cooldown allows.
    assert_eq!(reason(g.verify(&token(Alg::RS256, "rsa2048", Some("ghost2"), "x"))), Reason::KeyNotFound);
    assert_eq!(w.server.hits("/jwks"), 3);
    clock.advance(40); // the memory expired: the kid may be looked for again
    assert_eq!(reason(g.verify(&fake)), Reason::KeyNotFound);
    assert_eq!(w.server.hits("/jwks"), 4);
}

#[test]
fn failover_list_is_tried_in_order() {
    let w = World::new("failover");
    let mut down = KeyServer::start(&w.ca);
    let down_url = down.url("/jwks");
    down.stop();
    let broken = KeyServer::start(&w.ca);
    broken.fault(Fault::Status(503));
    w.server.publish("/jwks", jwks(&[("ec256", "e")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let uris = format!("{down_url},{},{}", broken.url("/jwks"), w.server.url("/jwks"));
    let g = gate(&w.props("httpsjwks", &uris, ""), &clock);
    assert!(g.verify(&token(Alg::ES256, "ec256", Some("e"), "a")).is_ok());
    assert_eq!(broken.hits("/jwks"), 1);
    assert_eq!(w.server.hits("/jwks"), 1);
}

#[test]
fn an_untrusted_certificate_is_key_source_unavailable() {
    let w = World::new("untrusted");
    let stranger = TestCa::new("stranger");
    let other = KeyServer::start(&stranger);
    other.publish("/jwks", jwks(&[("rsa2048", "k")]));
    let clock = Arc::new(ManualClock::new(NOW));
    // Trusts w.ca, but the server's certificate comes from another CA.
    let g = gate(&w.props("httpsjwks", &other.url("/jwks"), ""), &clock);
    let e = g.verify(&token(Alg::RS256, "rsa2048", Some("k"), "a")).unwrap_err();
    assert_eq!(e.reason(), Reason::KeySourceUnavailable);
    assert!(e.message().to_lowercase().contains("certificate"), "{}", e.message());
    assert_eq!(other.hits("/jwks"), 0, "no request is sent over an untrusted connection");
}

#[test]
fn redirects_are_followed_to_https_only_and_a_few_hops() {
    let w = World::new("redirect");
    w.server.publish("/jwks", jwks(&[("rsa2048", "k")]));
    w.server.set("/old", Route::redirect(&w.server.url("/jwks")));
    w.server.set("/plain", Route::redirect(&format!("http://127.0.0.1:{}/jwks", w.server.port())));
    for i in 0..5 {
        w.server.set(&format!("/loop{i}"), Route::redirect(&w.server.url(&format!("/loop{}", i + 1))));
    }
    w.server.set("/loop5", Route::redirect(&w.server.url("/jwks")));
    let clock = Arc::new(ManualClock::new(NOW));
    let ok = token(Alg::RS256, "rsa2048", Some("k"), "a");
    assert!(gate(&w.props("httpsjwks", &w.server.url("/old"), ""), &clock).verify(&ok).is_ok());
    let e = gate(&w.props("httpsjwks", &w.server.url("/plain"), ""), &clock).verify(&ok).unwrap_err();
    assert_eq!(e.reason(), Reason::KeySourceUnavailable);
    assert!(e.message().contains("https only"), "{}", e.message());
    let e = gate(&w.props("httpsjwks", &w.server.url("/loop0"), ""), &clock).verify(&ok).unwrap_err();
    assert_eq!(e.reason(), Reason::KeySourceUnavailable);
    assert!(e.message().contains("redirects"), "{}", e.message());
}

#[test]
fn refresh_revalidates_with_etag_and_honours_a_shorter_max_age() {
    let w = World::new("etag");
    w.server.set("/jwks", Route::ok(jwks(&[("rsa2048", "k")])).header("Cache-Control", "public, max-age=120"));
    let clock = Arc::new(ManualClock::new(NOW));
    let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), "yfs.yfs.jwt.verify.keyloader.cache.ttl=600"), &clock);
    let ok = token(Alg::RS256, "rsa2048", Some("k"), "a");
    assert!(g.verify(&ok).is_ok());
    clock.advance(100); // within max-age: no request
    assert!(g.verify(&ok).is_ok());
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(w.server.hits("/jwks"), 1);
    clock.advance(25); // past max-age=120, long before the ttl
    assert!(g.verify(&ok).is_ok());
    let deadline = Instant::now() + Duration::from_secs(10);
    while g.stats().profiles[0].source.last_success != Some(NOW + 125) {
        assert!(Instant::now() < deadline, "no revalidation happened");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(w.server.not_modified(), 1, "revalidated with If-None-Match, answered 304");
    assert_eq!(w.server.hits("/jwks"), 2);
    assert!(g.verify(&ok).is_ok());
}

#[test]
fn plain_http_is_refused_unless_allowed_on_loopback() {
    let w = World::new("http");
    let clock = Arc::new(ManualClock::new(NOW));
    let props = w.props("httpsjwks", "http://127.0.0.1:9/jwks", "");
    let Err(e) = Gate::from_properties_with_clock(&props, clock.clone()) else { panic!("plain http must be refused") };
    assert_eq!(e.reason(), Reason::ConfigInvalid);
    let props = w.props("httpsjwks", "http://127.0.0.1:9/jwks", "yfs.yfs.jwt.verify.keyloader.allowhttp=true");
    // Allowed (tests only); nothing listens on port 9, so the keys are unavailable.
    let g = gate(&props, &clock);
    assert_eq!(reason(g.verify(&token(Alg::RS256, "rsa2048", Some("k"), "a"))), Reason::KeySourceUnavailable);
}

#[test]
fn a_missing_or_bad_truststore_is_a_config_error_at_load() {
    let w = World::new("truststore");
    let clock = Arc::new(ManualClock::new(NOW));
    let url = w.server.url("/jwks");
    let missing = format!(
        "yfs.yfs.jwt.verify.keyloader=httpsjwks\nyfs.yfs.jwt.verify.keyloader.httpsuri={url}\n\
         yfs.yfs.jwt.verify.keyloader.truststore={}\n",
        w.dir.join("nope.pem").display()
    );
    let Err(e) = Gate::from_properties_with_clock(&missing, clock.clone()) else { panic!("missing truststore accepted") };
    assert_eq!(e.reason(), Reason::ConfigIo, "{e}");
    let junk = w.dir.join("junk.pem");
    std::fs::write(&junk, "not a certificate").unwrap();
    let bad = missing.replace(&w.dir.join("nope.pem").display().to_string(), &junk.display().to_string());
    let Err(e) = Gate::from_properties_with_clock(&bad, clock.clone()) else { panic!("junk truststore accepted") };
    assert_eq!(e.reason(), Reason::ConfigInvalid, "{e}");
}

#[test]
fn a_token_the_profile_could_never_accept_triggers_no_refetch() {
    let w = World::new("foreign-iss");
    w.server.publish("/jwks", jwks(&[("rsa2048", "k1")]));
    let clock = Arc::new(ManualClock::new(NOW));
    let g = gate(&w.props("httpsjwks", &w.server.url("/jwks"), "yfs.yfs.jwt.verify.issuers=https://idp.example.com"), &clock);
    assert_eq!(w.server.hits("/jwks"), 1);
    // No iss (so not one of verify.issuers) and an unknown kid: refused
    // without asking the key server again.
    assert_eq!(reason(g.verify(&token(Alg::RS256, "rsa2048b", Some("k2"), "x"))), Reason::KeyNotFound);
    assert_eq!(w.server.hits("/jwks"), 1, "no refetch for a foreign issuer");
}
