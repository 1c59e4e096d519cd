//! Key sources: where each profile's keys come from. A [`KeySource`] hands
//! the verify path an immutable [`KeySet`]; sources that change (files,
//! remote key sets, host loaders) swap in a new set, never edit one.

pub mod material;
pub mod properties;
pub mod registry;
pub mod remote;

use std::sync::Arc;

use serde::Serialize;

use crate::alg::{Alg, AlgSet};
use crate::clock::Clock;
use crate::config::{KeySourceConfig, Loader};
use crate::error::Result;
pub use material::VerifyingKey;
pub use registry::{KeyLoader, KeyRequest, register_keyloader, unregister_keyloader};

/// An immutable set of keys, with the union of the algorithms they allow.
#[derive(Debug, Default)]
pub struct KeySet {
    pub keys: Vec<Arc<VerifyingKey>>,
    pub algs: AlgSet,
}

/// What a key set offers for one token.
pub enum Selection<'a> {
    Found(&'a Arc<VerifyingKey>),
    /// Keys carry this kid (or are kid-less), but none fits the algorithm.
    WrongType(&'a Arc<VerifyingKey>),
    /// Several keys fit: the token has no kid, or a key set repeats a kid.
    Ambiguous(usize),
    /// Nothing with this kid (or, without kid, nothing of this type).
    Missing,
}

impl KeySet {
    pub fn new(keys: Vec<Arc<VerifyingKey>>) -> KeySet {
        let algs = keys.iter().fold(AlgSet::EMPTY, |s, k| s.union(k.algs()));
        KeySet { keys, algs }
    }

    /// DESIGN §4 step 5: a kid selects the keys that carry it; a key without
    /// kid serves every token of its family; a token without kid is tried
    /// only when exactly one key fits.
    pub fn select(&self, kid: Option<&str>, alg: Alg) -> Selection<'_> {
        let Some(want) = kid else {
            let mut fitting = self.keys.iter().filter(|k| k.fits(alg));
            return match (fitting.next(), fitting.count()) {
                (None, _) => Selection::Missing,
                (Some(k), 0) => Selection::Found(k),
                (Some(_), more) => Selection::Ambiguous(more + 1),
            };
        };
        let named = || self.keys.iter().filter(move |k| k.kid.as_deref() == Some(want));
        let mut fitting = named().filter(|k| k.fits(alg));
        match (fitting.next(), fitting.count()) {
            (Some(k), 0) => return Selection::Found(k),
            // Two keys under one kid: never silently pick one.
            (Some(_), more) => return Selection::Ambiguous(more + 1),
            (None, _) => {}
        }
        if let Some(k) = self.keys.iter().find(|k| k.kid.is_none() && k.fits(alg)) {
            return Selection::Found(k);
        }
        match named().next() {
            Some(k) => Selection::WrongType(k),
            None => Selection::Missing,
        }
    }
}

/// The header facts a key source may use (never `jku`/`x5u`/`jwk`).
#[derive(Debug, Clone, Copy)]
pub struct KeyQuery<'a> {
    pub kid: Option<&'a str>,
    pub alg: Alg,
    pub issuer: Option<&'a str>,
    pub now: u64,
}

/// Health and counters of one key source, for `Gate::stats()` and `jwtgate keys`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceStatus {
    pub loader: String,
    pub origin: String,
    pub keys: Vec<KeyInfo>,
    pub fetches: u64,
    pub failures: u64,
    /// Unix seconds of the last successful load, if any.
    pub last_success: Option<u64>,
    /// Serving a key set older than its ttl because refreshes fail.
    pub stale: bool,
    /// Verifications served from a stale set while the source failed.
    pub stale_serves: u64,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyInfo {
    pub kid: Option<String>,
    pub kind: String,
    pub algorithms: Vec<&'static str>,
    pub fingerprint: String,
}

impl KeyInfo {
    pub fn of(set: &KeySet) -> Vec<KeyInfo> {
        set.keys
            .iter()
            .map(|k| KeyInfo {
                kid: k.kid.clone(),
                kind: match k.bits {
                    Some(b) => format!("{} {b}", k.family.name()),
                    None => k.family.name().to_string(),
                },
                algorithms: k.algs().names(),
                fingerprint: k.fingerprint.clone(),
            })
            .collect()
    }
}

/// Where a profile's keys come from.
///
/// `keys` is on the hot path: it must not block except on a cold remote
/// cache (bounded by the fetch timeout). `refetch` runs when no key fits;
/// sources throttle it themselves.
pub trait KeySource: Send + Sync {
    fn keys(&self, q: &KeyQuery<'_>) -> Result<Arc<KeySet>>;

    /// A newer key set after a miss, or `None` when nothing changed or a
    /// refetch is not allowed yet.
    fn refetch(&self, _q: &KeyQuery<'_>) -> Result<Option<Arc<KeySet>>> {
        Ok(None)
    }

    /// Whether the set's algorithms are known before a query (custom
    /// loaders learn their keys per token).
    fn algs_known_up_front(&self) -> bool {
        true
    }

    /// Fast path for the token cache: `true` when `set` is still this
    /// source's current, fresh key set at `now`. Must not touch shared
    /// reference counts (it runs on every cache hit, from every thread);
    /// `false` is always safe and sends the caller through `keys`.
    fn still_serves(&self, _set: *const KeySet, _now: u64) -> bool {
        false
    }

    fn status(&self) -> SourceStatus;
}

/// Builds the source a profile's configuration describes.
pub fn build_source(profile: &str, cfg: &KeySourceConfig, clock: Arc<dyn Clock>) -> Result<Arc<dyn KeySource>> {
    Ok(match &cfg.loader {
        Loader::Properties => Arc::new(properties::StaticSource::from_propkeys(profile, cfg)?),
        Loader::SharedKey => Arc::new(properties::StaticSource::from_shared_key(cfg)?),
        Loader::File => Arc::new(properties::FileSource::new(cfg)?),
        Loader::HttpsJwks | Loader::HttpsJwk | Loader::HttpsBase64 => remote::build(profile, cfg, clock)?,
        Loader::Custom(name) => Arc::new(registry::CustomSource::new(profile, name, cfg)?),
    })
}
