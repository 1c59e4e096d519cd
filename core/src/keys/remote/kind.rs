//! What each remote loader expects in a response body, parsed with the one
//! key parser of `material.rs`.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::alg::Family;
use crate::config::Loader;
use crate::error::{Result, bail, err};
use crate::keys::{KeySet, material};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A JWK Set; keys chosen by kid.
    Jwks,
    /// One JWK.
    Jwk,
    /// A base64 (or PEM) public key or certificate, without kid.
    Base64,
}

impl Kind {
    pub fn of(loader: &Loader) -> Option<Kind> {
        match loader {
            Loader::HttpsJwks => Some(Kind::Jwks),
            Loader::HttpsJwk => Some(Kind::Jwk),
            Loader::HttpsBase64 => Some(Kind::Base64),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Jwks => "httpsjwks",
            Kind::Jwk => "httpsjwk",
            Kind::Base64 => "httpsbase64",
        }
    }

    pub fn accept(self) -> &'static str {
        match self {
            Kind::Jwks => "application/jwk-set+json, application/json;q=0.9, */*;q=0.1",
            Kind::Jwk => "application/jwk+json, application/json;q=0.9, */*;q=0.1",
            Kind::Base64 => "text/plain, application/x-pem-file;q=0.9, */*;q=0.1",
        }
    }

    /// The body as a key set. Symmetric keys never come from the network;
    /// keys a JWKS marks unusable are skipped (and logged), but a body with
    /// no usable key at all is a failed fetch, so the last good set stays.
    pub fn parse(self, body: &[u8]) -> Result<KeySet> {
        let keys: Vec<Arc<material::VerifyingKey>> = match self {
            Kind::Jwks | Kind::Jwk => {
                let parsed = material::parse_jwk_json(body, false)?;
                if parsed.keys.is_empty() {
                    let why = if parsed.skipped.is_empty() { "it is empty".to_string() } else { parsed.skipped.join("; ") };
                    bail!(ConfigInvalid, "the key set holds no usable key ({why})");
                }
                for note in &parsed.skipped {
                    log::warn!("{note}");
                }
                if self == Kind::Jwk && parsed.keys.len() > 1 {
                    bail!(ConfigInvalid, "httpsjwk expects one JWK, the response holds {}; use httpsjwks", parsed.keys.len());
                }
                parsed.keys.into_iter().map(Arc::new).collect()
            }
            Kind::Base64 => {
                let text = std::str::from_utf8(body).map_err(|_| err!(ConfigInvalid, "the response is not text"))?;
                if text.trim().is_empty() {
                    bail!(ConfigInvalid, "the response is empty");
                }
                vec![Arc::new(material::parse_key_text(text, None)?)]
            }
        };
        if keys.iter().any(|k| k.family == Family::Hmac) {
            bail!(ConfigInvalid, "the response holds a symmetric key; shared secrets are never fetched over the network");
        }
        material::check_set(&keys)?;
        Ok(KeySet::new(keys))
    }
}

/// What changed between two key sets, for the log: kids added, removed, and
/// (the case an operator most wants to hear about) new material under a kid
/// already in use.
pub fn describe_change(old: &KeySet, new: &KeySet) -> Vec<String> {
    let index = |s: &KeySet| -> BTreeMap<String, String> {
        s.keys.iter().map(|k| (k.kid.clone().unwrap_or_else(|| "(no kid)".into()), k.fingerprint.clone())).collect()
    };
    let (old, new) = (index(old), index(new));
    let mut notes = Vec::new();
    for (kid, fp) in &new {
        match old.get(kid) {
            None => notes.push(format!("kid `{}` added ({fp})", crate::json::truncate(kid, 60))),
            Some(before) if before != fp => notes.push(format!(
                "kid `{}` now has NEW key material ({before} -> {fp})",
                crate::json::truncate(kid, 60)
            )),
            Some(_) => {}
        }
    }
    for kid in old.keys().filter(|k| !new.contains_key(*k)) {
        notes.push(format!("kid `{}` removed", crate::json::truncate(kid, 60)));
    }
    notes
}
