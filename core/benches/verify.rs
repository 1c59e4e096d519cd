//! Core verify vs the raw aws-lc signature check (prebuilt key) vs the
//! jsonwebtoken crate alone, on the same realistic token per algorithm.
//!
//!     cargo bench -p jwtgate-core --bench verify
//!
//! The token: header with alg, kid, typ; a ~300-byte payload with iss, sub,
//! aud, exp, iat, nbf, email, a nested object and five groups.

use std::hint::black_box;
use std::sync::Arc;

use aws_lc_rs::{hmac, signature};
use base64::Engine;
use criterion::{Criterion, criterion_group, criterion_main};
use jwtgate_core::testkit::sign;
use jwtgate_core::{Alg, Gate, ManualClock};

const NOW: u64 = 1_767_225_600;
const SECRET: &str = "bench-secret-0123456789abcdef0123456789abcdef";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn payload() -> String {
    format!(
        r#"{{"iss":"https://idp.example.com","sub":"alice","aud":"api","exp":{},"iat":{},"nbf":{},"email":"alice@example.com","org":{{"id":"acme","dept":"sales","region":"emea"}},"groups":["admins","sales","emea","csr","ops"],"jti":"6c1d1f0e-55e8-4d3c-9d7e-3c2b1a0f9e8d"}}"#,
        NOW + 3600,
        NOW - 10,
        NOW - 10
    )
}

struct Case {
    alg: Alg,
    private: Vec<u8>,
    public_pem: Option<&'static str>,
}

fn spki_der(pem_name: &str) -> Vec<u8> {
    pem::parse(fixture(pem_name)).unwrap().into_contents()
}

fn bench(c: &mut Criterion) {
    let cases = [
        Case { alg: Alg::RS256, private: fixture("rsa2048.pk8.pem"), public_pem: Some("rsa2048.pub.pem") },
        Case { alg: Alg::PS256, private: fixture("rsa2048.pk8.pem"), public_pem: Some("rsa2048.pub.pem") },
        Case { alg: Alg::ES256, private: fixture("ec256.pk8.pem"), public_pem: Some("ec256.pub.pem") },
        Case { alg: Alg::EdDSA, private: fixture("ed25519.pk8.pem"), public_pem: Some("ed25519.pub.pem") },
        Case { alg: Alg::HS256, private: SECRET.as_bytes().to_vec(), public_pem: None },
    ];
    for case in cases {
        let alg = case.alg;
        let header = format!(r#"{{"alg":"{alg}","kid":"k1","typ":"JWT"}}"#);
        let token = sign(alg, &header, &payload(), &case.private);
        let (input, sig_b64) = token.rsplit_once('.').unwrap();
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig_b64).unwrap();
        let mut group = c.benchmark_group(alg.name());

        // 1. Raw signature check with a prebuilt key: the floor.
        match case.public_pem {
            Some(pem_name) => {
                let der = spki_der(pem_name);
                let v: &'static dyn signature::VerificationAlgorithm = match alg {
                    Alg::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
                    Alg::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
                    Alg::ES256 => &signature::ECDSA_P256_SHA256_FIXED,
                    _ => &signature::ED25519,
                };
                let key = signature::ParsedPublicKey::new(v, &der).unwrap();
                group.bench_function("raw_aws_lc", |b| b.iter(|| key.verify_sig(black_box(input.as_bytes()), black_box(&sig)).unwrap()));
            }
            None => {
                let key = hmac::Key::new(hmac::HMAC_SHA256, SECRET.as_bytes());
                group.bench_function("raw_aws_lc", |b| b.iter(|| hmac::verify(&key, black_box(input.as_bytes()), black_box(&sig)).unwrap()));
            }
        }

        // 2. The jsonwebtoken crate alone (prebuilt DecodingKey, same claim checks it can do).
        {
            use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
            let (jalg, key) = match alg {
                Alg::RS256 => (Algorithm::RS256, DecodingKey::from_rsa_pem(&fixture("rsa2048.pub.pem")).unwrap()),
                Alg::PS256 => (Algorithm::PS256, DecodingKey::from_rsa_pem(&fixture("rsa2048.pub.pem")).unwrap()),
                Alg::ES256 => (Algorithm::ES256, DecodingKey::from_ec_pem(&fixture("ec256.pub.pem")).unwrap()),
                Alg::EdDSA => (Algorithm::EdDSA, DecodingKey::from_ed_pem(&fixture("ed25519.pub.pem")).unwrap()),
                _ => (Algorithm::HS256, DecodingKey::from_secret(SECRET.as_bytes())),
            };
            let mut v = Validation::new(jalg);
            v.set_audience(&["api"]);
            v.set_issuer(&["https://idp.example.com"]);
            // Its own clock is the wall clock; the token is valid for decades either way.
            v.validate_exp = false;
            v.validate_nbf = false;
            group.bench_function("jsonwebtoken", |b| {
                b.iter(|| decode::<serde_json::Value>(black_box(&token), &key, &v).unwrap())
            });
        }

        // 3. jwtgate: the whole verify (structure, header, policy, key, signature,
        //    claims, identity), with and without the verified-token cache.
        let key_line = match case.public_pem {
            Some(p) => format!("yfs.yfs.jwt.verify.propkeyloader.k1={}\n", base64::engine::general_purpose::STANDARD.encode(fixture(p))),
            None => format!("yfs.yfs.jwt.verify.sharedkey={SECRET}\n"),
        };
        for (name, cache) in [("jwtgate", 0), ("jwtgate_cache_hit", 10_000)] {
            let props = format!(
                "{key_line}yfs.yfs.jwt.verify.audiences=api\nyfs.yfs.jwt.verify.issuers=https://idp.example.com\n\
                 yfs.yfs.jwt.defclaimparser.user.email.path=email\nyfs.yfs.jwt.verify.tokencache.size={cache}\n"
            );
            let gate = Gate::from_properties_with_clock(&props, Arc::new(ManualClock::new(NOW))).unwrap();
            assert_eq!(gate.verify(&token).unwrap().user, "alice");
            // verify_shared: a cache hit hands back the cached identity (what
            // the bindings call); `verify` would add a deep copy of the claims.
            group.bench_function(name, |b| b.iter(|| gate.verify_shared(black_box(&token), None).unwrap()));
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = bench
}
criterion_main!(benches);
