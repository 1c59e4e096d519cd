//! `jwtgate serve` over HTTP: the verdicts, identity headers, endpoint
//! selection, metrics and reloads of the forward-auth sidecar (issue 9).

mod serve_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jwtgate_core::{Alg, testkit};
use serve_support::*;

fn start(extra_config: &str, args: &[&str]) -> (TempDir, Server) {
    let dir = TempDir::new("serve");
    let config = dir.0.join("customer_overrides.properties");
    std::fs::write(&config, test_config(extra_config)).unwrap();
    let server = Server::start(&config, args);
    (dir, server)
}

fn bearer(t: &str) -> String {
    format!("Bearer {t}")
}

#[test]
fn allowed_request_gets_200_with_the_identity_headers() {
    let (_dir, s) = start("", &[]);
    let r = s.get("/auth/xapirest", &[("Authorization", &bearer(&token(ALICE)))]);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-auth-user"), Some("alice"));
    assert_eq!(r.header("x-auth-email"), Some("alice@example.com"));
    assert_eq!(r.header("x-auth-groups"), Some("admins,csr"));
    assert_eq!(r.header("x-auth-issuer"), Some("https://issuer.example"));
    assert_eq!(r.header("x-auth-reason"), None);
    assert_eq!(r.header("www-authenticate"), None);
}

/// Sent empty rather than left out, so a gateway copying them upstream
/// always overwrites a client's forged `X-Auth-Email`.
#[test]
fn absent_claims_give_empty_headers() {
    let (_dir, s) = start("", &[]);
    let r = s.get("/auth/xapirest", &[("Authorization", &bearer(&token(r#"{"sub":"bob","exp":4102444800}"#)))]);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-auth-user"), Some("bob"));
    assert_eq!(r.header("x-auth-email"), Some(""));
    assert_eq!(r.header("x-auth-groups"), Some(""));
    assert_eq!(r.header("x-auth-issuer"), Some(""));
}

#[test]
fn header_names_are_set_by_flags() {
    let (_dir, s) = start("", &["--user-header", "X-Remote-User", "--groups-header", "X-Remote-Groups", "--reason-header", "X-Why"]);
    let r = s.get("/auth/xapirest", &[("Authorization", &bearer(&token(ALICE)))]);
    assert_eq!(r.header("x-remote-user"), Some("alice"));
    assert_eq!(r.header("x-remote-groups"), Some("admins,csr"));
    assert_eq!(r.header("x-auth-user"), None);
    let r = s.get("/auth/xapirest", &[]);
    assert_eq!(r.header("x-why"), Some("token_missing"));
}

/// One case per refusal family a request can cause: status, reason header,
/// and the RFC 6750 `WWW-Authenticate` value on every 401.
#[test]
fn each_refusal_family_has_its_reason_status_and_www_authenticate() {
    let (_dir, s) = start("", &[]);
    let rsa = fixture_key("rsa2048.pk8.pem");
    let other_rsa = fixture_key("rsa2048b.pk8.pem");
    let exp = r#""exp":4102444800"#;
    let signed = |header: &str, payload: &str, key: &[u8], alg| testkit::sign(alg, header, payload, key);
    let good = token(ALICE);
    let long = "a".repeat(20_000);
    // (what, request headers, reason, status)
    type Case<'a> = (&'a str, Vec<(&'a str, String)>, &'a str, u16);
    let cases: Vec<Case> = vec![
        ("no token", vec![], "token_missing", 401),
        ("not a JWS", vec![("Authorization", bearer("abc"))], "token_malformed", 401),
        ("JWE", vec![("Authorization", bearer("a.b.c.d.e"))], "token_encrypted", 401),
        ("too large", vec![("Authorization", bearer(&long))], "token_too_large", 401),
        (
            "HS256 not allowed",
            vec![("Authorization", bearer(&signed(r#"{"alg":"HS256","kid":"k1"}"#, ALICE, &[7u8; 32], Alg::HS256)))],
            "algorithm_not_allowed",
            401,
        ),
        (
            "crit",
            vec![("Authorization", bearer(&signed(r#"{"alg":"RS256","kid":"k1","crit":["x"],"x":1}"#, ALICE, &rsa, Alg::RS256)))],
            "unsupported_critical_header",
            401,
        ),
        (
            "two different tokens",
            vec![("Authorization", bearer(&good)), ("Cookie", format!("jwtToken={}", token(r#"{"sub":"eve","exp":4102444800}"#)))],
            "multiple_tokens",
            401,
        ),
        (
            "unknown kid",
            vec![("Authorization", bearer(&signed(r#"{"alg":"RS256","kid":"nope"}"#, ALICE, &rsa, Alg::RS256)))],
            "key_not_found",
            401,
        ),
        (
            "wrong key",
            vec![("Authorization", bearer(&signed(r#"{"alg":"RS256","kid":"k1"}"#, ALICE, &other_rsa, Alg::RS256)))],
            "signature_invalid",
            401,
        ),
        ("expired", vec![("Authorization", bearer(&token(r#"{"sub":"a","exp":1000000000}"#)))], "token_expired", 401),
        (
            "not yet valid",
            vec![("Authorization", bearer(&token(r#"{"sub":"a","nbf":4000000000,"exp":4102444800}"#)))],
            "token_not_yet_valid",
            401,
        ),
        ("no exp", vec![("Authorization", bearer(&token(r#"{"sub":"a"}"#)))], "claim_missing", 401),
        ("no user", vec![("Authorization", bearer(&token(&format!("{{{exp}}}"))))], "user_claim_missing", 401),
        (
            "URL audience outside the resource",
            vec![
                ("Authorization", bearer(&token(&format!(r#"{{"sub":"a","aud":"https://shop.example/api",{exp}}}"#)))),
                ("X-Forwarded-Host", "shop.example".into()),
                ("X-Forwarded-Proto", "https".into()),
                ("X-Original-URI", "/admin/users".into()),
            ],
            "audience_not_allowed",
            401,
        ),
    ];
    for (what, headers, reason, status) in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = s.get("/auth/xapirest", &headers);
        assert_eq!((r.status, r.header("x-auth-reason")), (status, Some(reason)), "{what}: {r:?}");
        assert_eq!(r.body.trim(), reason, "{what}");
        let www = r.header("www-authenticate").unwrap_or_else(|| panic!("{what}: no WWW-Authenticate"));
        assert!(www.starts_with("Bearer realm=\"jwtgate\""), "{what}: {www}");
        if reason != "token_missing" {
            assert!(www.contains(&format!("error_description=\"{reason}\"")), "{what}: {www}");
        }
        assert_eq!(r.header("x-auth-user"), None, "{what}");
    }
}

#[test]
fn server_side_refusals_are_not_401() {
    let (_dir, s) = start("", &[]);
    // The down-idp profile's key server is unreachable: 503, retryable.
    let t = token(r#"{"sub":"a","iss":"down-idp","exp":4102444800}"#);
    let r = s.get("/auth/xapirest", &[("Authorization", &bearer(&t))]);
    assert_eq!((r.status, r.header("x-auth-reason")), (503, Some("key_source_unavailable")), "{r:?}");
    // Endpoints that are off or unknown are never waved through.
    for ep in ["off", "unknown"] {
        let r = s.get(&format!("/auth/{ep}"), &[("Authorization", &bearer(&token(ALICE)))]);
        assert_eq!((r.status, r.header("x-auth-reason")), (403, Some("endpoint_not_enabled")), "{ep}: {r:?}");
    }
}

#[test]
fn endpoint_selects_the_token_sources_and_issuers() {
    let (_dir, s) = start("", &[]);
    let t = token(ALICE);
    // hdrapi reads only X-Api-Token.
    assert_eq!(s.get("/auth/hdrapi", &[("X-Api-Token", &t)]).status, 200);
    let r = s.get("/auth/hdrapi", &[("Authorization", &bearer(&t))]);
    assert_eq!(r.header("x-auth-reason"), Some("token_missing"));
    // xapirest reads Authorization and the jwtToken cookie, not X-Api-Token.
    let r = s.get("/auth/xapirest", &[("Cookie", &format!("theme=dark; jwtToken={t}"))]);
    assert_eq!((r.status, r.header("x-auth-user")), (200, Some("alice")), "{r:?}");
    assert_eq!(s.get("/auth/xapirest", &[("X-Api-Token", &t)]).header("x-auth-reason"), Some("token_missing"));
    // onlydown accepts the down-idp profile only: a default-profile token is refused.
    let r = s.get("/auth/onlydown", &[("Authorization", &bearer(&t))]);
    assert_eq!(r.header("x-auth-reason"), Some("issuer_not_allowed"), "{r:?}");
    // Envoy appends the original path to the check path: the endpoint is still the first segment.
    let r = s.get("/auth/xapirest/api/orders?id=1", &[("Authorization", &bearer(&t))]);
    assert_eq!(r.status, 200, "{r:?}");
    // A form body's access_token (a check request that forwards the body).
    let body = format!("a=1&access_token={t}");
    let r = http(s.port, "POST", "/auth/xapirest", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes());
    assert_eq!((r.status, r.header("x-auth-user")), (200, Some("alice")), "{r:?}");
    // Any method.
    assert_eq!(http(s.port, "HEAD", "/auth/xapirest", &[("Authorization", &bearer(&t))], b"").status, 200);
}

/// Liberty's audience rule needs the original URL: it comes from the
/// forwarded headers (nginx, Traefik) or the path after the endpoint (Envoy).
#[test]
fn url_audience_is_checked_against_the_forwarded_url() {
    let (_dir, s) = start("", &[]);
    let t = token(r#"{"sub":"a","aud":"https://shop.example/api","exp":4102444800}"#);
    let auth = bearer(&t);
    let fwd = |uri: &'static str| {
        vec![("Authorization", auth.as_str()), ("X-Forwarded-Host", "shop.example"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Uri", uri)]
    };
    assert_eq!(s.get("/auth/xapirest", &fwd("/api/orders")).status, 200);
    assert_eq!(s.get("/auth/xapirest", &fwd("/apix")).header("x-auth-reason"), Some("audience_not_allowed"));
    // Envoy style: Host is the original authority, the path follows the endpoint.
    let envoy = [("Authorization", auth.as_str()), ("Host", "shop.example"), ("X-Forwarded-Proto", "https")];
    assert_eq!(http(s.port, "GET", "/auth/xapirest/api/orders", &envoy, b"").status, 200);
    assert_eq!(http(s.port, "GET", "/auth/xapirest/admin", &envoy, b"").header("x-auth-reason"), Some("audience_not_allowed"));
    // No URL known: a URL audience cannot be checked, so it is refused.
    let r = s.get("/auth/xapirest", &[("Authorization", &auth)]);
    assert_eq!(r.header("x-auth-reason"), Some("audience_not_allowed"));
}

#[test]
fn healthz_and_unknown_paths() {
    let (_dir, s) = start("", &[]);
    let r = s.get("/healthz", &[]);
    assert_eq!((r.status, r.body.as_str()), (200, "ok\n"));
    assert_eq!(s.get("/", &[]).status, 404);
    assert_eq!(s.get("/auth/", &[]).status, 404);
}

fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[test]
fn metrics_count_verdicts_by_reason_and_profile_with_latency_and_key_sources() {
    let (_dir, s) = start("", &[]);
    let good = bearer(&token(ALICE));
    for _ in 0..3 {
        assert_eq!(s.get("/auth/xapirest", &[("Authorization", &good)]).status, 200);
    }
    s.get("/auth/xapirest", &[("Authorization", &bearer(&token(r#"{"sub":"a","exp":1000000000}"#)))]);
    s.get("/auth/xapirest", &[]);
    s.get("/auth/xapirest", &[]);
    s.get("/auth/xapirest", &[("Authorization", &bearer(&token(r#"{"sub":"a","iss":"down-idp","exp":4102444800}"#)))]);
    let r = s.get("/metrics", &[]);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain; version=0.0.4"));
    let m = &r.body;
    assert_eq!(metric(m, r#"jwtgate_auth_allowed_total{profile="default"}"#), Some(3.0), "{m}");
    assert_eq!(metric(m, r#"jwtgate_auth_refused_total{reason="token_expired"}"#), Some(1.0));
    assert_eq!(metric(m, r#"jwtgate_auth_refused_total{reason="token_missing"}"#), Some(2.0));
    assert_eq!(metric(m, r#"jwtgate_auth_refused_total{reason="key_source_unavailable"}"#), Some(1.0));
    assert_eq!(metric(m, r#"jwtgate_auth_refused_total{reason="signature_invalid"}"#), Some(0.0));
    assert_eq!(metric(m, "jwtgate_auth_duration_seconds_count"), Some(7.0));
    assert_eq!(metric(m, r#"jwtgate_auth_duration_seconds_bucket{le="+Inf"}"#), Some(7.0));
    assert!(metric(m, "jwtgate_auth_duration_seconds_sum").unwrap() > 0.0);
    // Key sources: the properties key is up, the unreachable JWKS is not and has failed.
    assert_eq!(metric(m, r#"jwtgate_key_source_up{profile="default",loader="properties"}"#), Some(1.0), "{m}");
    assert_eq!(metric(m, r#"jwtgate_key_source_keys{profile="default"}"#), Some(1.0));
    assert_eq!(metric(m, r#"jwtgate_key_source_up{profile="down-idp",loader="httpsjwks"}"#), Some(0.0), "{m}");
    assert!(metric(m, r#"jwtgate_key_source_failures_total{profile="down-idp"}"#).unwrap() >= 1.0, "{m}");
}

/// Writes through a temp file and a rename, as config management tools do,
/// so the poller never sees half a file.
fn replace(path: &std::path::Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Load from 4 threads while the configuration is swapped back and forth by
/// SIGHUP and by file changes, including one broken file: every request gets
/// its 200, and the changes take effect.
#[test]
fn reload_under_load_drops_no_request() {
    let dir = TempDir::new("serve-reload");
    let config = dir.0.join("customer_overrides.properties");
    let base = test_config("");
    let with_new = test_config("newapi.servlet.jwt.auth.enabled=true\n");
    std::fs::write(&config, &base).unwrap();
    let s = Server::start(&config, &["--poll-ms", "50"]);
    let port = s.port;
    let good = Arc::new(bearer(&token(ALICE)));
    assert_eq!(s.get("/auth/newapi", &[("Authorization", &good)]).header("x-auth-reason"), Some("endpoint_not_enabled"));

    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (stop, ok, failed, good) = (stop.clone(), ok.clone(), failed.clone(), good.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let r = http(port, "GET", "/auth/xapirest", &[("Authorization", &good)], b"");
                    if r.status == 200 && r.header("x-auth-user") == Some("alice") {
                        ok.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                        eprintln!("failed during reload: {r:?}");
                    }
                }
            })
        })
        .collect();

    for i in 0..6 {
        replace(&config, if i % 2 == 0 { &with_new } else { &base });
        s.signal("HUP");
        std::thread::sleep(Duration::from_millis(120));
    }
    // A broken file: the reload fails and the last good configuration serves on.
    replace(&config, &format!("{base}yfs.yfs.jwt.verify.clockskew=1m\n"));
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(failed.load(Ordering::Relaxed), 0, "requests failed during reloads");
    assert!(ok.load(Ordering::Relaxed) > 50, "too little load: {}", ok.load(Ordering::Relaxed));
    // The last good file (base, i = 5) ends up serving: newapi is off again.
    // "Ends up": reloads queue behind each other, and one that builds a key
    // source for an unreachable server may take a while on a busy machine.
    let until = |endpoint_on: bool, what: &str| {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let r = s.get("/auth/newapi", &[("Authorization", &good)]);
            if (r.status == 200) == endpoint_on {
                break;
            }
            assert!(Instant::now() < deadline, "{what}: {r:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    until(false, "the last good configuration never came back");

    // A change picked up by the poll alone, without a signal.
    replace(&config, &with_new);
    until(true, "the file change was not picked up");
    let m = s.get("/metrics", &[]).body;
    // Signals sent while a reload runs may coalesce into one, so only a floor.
    assert!(metric(&m, r#"jwtgate_config_reloads_total{result="ok"}"#).unwrap() >= 2.0, "{m}");
    assert!(metric(&m, r#"jwtgate_config_reloads_total{result="error"}"#).unwrap() >= 1.0, "{m}");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let (_dir, mut s) = start("", &[]);
    assert_eq!(s.get("/healthz", &[]).status, 200);
    s.signal("TERM");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_bad_configuration_exits_2_with_the_reason() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jwtgate"))
        .args(["serve", "--config", "does/not/exist.properties", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("config_io: "));
}

/// Header values carry UTF-8 as is; a control character cannot travel and
/// must not be rewritten into another user's name, so that check fails closed.
#[test]
fn identity_values_are_passed_exactly_or_refused() {
    let (_dir, s) = start("", &[]);
    let r = s.get("/auth/xapirest", &[("Authorization", &bearer(&token(r#"{"sub":"josé","exp":4102444800}"#)))]);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-auth-user"), Some("josé"));
    let r = s.get("/auth/xapirest", &[("Authorization", &bearer(&token(r#"{"sub":"eve\r\nX-Auth-User: root","exp":4102444800}"#)))]);
    assert_eq!((r.status, r.header("x-auth-reason")), (500, Some("internal")), "{r:?}");
    assert_eq!(r.header("x-auth-user"), None);
}

#[test]
fn an_oversized_body_is_refused_not_ignored() {
    let (_dir, s) = start("", &[]);
    let body = format!("access_token={}&pad={}", token(ALICE), "x".repeat(70_000));
    let r = http(s.port, "POST", "/auth/xapirest", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes());
    assert_eq!((r.status, r.header("x-auth-reason")), (401, Some("invalid_argument")), "{r:?}");
}
