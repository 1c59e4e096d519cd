//! Public JWKs, base64 key bodies and signed tokens from the fixture keys
//! in `tests/fixtures/keys/` (so the server publishes what tests sign with).

use base64::Engine;
use der::Decode;
use serde_json::{Value, json};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/keys/").to_string() + name;
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The public JWK of fixture `<name>.pub.pem` (rsa2048, ec256, ed25519, ...).
pub fn jwk(name: &str, kid: &str) -> Value {
    let pem = pem::parse(fixture(&format!("{name}.pub.pem"))).unwrap();
    let spki = spki::SubjectPublicKeyInfoRef::from_der(pem.contents()).unwrap();
    let raw = spki.subject_public_key.raw_bytes();
    let oid = spki.algorithm.oid.to_string();
    let mut k = match oid.as_str() {
        "1.2.840.113549.1.1.1" => {
            let rsa = pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(raw).unwrap();
            json!({"kty": "RSA", "n": b64url(rsa.modulus.as_bytes()), "e": b64url(rsa.public_exponent.as_bytes())})
        }
        "1.2.840.10045.2.1" => {
            let len = (raw.len() - 1) / 2;
            let crv = match len {
                32 => "P-256",
                48 => "P-384",
                _ => "P-521",
            };
            json!({"kty": "EC", "crv": crv, "x": b64url(&raw[1..1 + len]), "y": b64url(&raw[1 + len..])})
        }
        "1.3.101.112" => json!({"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}),
        other => panic!("fixture {name}: unexpected key algorithm {other}"),
    };
    k["kid"] = json!(kid);
    k["use"] = json!("sig");
    k
}

/// A JWK Set body of `(fixture, kid)` pairs.
pub fn jwks(keys: &[(&str, &str)]) -> String {
    json!({"keys": keys.iter().map(|(n, k)| jwk(n, k)).collect::<Vec<_>>()}).to_string()
}

/// httpsbase64 body: base64 of the whole PEM text of `<file>`.
pub fn base64_of_pem(file: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(fixture(file))
}

/// httpsbase64 body: base64 of the DER inside `<file>` (a key or certificate).
pub fn base64_of_der(file: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(pem::parse(fixture(file)).unwrap().contents())
}

/// A token signed with fixture `<name>.pk8.pem`, valid until 2100.
pub fn token(alg: jwtgate_core::Alg, name: &str, kid: Option<&str>, sub: &str) -> String {
    let header = match kid {
        Some(k) => json!({"alg": alg.name(), "kid": k}),
        None => json!({"alg": alg.name()}),
    };
    let payload = json!({"sub": sub, "exp": 4102444800u64});
    jwtgate_core::testkit::sign(alg, &header.to_string(), &payload.to_string(), &fixture(&format!("{name}.pk8.pem")))
}
