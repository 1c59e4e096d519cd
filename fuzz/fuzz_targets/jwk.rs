//! JWK / JWKS / PEM / base64 / DER key parsing on arbitrary bytes, under each
//! secret policy: no panic, and a key that loads can be used.
#![no_main]

use jwtgate_core::Alg;
use jwtgate_core::keys::material::{Secrets, parse_any, parse_jwk_json, parse_key_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for secrets in [Secrets::Never, Secrets::JwkOnly, Secrets::Raw] {
        if let Ok(keys) = parse_any(data, Some("k"), secrets) {
            for k in keys {
                for alg in Alg::ALL {
                    if k.fits(alg) {
                        assert!(!k.verify(alg, b"x.y", &[0u8; 64]));
                    }
                }
            }
        }
    }
    let _ = parse_jwk_json(data, false);
    let _ = parse_jwk_json(data, true);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_key_text(text, None);
    }
});
