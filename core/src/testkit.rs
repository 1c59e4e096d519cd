//! Token minting for tests, examples, vectors and benchmarks (feature
//! `testkit`). jwtgate itself never signs; this exists so the project can
//! make its own tokens, including malformed ones, from its own keys.

use aws_lc_rs::{hmac, rand, signature};

use crate::alg::Alg;
use crate::token::b64url_encode;

/// Signs `header_json.payload_json` with a PKCS#8 PEM private key, or with
/// `key` as the raw secret for HS*.
pub fn sign(alg: Alg, header_json: &str, payload_json: &str, key: &[u8]) -> String {
    let input = format!("{}.{}", b64url_encode(header_json.as_bytes()), b64url_encode(payload_json.as_bytes()));
    let sig = sign_bytes(alg, input.as_bytes(), key);
    format!("{input}.{}", b64url_encode(&sig))
}

/// Raw JWS signature over `input`.
pub fn sign_bytes(alg: Alg, input: &[u8], key: &[u8]) -> Vec<u8> {
    let rng = rand::SystemRandom::new();
    let der = || pem::parse(key).expect("PKCS#8 PEM private key").into_contents();
    let rsa = |enc: &'static dyn signature::RsaEncoding| {
        let kp = signature::RsaKeyPair::from_pkcs8(&der()).expect("RSA PKCS#8 key");
        let mut sig = vec![0; kp.public_modulus_len()];
        kp.sign(enc, &rng, input, &mut sig).expect("RSA signature");
        sig
    };
    let ec = |a: &'static signature::EcdsaSigningAlgorithm| {
        let kp = signature::EcdsaKeyPair::from_pkcs8(a, &der()).expect("EC PKCS#8 key");
        kp.sign(&rng, input).expect("ECDSA signature").as_ref().to_vec()
    };
    let mac = |a| hmac::sign(&hmac::Key::new(a, key), input).as_ref().to_vec();
    match alg {
        Alg::RS256 => rsa(&signature::RSA_PKCS1_SHA256),
        Alg::RS384 => rsa(&signature::RSA_PKCS1_SHA384),
        Alg::RS512 => rsa(&signature::RSA_PKCS1_SHA512),
        Alg::PS256 => rsa(&signature::RSA_PSS_SHA256),
        Alg::PS384 => rsa(&signature::RSA_PSS_SHA384),
        Alg::PS512 => rsa(&signature::RSA_PSS_SHA512),
        Alg::ES256 => ec(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
        Alg::ES384 => ec(&signature::ECDSA_P384_SHA384_FIXED_SIGNING),
        Alg::ES512 => ec(&signature::ECDSA_P521_SHA512_FIXED_SIGNING),
        Alg::EdDSA => {
            let kp = signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der()).expect("Ed25519 PKCS#8 key");
            kp.sign(input).as_ref().to_vec()
        }
        Alg::HS256 => mac(hmac::HMAC_SHA256),
        Alg::HS384 => mac(hmac::HMAC_SHA384),
        Alg::HS512 => mac(hmac::HMAC_SHA512),
    }
}
