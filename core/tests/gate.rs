//! Gate behaviour by topic: one test per reason the core produces, config
//! errors, properties parsing, custom loaders, the file loader, reload under
//! concurrent verification.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use jwtgate_core::testkit::sign;
use jwtgate_core::{Alg, Gate, KeyRequest, ManualClock, Reason, Request, register_keyloader};

const NOW: u64 = 1_767_225_600;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn rsa_props() -> String {
    format!(
        "yfs.yfs.jwt.verify.keyloader=properties\nyfs.yfs.jwt.verify.propkeyloader.rsa1={}\n\
         xapirest.servlet.jwt.auth.enabled=true\n",
        b64(&fixture("rsa2048.pub.pem"))
    )
}

fn gate(props: &str) -> Gate {
    Gate::from_properties_with_clock(props, Arc::new(ManualClock::new(NOW))).unwrap()
}

fn rs256(payload: &str) -> String {
    sign(Alg::RS256, r#"{"alg":"RS256","kid":"rsa1"}"#, payload, &fixture("rsa2048.pk8.pem"))
}

fn reason_of(g: &Gate, token: &str) -> Reason {
    match g.verify(token) {
        Ok(_) => Reason::Ok,
        Err(e) => e.reason(),
    }
}

fn config_reason(props: &str) -> Reason {
    Gate::from_properties(props).err().map_or(Reason::Ok, |e| e.reason())
}

#[test]
fn each_token_reason_is_reachable() {
    let g = gate(&rsa_props());
    let exp = NOW + 600;
    let cases: Vec<(Reason, String)> = vec![
        (Reason::Ok, rs256(&format!(r#"{{"sub":"a","exp":{exp}}}"#))),
        (Reason::TokenMalformed, "abc".into()),
        (Reason::TokenEncrypted, "a.b.c.d.e".into()),
        (Reason::AlgorithmNotAllowed, rs256(r#"{"sub":"a"}"#).replacen("eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYTEifQ", "eyJhbGciOiJub25lIn0", 1)),
        (Reason::TokenTooLarge, "a".repeat(20_000)),
        (Reason::KeyNotFound, sign(Alg::RS256, r#"{"alg":"RS256","kid":"other"}"#, r#"{"sub":"a"}"#, &fixture("rsa2048.pk8.pem"))),
        (Reason::SignatureInvalid, sign(Alg::RS256, r#"{"alg":"RS256","kid":"rsa1"}"#, r#"{"sub":"a"}"#, &fixture("attacker_rsa.pk8.pem"))),
        (Reason::TokenExpired, rs256(&format!(r#"{{"sub":"a","exp":{}}}"#, NOW - 61))),
        (Reason::TokenNotYetValid, rs256(&format!(r#"{{"sub":"a","exp":{exp},"nbf":{}}}"#, NOW + 61))),
        (Reason::ClaimMissing, rs256(r#"{"sub":"a"}"#)),
        (Reason::UserClaimMissing, rs256(&format!(r#"{{"uid":"a","exp":{exp}}}"#))),
        (Reason::AudienceNotAllowed, rs256(&format!(r#"{{"sub":"a","exp":{exp},"aud":"x"}}"#))),
        (Reason::UnsupportedCriticalHeader, sign(Alg::RS256, r#"{"alg":"RS256","kid":"rsa1","crit":["x"]}"#, "{}", &fixture("rsa2048.pk8.pem"))),
    ];
    for (want, token) in cases {
        assert_eq!(reason_of(&g, &token), want, "token for {want}");
    }
    let issuer_only = format!(
        "yfs.yfs.jwt.https\\://a.example.verify.propkeyloader.rsa1={}\n",
        b64(&fixture("rsa2048.pub.pem"))
    );
    let g2 = gate(&issuer_only);
    assert_eq!(reason_of(&g2, &rs256(r#"{"iss":"https://b.example","sub":"a"}"#)), Reason::IssuerNotAllowed);
}

#[test]
fn request_reasons_are_reachable() {
    let g = gate(&rsa_props());
    let t = rs256(&format!(r#"{{"sub":"a","exp":{}}}"#, NOW + 60));
    let auth = format!("Bearer {t}");
    let h = [("Authorization", auth.as_str())];
    let req = Request { headers: &h, ..Default::default() };
    assert_eq!(g.authenticate("xapirest", &req).unwrap().user, "a");
    assert_eq!(g.authenticate("other", &req).unwrap_err().reason(), Reason::EndpointNotEnabled);
    let none = Request::default();
    let e = g.authenticate("xapirest", &none).unwrap_err();
    assert_eq!(e.reason(), Reason::TokenMissing);
    assert_eq!(e.www_authenticate(), "Bearer realm=\"jwtgate\"");
    let body = format!("access_token={}", rs256(r#"{"sub":"b"}"#));
    let req = Request { headers: &h, body: Some(body.as_bytes()), url: None };
    assert_eq!(g.authenticate("xapirest", &req).unwrap_err().reason(), Reason::MultipleTokens);
}

#[test]
fn config_errors_name_key_and_line_and_never_the_secret() {
    assert_eq!(Gate::from_file("/nonexistent/customer_overrides.properties").unwrap_err().reason(), Reason::ConfigIo);
    let weak = format!("yfs.yfs.jwt.verify.propkeyloader.k={}\n", b64(&fixture("rsa1024.pub.pem")));
    let e = Gate::from_properties(&weak).unwrap_err();
    assert_eq!(e.reason(), Reason::ConfigInvalid);
    assert!(e.message().contains("line 1") && e.message().contains("1024 bits"), "{e}");
    // CFG-04: short HMAC secret; CFG-05: PEM as HMAC secret; CFG-06: http URIs.
    let e = Gate::from_properties("yfs.yfs.jwt.verify.sharedkey=tooshort-secret\n").unwrap_err();
    assert!(!e.to_string().contains("tooshort-secret"), "{e}");
    let pem = String::from_utf8(fixture("rsa2048.pub.pem")).unwrap().replace('\n', "\\n\\\n");
    assert_eq!(config_reason(&format!("yfs.yfs.jwt.verify.sharedkey={pem}\n")), Reason::ConfigInvalid);
    assert_eq!(config_reason("yfs.yfs.jwt.verify.keyloader=httpsjwks\nyfs.yfs.jwt.verify.keyloader.httpsuri=http://idp/jwks\n"), Reason::ConfigInvalid);
    assert_eq!(
        config_reason("yfs.yfs.jwt.verify.keyloader=httpsjwks\nyfs.yfs.jwt.verify.keyloader.allowhttp=true\nyfs.yfs.jwt.verify.keyloader.httpsuri=http://idp.example.com/jwks\n"),
        Reason::ConfigInvalid
    );
    assert_eq!(config_reason("yfs.yfs.jwt.verify.keyloader=no.such.Loader\n"), Reason::ConfigInvalid);
    assert_eq!(config_reason("yfs.yfs.jwt.verify.algorithms=none\nyfs.yfs.jwt.verify.sharedkey=0123456789abcdef0123456789abcdef\n"), Reason::ConfigInvalid);
    assert_eq!(config_reason("unrelated.key=1\n"), Reason::ConfigInvalid, "no key source at all");
    // CFG-02: RSA public exponent 1, as a JWK.
    let e1 = r#"{"kty":"RSA","n":"u-SfdHPjFtGmzuoH6gheIIZ4nLwUHBQEtFGqOe0N8JuZUc5VOzlI8yl0r8ESilAouttkdftexj4VFJz5R9FH90ypVQDPL0H4mC_ZtB3S0kp5ml9pcdpXn1w0bq8PDTQXIU1ZR9qPVLlKJc1ozbqkCTjTV3YSXlrbmnGyoYjF_UPhGJ9k1KHzvsGoRHYZv_jZQZd6rEuWYcjGEbS6dGZ7VPvSL0hT0g8tnlOPJTMXPsEn5P3BRgJhRbHTEe2wNJFFehNi13BMCX1ebIkQJbxK5fsPWgkaRNbXJ_lrbO5fKyXEx-UqaSi6Z4_9d1wM1ocyTB5QgnuaFswk3pM-ZBi_3Mw","e":"AQ"}"#;
    assert_eq!(config_reason(&format!("yfs.yfs.jwt.verify.propkeyloader.k={e1}\n")), Reason::ConfigInvalid);
}

#[test]
fn properties_syntax_escapes_continuations_unicode_crlf_bom() {
    let key = b64(&fixture("rsa2048.pub.pem"));
    let (first, rest) = key.split_at(40);
    let text = format!(
        "\u{feff}# Sterling overrides\r\n\
         yfs.yfs.jwt.https\\://idp.acme.com\\:8020/jwt.verify.propkeyloader.key.v1={first}\\\r\n    {rest}\r\n\
         yfs.yfs.jwt.https\\://idp.acme.com\\:8020/jwt.defclaimparser.user.path=n\\u00e4me\r\n"
    );
    let g = gate(&text);
    let t = sign(Alg::RS256, r#"{"alg":"RS256","kid":"key.v1"}"#, &format!(r#"{{"iss":"https://idp.acme.com:8020/jwt","näme":"jörg","exp":{}}}"#, NOW + 60), &fixture("rsa2048.pk8.pem"));
    let id = g.verify(&t).unwrap();
    assert_eq!((id.user.as_str(), id.profile.as_str(), id.kid.as_deref()), ("jörg", "https://idp.acme.com:8020/jwt", Some("key.v1")));
}

#[test]
fn typo_is_a_warning_with_line_and_suggestion() {
    let text = format!("{}\nyfs.yfs.jwt.verfy.keyloader=properties\n", rsa_props());
    let g = gate(&text);
    let w = g.warnings();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].line, 5);
    assert!(w[0].message.contains("did you mean `yfs.yfs.jwt.verify.keyloader`"), "{}", w[0].message);
}

#[test]
fn custom_loader_good_failing_junk_and_panicking() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let pem = fixture("ec256.pub.pem");
    register_keyloader(
        "test.GoodLoader",
        Arc::new(move |req: &KeyRequest<'_>| {
            c.fetch_add(1, Ordering::SeqCst);
            assert_eq!((req.kid, req.alg, req.issuer), (Some("ec1"), "ES256", Some("https://idp")));
            Ok(pem.clone())
        }),
    );
    register_keyloader("test.FailingLoader", Arc::new(|_: &KeyRequest<'_>| Err("directory offline".to_string())));
    register_keyloader("test.JunkLoader", Arc::new(|_: &KeyRequest<'_>| Ok(b"definitely not a key".to_vec())));
    register_keyloader("test.PanickingLoader", Arc::new(|_: &KeyRequest<'_>| -> Result<Vec<u8>, String> { panic!("loader bug") }));
    let token = sign(Alg::ES256, r#"{"alg":"ES256","kid":"ec1"}"#, &format!(r#"{{"iss":"https://idp","sub":"a","exp":{}}}"#, NOW + 60), &fixture("ec256.pk8.pem"));
    let g = gate("yfs.yfs.jwt.verify.keyloader=test.GoodLoader\n");
    assert_eq!(g.verify(&token).unwrap().user, "a");
    assert_eq!(g.verify(&token).unwrap().user, "a");
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the answer is cached for cache.ttl");
    let e = gate("yfs.yfs.jwt.verify.keyloader=test.FailingLoader\n").verify(&token).unwrap_err();
    assert_eq!(e.reason(), Reason::KeySourceUnavailable);
    assert!(e.message().contains("directory offline"), "{e}");
    // Junk is not a public key; as an HMAC secret it is too short, and the token is ES256 anyway.
    assert_eq!(reason_of(&gate("yfs.yfs.jwt.verify.keyloader=test.JunkLoader\n"), &token), Reason::KeySourceUnavailable);
    assert_eq!(reason_of(&gate("yfs.yfs.jwt.verify.keyloader=test.PanickingLoader\n"), &token), Reason::KeySourceUnavailable);
}

#[test]
fn file_loader_rereads_a_changed_file() {
    let dir = std::env::temp_dir().join(format!("jwtgate-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("idp.pem");
    std::fs::write(&path, fixture("rsa2048.pub.pem")).unwrap();
    let props = dir.join("o.properties");
    std::fs::write(&props, "yfs.yfs.jwt.verify.keyloader=file\nyfs.yfs.jwt.verify.keyloader.path=idp.pem\n").unwrap();
    let g = Gate::from_file_with_clock(&props, Arc::new(ManualClock::new(NOW))).unwrap();
    let payload = format!(r#"{{"sub":"a","exp":{}}}"#, NOW + 60);
    let by_b = sign(Alg::RS256, r#"{"alg":"RS256"}"#, &payload, &fixture("rsa2048b.pk8.pem"));
    assert_eq!(reason_of(&g, &by_b), Reason::SignatureInvalid);
    std::fs::write(&path, fixture("rsa2048b.pub.pem")).unwrap();
    // The file is checked at most once a second.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while reason_of(&g, &by_b) != Reason::Ok {
        assert!(std::time::Instant::now() < deadline, "the changed key file was never re-read");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn reload_under_concurrent_verification_refuses_no_good_token() {
    let dir = std::env::temp_dir().join(format!("jwtgate-reload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let props = dir.join("customer_overrides.properties");
    std::fs::write(&props, rsa_props()).unwrap();
    let g = Arc::new(Gate::from_file_with_clock(&props, Arc::new(ManualClock::new(NOW))).unwrap());
    let token = rs256(&format!(r#"{{"sub":"a","exp":{}}}"#, NOW + 60));
    let stop = Arc::new(AtomicBool::new(false));
    let verified = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (g, t, stop, n) = (g.clone(), token.clone(), stop.clone(), verified.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    g.verify(&t).expect("a good token is never refused during reload");
                    n.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for i in 0..50 {
        // Alternate between two equivalent configurations (a changed clock skew).
        std::fs::write(&props, format!("{}yfs.yfs.jwt.verify.clockskew={}\n", rsa_props(), 30 + i % 2)).unwrap();
        g.reload().unwrap();
    }
    std::fs::write(&props, "yfs.yfs.jwt.verify.keyloader=properties\n").unwrap();
    assert_eq!(g.reload().unwrap_err().reason(), Reason::ConfigInvalid, "a broken file is refused");
    assert_eq!(g.verify(&token).unwrap().user, "a", "and the previous configuration keeps serving");
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    assert!(verified.load(Ordering::Relaxed) > 0);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn token_cache_hits_rechecks_time_and_forgets_rotated_out_keys() {
    let clock = Arc::new(ManualClock::new(NOW));
    let g = Gate::from_properties_with_clock(&rsa_props(), clock.clone()).unwrap();
    let token = rs256(&format!(r#"{{"sub":"a","exp":{}}}"#, NOW + 100));
    let first = g.verify_shared(&token, None).unwrap();
    let second = g.verify_shared(&token, None).unwrap();
    assert!(Arc::ptr_eq(&first, &second), "the second call is a cache hit");
    // A different token with the same claims is verified on its own.
    let other = rs256(&format!(r#"{{"exp":{},"sub":"a"}}"#, NOW + 100));
    assert!(!Arc::ptr_eq(&first, &g.verify_shared(&other, None).unwrap()));
    clock.set(NOW + 100 + 60);
    assert_eq!(g.verify(&token).unwrap_err().reason(), Reason::TokenExpired, "expiry is re-checked on a hit");

    // Rotation: a cached token whose key left the key file is refused.
    let dir = std::env::temp_dir().join(format!("jwtgate-cache-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("k.pem");
    std::fs::write(&key, fixture("rsa2048.pub.pem")).unwrap();
    let props = dir.join("o.properties");
    std::fs::write(&props, "yfs.yfs.jwt.verify.keyloader.path=k.pem\n").unwrap();
    let g = Gate::from_file_with_clock(&props, Arc::new(ManualClock::new(NOW))).unwrap();
    let t = sign(Alg::RS256, r#"{"alg":"RS256"}"#, &format!(r#"{{"sub":"a","exp":{}}}"#, NOW + 100), &fixture("rsa2048.pk8.pem"));
    assert_eq!(g.verify(&t).unwrap().user, "a");
    std::fs::write(&key, fixture("rsa2048b.pub.pem")).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while reason_of(&g, &t) == Reason::Ok {
        assert!(std::time::Instant::now() < deadline, "a token of a rotated-out key kept verifying from the cache");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(reason_of(&g, &t), Reason::SignatureInvalid);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cached_verdicts_still_respect_endpoint_issuers_and_audience_urls() {
    let props = format!(
        "{}yfs.yfs.jwt.https\\://only.example.verify.sharedkey=0123456789abcdef0123456789abcdef\n\
         api.servlet.jwt.auth.enabled=true\napi.servlet.jwt.issuers=https\\://only.example\n",
        rsa_props()
    );
    let g = gate(&props);
    let t = rs256(&format!(r#"{{"sub":"a","exp":{},"aud":"https://h/app"}}"#, NOW + 100));
    assert_eq!(g.verify_for_url(&t, Some("https://h/app/x")).unwrap().user, "a");
    assert_eq!(g.verify_for_url(&t, Some("https://h/other")).unwrap_err().reason(), Reason::AudienceNotAllowed);
    assert_eq!(g.verify(&t).unwrap_err().reason(), Reason::AudienceNotAllowed);
    let auth = format!("Bearer {t}");
    let h = [("Authorization", auth.as_str())];
    let req = Request { headers: &h, url: Some("https://h/app"), body: None };
    assert_eq!(g.authenticate("xapirest", &req).unwrap().user, "a");
    assert_eq!(g.authenticate("api", &req).unwrap_err().reason(), Reason::IssuerNotAllowed, "the cached verdict is not reused");
}

#[test]
fn a_full_token_cache_stays_bounded_and_keeps_serving() {
    let props = format!("{}yfs.yfs.jwt.verify.tokencache.size=16\n", rsa_props());
    let g = gate(&props);
    let tokens: Vec<String> = (0..40).map(|i| rs256(&format!(r#"{{"sub":"u{i}","exp":{}}}"#, NOW + 100))).collect();
    for _ in 0..3 {
        for (i, t) in tokens.iter().enumerate() {
            assert_eq!(g.verify_shared(t, None).unwrap().user, format!("u{i}"));
        }
    }
    // A hot token inserted last is still a hit after eviction passes.
    let hot = &tokens[39];
    let a = g.verify_shared(hot, None).unwrap();
    assert!(Arc::ptr_eq(&a, &g.verify_shared(hot, None).unwrap()));
}
