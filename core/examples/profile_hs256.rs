//! A fixed loop of HS256 verifications for instruction-count profiling:
//! `valgrind --tool=callgrind target/release/examples/profile_hs256`.
use std::sync::Arc;

use jwtgate_core::testkit::sign;
use jwtgate_core::{Alg, Gate, ManualClock};

fn main() {
    const NOW: u64 = 1_767_225_600;
    let secret = "bench-secret-0123456789abcdef0123456789abcdef";
    let payload = format!(
        r#"{{"iss":"https://idp.example.com","sub":"alice","aud":"api","exp":{},"iat":{},"nbf":{},"email":"alice@example.com","org":{{"id":"acme","dept":"sales","region":"emea"}},"groups":["admins","sales","emea","csr","ops"],"jti":"6c1d1f0e-55e8-4d3c-9d7e-3c2b1a0f9e8d"}}"#,
        NOW + 3600, NOW - 10, NOW - 10
    );
    let token = sign(Alg::HS256, r#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#, &payload, secret.as_bytes());
    let props = format!("yfs.yfs.jwt.verify.sharedkey={secret}\nyfs.yfs.jwt.verify.audiences=api\nyfs.yfs.jwt.defclaimparser.user.email.path=email\nyfs.yfs.jwt.verify.tokencache.size=0\n");
    let gate = Gate::from_properties_with_clock(&props, Arc::new(ManualClock::new(NOW))).unwrap();
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    for _ in 0..n {
        std::hint::black_box(gate.verify_shared(&token, None).unwrap());
    }
}
