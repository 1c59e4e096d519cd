//! Key material (PEM, DER, base64, X.509, JWK, JWKS, shared secrets) →
//! [`VerifyingKey`]: checked once when loaded and turned into ready aws-lc
//! verifier objects, so the verify path never parses a key.

use std::sync::Arc;

use aws_lc_rs::{digest, hmac, signature};
use base64::Engine;
use der::{Decode, Encode};
use serde_json::Value;

use crate::alg::{Alg, AlgSet, Family};
use crate::config::Secret;
use crate::error::{Result, bail, err};
use crate::json;

/// A public key or shared secret, parsed and checked, ready to verify.
pub struct VerifyingKey {
    pub kid: Option<String>,
    pub family: Family,
    /// The JWK `alg`, when the key is pinned to one algorithm.
    pub pinned: Option<Alg>,
    /// What this key may verify: its family, narrowed by the pin and, for
    /// HMAC, by length (RFC 7518 §3.2: a key at least as long as the hash).
    allowed: AlgSet,
    /// RSA modulus size in bits.
    pub bits: Option<u32>,
    /// `sha256:` + hex of the first 16 bytes of the SHA-256 of the public
    /// key (PKCS#1 / SEC1 point / raw Ed25519) or, for a secret, of the secret.
    pub fingerprint: String,
    verifier: Verifier,
}

// One per key, built once and shared behind an Arc: the variants' sizes do
// not matter, and boxing would add a pointer chase to every HMAC check.
#[allow(clippy::large_enum_variant)]
enum Verifier {
    /// One parsed key per algorithm of the family (aws-lc binds the two).
    Public(Vec<(Alg, signature::ParsedPublicKey)>),
    Hmac([(Alg, hmac::Key); 3]),
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("kid", &self.kid)
            .field("family", &self.family)
            .field("pinned", &self.pinned)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

impl VerifyingKey {
    /// The algorithms this key may verify (its family, narrowed by a pin).
    pub fn algs(&self) -> AlgSet {
        self.allowed
    }

    pub fn fits(&self, alg: Alg) -> bool {
        self.allowed.contains(alg)
    }

    /// Narrows the key to one algorithm (a JWK `alg`); refused when the key
    /// cannot do it.
    fn pin(mut self, alg: Option<Alg>) -> Result<VerifyingKey> {
        let Some(a) = alg else { return Ok(self) };
        if !self.allowed.contains(a) {
            bail!(ConfigInvalid, "the key's `alg` {a} does not fit a {} key of this size", self.family.name());
        }
        self.pinned = Some(a);
        self.allowed = AlgSet::EMPTY;
        self.allowed.insert(a);
        Ok(self)
    }

    /// Checks `sig` over `message`. The caller has already checked `fits`.
    pub fn verify(&self, alg: Alg, message: &[u8], sig: &[u8]) -> bool {
        match &self.verifier {
            Verifier::Public(keys) => keys
                .iter()
                .find(|(a, _)| *a == alg)
                .is_some_and(|(_, k)| k.verify_sig(message, sig).is_ok()),
            Verifier::Hmac(keys) => keys
                .iter()
                .find(|(a, _)| *a == alg)
                .is_some_and(|(_, k)| hmac::verify(k, message, sig).is_ok()),
        }
    }

    pub fn with_kid(mut self, kid: Option<String>) -> VerifyingKey {
        self.kid = kid;
        self
    }

    /// An HMAC key. Secrets under 32 bytes, or PEM text, are refused.
    pub fn from_secret(secret: &Secret, kid: Option<String>) -> Result<VerifyingKey> {
        let bytes = &secret.0;
        if bytes.len() < 32 {
            bail!(ConfigInvalid, "HMAC secret is {} bytes; at least 32 are required (RFC 7518 §3.2)", bytes.len());
        }
        if looks_like_pem_or_public_key(bytes) {
            bail!(ConfigInvalid, "the HMAC secret is a public key; a public key can never be an HMAC secret");
        }
        let k = |a, h| (a, hmac::Key::new(h, bytes));
        let mut allowed = AlgSet::EMPTY;
        for (alg, min) in [(Alg::HS256, 32), (Alg::HS384, 48), (Alg::HS512, 64)] {
            if bytes.len() >= min {
                allowed.insert(alg);
            }
        }
        Ok(VerifyingKey {
            kid,
            family: Family::Hmac,
            pinned: None,
            allowed,
            bits: None,
            fingerprint: fingerprint(bytes),
            verifier: Verifier::Hmac([
                k(Alg::HS256, hmac::HMAC_SHA256),
                k(Alg::HS384, hmac::HMAC_SHA384),
                k(Alg::HS512, hmac::HMAC_SHA512),
            ]),
        })
    }

    /// A public key from its raw form (RSA: PKCS#1 DER; EC: SEC1 point;
    /// Ed25519: 32 bytes). RSA under 2048 bits or with a tiny exponent is refused.
    fn from_raw_public(family: Family, raw: &[u8], kid: Option<String>) -> Result<VerifyingKey> {
        let mut bits = None;
        if family == Family::Rsa {
            let rsa = pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(raw)
                .map_err(|_| err!(ConfigInvalid, "the RSA public key is not valid PKCS#1 DER"))?;
            let n = rsa.modulus.as_bytes();
            let b = (n.len() * 8) as u32 - n.first().map_or(8, |x| x.leading_zeros());
            if b < 2048 {
                bail!(ConfigInvalid, "the RSA key has {b} bits; at least 2048 are required");
            }
            if b > 8192 {
                bail!(ConfigInvalid, "the RSA key has {b} bits; at most 8192 are supported");
            }
            let e = rsa.public_exponent.as_bytes();
            let small_e = e.len() <= 8 && e.iter().fold(0u64, |acc, x| (acc << 8) | u64::from(*x)) < 3;
            if small_e || e.last().is_none_or(|x| x % 2 == 0) {
                bail!(ConfigInvalid, "the RSA key has an invalid public exponent (it must be odd and at least 3)");
            }
            bits = Some(b);
        }
        let algs = family.algs();
        let mut verifiers = Vec::new();
        for alg in algs.iter() {
            let k = signature::ParsedPublicKey::new(aws_alg(alg), raw)
                .map_err(|e| err!(ConfigInvalid, "the {} public key was rejected: {e}", family.name()))?;
            verifiers.push((alg, k));
        }
        Ok(VerifyingKey {
            kid,
            family,
            pinned: None,
            allowed: algs,
            bits,
            fingerprint: fingerprint(raw),
            verifier: Verifier::Public(verifiers),
        })
    }
}

fn aws_alg(alg: Alg) -> &'static dyn signature::VerificationAlgorithm {
    match alg {
        Alg::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
        Alg::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        Alg::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        Alg::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
        Alg::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
        Alg::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
        Alg::ES256 => &signature::ECDSA_P256_SHA256_FIXED,
        Alg::ES384 => &signature::ECDSA_P384_SHA384_FIXED,
        Alg::ES512 => &signature::ECDSA_P521_SHA512_FIXED,
        Alg::EdDSA => &signature::ED25519,
        Alg::HS256 | Alg::HS384 | Alg::HS512 => unreachable!("HMAC keys never build a public verifier"),
    }
}

fn fingerprint(bytes: &[u8]) -> String {
    let d = digest::digest(&digest::SHA256, bytes);
    let hex: String = d.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn looks_like_pem_or_public_key(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.contains("-----BEGIN") || parse_der(bytes, None).is_ok()
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_P521: &str = "1.3.132.0.35";

/// SubjectPublicKeyInfo DER → key.
fn from_spki(der: &[u8], kid: Option<String>) -> Result<VerifyingKey> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|_| err!(ConfigInvalid, "not a SubjectPublicKeyInfo public key"))?;
    let (oid, params) = spki
        .algorithm
        .oids()
        .map_err(|_| err!(ConfigInvalid, "the public key's algorithm parameters are not valid DER"))?;
    let family = match (oid.to_string().as_str(), params.map(|p| p.to_string())) {
        (OID_RSA, _) => Family::Rsa,
        (OID_ED25519, _) => Family::Ed25519,
        (OID_EC, Some(c)) if c == OID_P256 => Family::EcP256,
        (OID_EC, Some(c)) if c == OID_P384 => Family::EcP384,
        (OID_EC, Some(c)) if c == OID_P521 => Family::EcP521,
        (OID_EC, c) => bail!(ConfigInvalid, "EC curve {} is not supported (P-256, P-384, P-521)", c.unwrap_or_default()),
        (other, _) => bail!(ConfigInvalid, "public key algorithm {other} is not supported (RSA, EC, Ed25519)"),
    };
    let raw = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| err!(ConfigInvalid, "the public key bit string is not byte-aligned"))?;
    VerifyingKey::from_raw_public(family, raw, kid)
}

/// DER: an X.509 certificate, a SubjectPublicKeyInfo, or a PKCS#1 RSA key.
pub fn parse_der(der: &[u8], kid: Option<String>) -> Result<VerifyingKey> {
    if let Ok(cert) = x509_cert::Certificate::from_der(der) {
        let spki = cert.tbs_certificate().subject_public_key_info().to_der();
        let spki = spki.map_err(|_| err!(ConfigInvalid, "the certificate's public key cannot be re-encoded"))?;
        return from_spki(&spki, kid);
    }
    if spki::SubjectPublicKeyInfoRef::from_der(der).is_ok() {
        return from_spki(der, kid);
    }
    if pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(der).is_ok() {
        return VerifyingKey::from_raw_public(Family::Rsa, der, kid);
    }
    bail!(ConfigInvalid, "not a public key, certificate or PKCS#1 RSA key in DER")
}

/// PEM text with one public key or certificate.
pub fn parse_pem(text: &str, kid: Option<String>) -> Result<VerifyingKey> {
    let p = pem::parse(text.trim()).map_err(|_| err!(ConfigInvalid, "the PEM text is not valid PEM"))?;
    match p.tag() {
        "PUBLIC KEY" | "CERTIFICATE" | "RSA PUBLIC KEY" => parse_der(p.contents(), kid),
        t if t.contains("PRIVATE") => {
            bail!(ConfigInvalid, "the PEM block is a private key ({t}); configure the public key or certificate")
        }
        t => bail!(ConfigInvalid, "PEM blocks of type `{t}` are not supported (PUBLIC KEY, RSA PUBLIC KEY, CERTIFICATE)"),
    }
}

/// The forms a `verify.propkeyloader.<kid>` value may take: plain PEM, base64
/// of the whole PEM text, or base64 of the DER body.
pub fn parse_key_text(value: &str, kid: Option<String>) -> Result<VerifyingKey> {
    let value = value.trim();
    if value.starts_with('{') {
        // A JWK (e.g. to pin `alg`); the configured kid wins over its own.
        let v = json::parse_strict(value.as_bytes()).map_err(|e| err!(ConfigInvalid, "the JWK is not valid JSON: {e}"))?;
        let obj = v.as_object().ok_or_else(|| err!(ConfigInvalid, "the JWK is not a JSON object"))?;
        let key = parse_jwk(obj, true).map_err(|why| err!(ConfigInvalid, "the JWK was refused: {why}"))?;
        return Ok(match kid {
            Some(k) => key.with_kid(Some(k)),
            None => key,
        });
    }
    if value.contains("-----BEGIN") {
        return parse_pem(value, kid);
    }
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.trim_end_matches('='))
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(compact.trim_end_matches('=')))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(compact.trim_end_matches('=')))
        .map_err(|_| err!(ConfigInvalid, "the key is neither PEM nor base64"))?;
    match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("-----BEGIN") => parse_pem(text, kid),
        _ => parse_der(&bytes, kid),
    }
}

/// Whether a JWK may be used for verification, from `use` and `key_ops`.
fn check_usage(jwk: &serde_json::Map<String, Value>) -> std::result::Result<(), String> {
    match jwk.get("use") {
        None => {}
        Some(Value::String(u)) if u == "sig" => {}
        Some(u) => return Err(format!("`use` is {u}, not \"sig\"")),
    }
    match jwk.get("key_ops") {
        None => {}
        Some(Value::Array(ops)) if ops.iter().any(|o| o == "verify") => {}
        Some(_) => return Err("`key_ops` does not include \"verify\"".into()),
    }
    Ok(())
}

fn b64url_member(jwk: &serde_json::Map<String, Value>, name: &str) -> std::result::Result<Vec<u8>, String> {
    let s = jwk.get(name).and_then(Value::as_str).ok_or_else(|| format!("member `{name}` is missing or not a string"))?;
    crate::token::b64url_decode(s.as_bytes()).ok_or_else(|| format!("member `{name}` is not base64url"))
}

/// One JWK (a parsed JSON object). `allow_secret`: whether an `oct` key may
/// be used (static configuration yes, a fetched key set never).
pub fn parse_jwk(jwk: &serde_json::Map<String, Value>, allow_secret: bool) -> std::result::Result<VerifyingKey, String> {
    check_usage(jwk)?;
    let kid = match jwk.get("kid") {
        None => None,
        Some(Value::String(k)) => Some(k.clone()),
        Some(_) => return Err("`kid` is not a string".into()),
    };
    let pinned = match jwk.get("alg") {
        None => None,
        Some(Value::String(a)) => Some(Alg::from_name(a).ok_or_else(|| format!("`alg` {a} is not a supported JWS algorithm"))?),
        Some(_) => return Err("`alg` is not a string".into()),
    };
    let kty = jwk.get("kty").and_then(Value::as_str).ok_or("`kty` is missing")?;
    let private = ["d", "p", "q", "dp", "dq", "qi", "oth"].iter().any(|m| jwk.contains_key(*m));
    if private && kty != "oct" {
        return Err("the JWK holds private key members; publish only the public key".into());
    }
    let key = match kty {
        "RSA" => {
            let n = b64url_member(jwk, "n")?;
            let e = b64url_member(jwk, "e")?;
            let der = pkcs1::RsaPublicKey {
                modulus: der::asn1::UintRef::new(&n).map_err(|e| e.to_string())?,
                public_exponent: der::asn1::UintRef::new(&e).map_err(|e| e.to_string())?,
            }
            .to_der()
            .map_err(|e| e.to_string())?;
            VerifyingKey::from_raw_public(Family::Rsa, &der, kid).and_then(|k| k.pin(pinned)).map_err(|e| e.message().to_string())?
        }
        "EC" => {
            let (family, len) = match jwk.get("crv").and_then(Value::as_str) {
                Some("P-256") => (Family::EcP256, 32),
                Some("P-384") => (Family::EcP384, 48),
                Some("P-521") => (Family::EcP521, 66),
                c => return Err(format!("EC curve {c:?} is not supported")),
            };
            let (x, y) = (b64url_member(jwk, "x")?, b64url_member(jwk, "y")?);
            if x.len() != len || y.len() != len {
                return Err("EC coordinates have the wrong length for the curve".into());
            }
            let mut point = Vec::with_capacity(1 + 2 * len);
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            VerifyingKey::from_raw_public(family, &point, kid).and_then(|k| k.pin(pinned)).map_err(|e| e.message().to_string())?
        }
        "OKP" => {
            if jwk.get("crv").and_then(Value::as_str) != Some("Ed25519") {
                return Err("only the Ed25519 OKP curve is supported".into());
            }
            let x = b64url_member(jwk, "x")?;
            if x.len() != 32 {
                return Err("an Ed25519 key is 32 bytes".into());
            }
            VerifyingKey::from_raw_public(Family::Ed25519, &x, kid).and_then(|k| k.pin(pinned)).map_err(|e| e.message().to_string())?
        }
        "oct" if allow_secret => {
            let k = b64url_member(jwk, "k")?;
            VerifyingKey::from_secret(&Secret(k), kid).and_then(|k| k.pin(pinned)).map_err(|e| e.message().to_string())?
        }
        "oct" => return Err("symmetric (oct) keys are never taken from a fetched key set".into()),
        other => return Err(format!("key type `{other}` is not supported")),
    };
    Ok(key)
}

/// A parsed JWKS or single JWK: the usable keys, and a note per skipped key.
pub struct ParsedSet {
    pub keys: Vec<VerifyingKey>,
    pub skipped: Vec<String>,
}

/// JSON text holding a JWK Set (`{"keys":[...]}`) or one JWK.
pub fn parse_jwk_json(text: &[u8], allow_secret: bool) -> Result<ParsedSet> {
    let v = json::parse_strict(text).map_err(|e| err!(ConfigInvalid, "key set is not valid JSON: {e}"))?;
    let Value::Object(obj) = v else { bail!(ConfigInvalid, "key set is not a JSON object") };
    let mut set = ParsedSet { keys: Vec::new(), skipped: Vec::new() };
    match obj.get("keys") {
        Some(Value::Array(keys)) => {
            for (i, k) in keys.iter().enumerate() {
                let label = k.get("kid").and_then(Value::as_str).map_or(format!("#{i}"), |k| format!("kid `{k}`"));
                match k.as_object().ok_or_else(|| "not a JSON object".to_string()).and_then(|o| parse_jwk(o, allow_secret)) {
                    Ok(key) => set.keys.push(key),
                    Err(why) => set.skipped.push(format!("key {label} skipped: {why}")),
                }
            }
        }
        Some(_) => bail!(ConfigInvalid, "`keys` is not an array"),
        None if obj.contains_key("kty") => {
            set.keys.push(parse_jwk(&obj, allow_secret).map_err(|why| err!(ConfigInvalid, "the JWK was refused: {why}"))?)
        }
        None => bail!(ConfigInvalid, "neither a JWK Set (`keys`) nor a JWK (`kty`)"),
    }
    Ok(set)
}

/// Which secrets a key source may produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrets {
    /// Fetched key sets: public by nature, `oct` keys are skipped.
    Never,
    /// Local files: `oct` JWKs are allowed, raw bytes never become a secret.
    JwkOnly,
    /// Host loaders: raw bytes that are no public key are an HMAC secret.
    Raw,
}

/// Refuses key sets that invite confusion: HMAC secrets mixed with public
/// keys (give secrets a profile of their own), and a kid used twice (which
/// key would be meant is undecidable).
pub fn check_set(keys: &[Arc<VerifyingKey>]) -> Result<()> {
    let hmac = keys.iter().filter(|k| k.family == Family::Hmac).count();
    if hmac > 0 && hmac < keys.len() {
        bail!(ConfigInvalid, "the key set mixes HMAC secrets with public keys; put the secrets in a profile of their own");
    }
    for (i, k) in keys.iter().enumerate() {
        if let Some(kid) = &k.kid
            && keys[..i].iter().any(|o| o.kid.as_ref() == Some(kid)) {
                bail!(ConfigInvalid, "the key set uses kid `{}` twice; every kid must be unique", json::truncate(kid, 60));
            }
    }
    Ok(())
}

/// Anything a key source may hand back: PEM, base64 PEM/DER, DER, JWK, JWKS,
/// or (with [`Secrets::Raw`], only when nothing else fits) a shared secret.
pub fn parse_any(bytes: &[u8], kid: Option<&str>, secrets: Secrets) -> Result<Vec<Arc<VerifyingKey>>> {
    let owned_kid = || kid.map(str::to_string);
    let trimmed = bytes.trim_ascii();
    if trimmed.first() == Some(&b'{') {
        let set = parse_jwk_json(trimmed, secrets != Secrets::Never)?;
        if secrets == Secrets::JwkOnly && !set.skipped.is_empty() {
            // A local file is the operator's own: fix it rather than run on part of it.
            bail!(ConfigInvalid, "{}", set.skipped.join("; "));
        }
        for s in &set.skipped {
            log::warn!("{s}");
        }
        if set.keys.is_empty() {
            let why = set.skipped.join("; ");
            bail!(ConfigInvalid, "the key set holds no usable key ({why})");
        }
        let keys: Vec<_> = set.keys.into_iter().map(Arc::new).collect();
        check_set(&keys)?;
        return Ok(keys);
    }
    if let Ok(text) = std::str::from_utf8(trimmed) {
        if let Ok(k) = parse_key_text(text, owned_kid()) {
            return Ok(vec![Arc::new(k)]);
        }
        if text.contains("-----BEGIN") {
            return parse_pem(text, owned_kid()).map(|k| vec![Arc::new(k)]);
        }
    }
    if let Ok(k) = parse_der(trimmed, owned_kid()) {
        return Ok(vec![Arc::new(k)]);
    }
    if secrets == Secrets::Raw {
        let secret = match std::str::from_utf8(trimmed).ok().and_then(|t| t.strip_prefix("base64:")) {
            Some(b64) => Secret(
                base64::engine::general_purpose::STANDARD
                    .decode(b64.trim())
                    .map_err(|_| err!(ConfigInvalid, "the `base64:` secret is not valid base64"))?,
            ),
            None => Secret(bytes.to_vec()),
        };
        return VerifyingKey::from_secret(&secret, owned_kid()).map(|k| vec![Arc::new(k)]);
    }
    bail!(ConfigInvalid, "the key material is not a PEM, DER, base64, JWK or JWKS public key")
}
