//! The token verifier and the request path on arbitrary input, against a
//! gate with RSA, EC, Ed25519 and HMAC profiles. No input may panic, every
//! refusal must carry a known reason, and no message may echo the secret.
#![no_main]

use std::sync::{Arc, LazyLock};

use jwtgate_core::{Gate, ManualClock, Reason, Request};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-secret-0123456789abcdef0123456789abcdef";

fn b64(pem: &str) -> String {
    use std::fmt::Write;
    // Plain PEM with continuation lines keeps this target free of extra crates.
    let mut out = String::new();
    for line in pem.lines() {
        let _ = write!(out, "{line}\\n\\\n ");
    }
    out
}

static GATE: LazyLock<Gate> = LazyLock::new(|| {
    let props = format!(
        "yfs.yfs.jwt.verify.propkeyloader.rsa1={}\n\
         yfs.yfs.jwt.verify.propkeyloader.ec1={}\n\
         yfs.yfs.jwt.verify.propkeyloader.ed1={}\n\
         yfs.yfs.jwt.verify.audiences=api\n\
         yfs.yfs.jwt.defclaimparser.user.email.path=a.b.0\n\
         yfs.yfs.jwt.https\\://idp.example.com.verify.sharedkey={SECRET}\n\
         yfs.yfs.jwt.https\\://idp.example.com.defclaimparser.path.delim=$\n\
         yfs.yfs.jwt.https\\://idp.example.com.defclaimparser.user.path=x$y\n\
         api.servlet.jwt.auth.enabled=true\napi.servlet.jwt.cookie.name=jwtToken\n",
        b64(include_str!("../../tests/fixtures/keys/rsa2048.pub.pem")),
        b64(include_str!("../../tests/fixtures/keys/ec256.pub.pem")),
        b64(include_str!("../../tests/fixtures/keys/ed25519.pub.pem")),
    );
    Gate::from_properties_with_clock(&props, Arc::new(ManualClock::new(1_767_225_600))).expect("fuzz gate builds")
});

fn check(r: jwtgate_core::Result<jwtgate_core::Identity>) {
    if let Err(e) = r {
        assert!(Reason::ALL.contains(&e.reason()));
        assert!(!e.to_string().contains(SECRET), "a message echoed the secret");
        let _ = e.www_authenticate();
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(GATE.verify(&text));
    check(GATE.verify_for_url(&text, Some("https://h/app")));
    // The same bytes as a request: split into a header value and a body.
    let mid = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let (head, body) = text.split_at(mid);
    let cookie = format!("jwtToken={head}");
    let headers = [("Authorization", head), ("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    let req = Request { headers: &headers, url: Some(head), body: Some(body.as_bytes()) };
    check(GATE.authenticate("api", &req));
});
