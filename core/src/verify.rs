//! The verify path, in the contract's check order (DESIGN §4): structure and
//! header → profile by unverified `iss` → algorithm policy → key → signature
//! → claims → identity. Nothing here takes a lock or touches the network
//! (a key source may, on a cold cache or an unknown kid only).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use crate::claims::{Claims, url_covers};
use crate::config::{Audiences, Config, DEFAULT_PROFILE, ProfileConfig};
use crate::error::{Result, bail, err};
use crate::identity::{self, Identity, TokenFacts};
use crate::json::{self, truncate};
use crate::keys::{KeyQuery, KeySet, KeySource, Selection, VerifyingKey};
use crate::token;
use crate::token_cache::{Entry, TokenCache};

pub(crate) struct Profile {
    pub cfg: ProfileConfig,
    pub source: Arc<dyn KeySource>,
}

/// One immutable generation of a gate: configuration plus built key sources.
pub(crate) struct State {
    pub config: Config,
    pub default: Option<Profile>,
    pub issuers: HashMap<String, Profile>,
    pub cache: Option<TokenCache>,
}

/// Per-call facts that do not come from the token.
pub(crate) struct Call<'a> {
    pub now: u64,
    pub url: Option<&'a str>,
    /// The endpoint's `issuers` list, if it restricts profiles.
    pub profiles: Option<&'a [String]>,
}

impl State {
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.default.iter().chain(self.config.issuers.iter().filter_map(|p| self.issuers.get(&p.name)))
    }

    fn profile_for(&self, iss: Option<&str>) -> Result<&Profile> {
        if let Some(p) = iss.and_then(|i| self.issuers.get(i)) {
            return Ok(p);
        }
        self.default.as_ref().ok_or_else(|| match iss {
            Some(i) => err!(IssuerNotAllowed, "no profile for issuer `{}` and no default profile", truncate(i, 80)),
            None => err!(IssuerNotAllowed, "the token names no issuer and there is no default profile"),
        })
    }

    fn profile_named(&self, name: &str) -> Option<&Profile> {
        match name {
            DEFAULT_PROFILE => self.default.as_ref(),
            _ => self.issuers.get(name),
        }
    }

    /// Per-call rules a cached verdict must still pass: the endpoint's
    /// profiles and the audience rule for this call's resource URL.
    fn call_allows(&self, id: &Identity, call: &Call<'_>) -> bool {
        if call.profiles.is_some_and(|allowed| !allowed.contains(&id.profile)) {
            return false;
        }
        match self.profile_named(&id.profile).map(|p| &p.cfg.audiences) {
            Some(Audiences::Unset) if !id.audience.is_empty() => {
                call.url.is_some_and(|url| id.audience.iter().any(|a| url_covers(a, url)))
            }
            Some(_) => true,
            None => false,
        }
    }

    pub fn verify(&self, token: &str, call: &Call<'_>) -> Result<Arc<Identity>> {
        let Some(cache) = &self.cache else { return self.verify_uncached(token, call).map(|(id, _)| id) };
        let source = |id: &Identity| self.profile_named(&id.profile).map(|p| &*p.source);
        if let Some(id) = cache.get(token, call.now, source, |id| self.call_allows(id, call)) {
            return Ok(id);
        }
        let (id, entry) = self.verify_uncached(token, call)?;
        cache.insert(token, entry, call.now);
        Ok(id)
    }

    fn verify_uncached(&self, token: &str, call: &Call<'_>) -> Result<(Arc<Identity>, Entry)> {
        let t = token::parse(token, self.config.max_token_size)?;
        // Parsed once; read now only to route by `iss`, judged after the signature.
        let payload = json::parse_strict(&t.payload);
        let iss = payload.as_ref().ok().and_then(|v| v.get("iss")).and_then(Value::as_str);
        let profile = self.profile_for(iss)?;
        if let Some(allowed) = call.profiles
            && !allowed.contains(&profile.cfg.name) {
                bail!(IssuerNotAllowed, "this endpoint does not accept tokens of profile `{}`", profile.cfg.name);
            }
        let q = KeyQuery { kid: t.kid.as_deref(), alg: t.alg, issuer: iss, now: call.now };
        let (key, set) = find_key(profile, &q)?;
        if !key.verify(t.alg, t.signing_input, &t.signature) {
            bail!(SignatureInvalid, "the signature does not verify with key {}", describe(&key));
        }
        let payload = payload.map_err(|e| err!(TokenMalformed, "the payload is not valid JSON: {e}"))?;
        let claims = Claims::from_payload(&payload)?;
        claims.check(&profile.cfg, call.now, call.url)?;
        let facts = TokenFacts { kid: t.kid.as_deref(), alg: t.alg.name(), profile: &profile.cfg.name };
        let (exp, nbf, iat) = (claims.exp, claims.nbf, claims.iat);
        let mut identity = identity::map(&payload, &claims, &profile.cfg.claims, facts)?;
        identity.claims = payload;
        let identity = Arc::new(identity);
        let entry = Entry {
            identity: identity.clone(),
            key: Arc::downgrade(&key),
            set: Arc::downgrade(&set),
            exp,
            nbf,
            iat,
            skew: profile.cfg.clock_skew as f64,
        };
        Ok((identity, entry))
    }
}

fn describe(key: &VerifyingKey) -> String {
    match &key.kid {
        Some(k) => format!("`{}` ({})", truncate(k, 60), key.family.name()),
        None => format!("({})", key.family.name()),
    }
}

/// Step 5: the profile's algorithms, then the key by kid, with one
/// (source-throttled) refetch when nothing fits.
fn find_key(profile: &Profile, q: &KeyQuery<'_>) -> Result<(Arc<VerifyingKey>, Arc<KeySet>)> {
    let set = profile.source.keys(q)?;
    let allowed = match profile.cfg.algorithms {
        Some(a) => Some(a),
        None if profile.source.algs_known_up_front() => Some(set.algs),
        None => None,
    };
    if let Some(allowed) = allowed
        && !allowed.contains(q.alg) {
            bail!(
                AlgorithmNotAllowed,
                "algorithm {} is not allowed for profile `{}` (allowed: {})",
                q.alg,
                profile.cfg.name,
                if allowed.is_empty() { "none yet: no keys loaded".to_string() } else { allowed.to_string() }
            );
        }
    if let Some(k) = pick(&set, q)? {
        return Ok((k, set));
    }
    // A token the profile could never accept must not cost a refetch: the
    // default profile's `verify.issuers` is judged here (cheaply, on the
    // unverified `iss`) only to decide on the network; the verdict keeps the
    // contract's order (`key_not_found` now, the issuer after a signature).
    let foreign = profile.cfg.issuers.as_ref().is_some_and(|allowed| !q.issuer.is_some_and(|i| allowed.iter().any(|a| a == i)));
    let retry = if foreign { None } else { profile.source.refetch(q)? };
    match retry.as_ref().map(|s| (pick(s, q), s)) {
        Some((Ok(Some(k)), s)) => Ok((k, s.clone())),
        Some((Err(e), _)) => Err(e),
        _ => Err(match q.kid {
            Some(kid) => err!(KeyNotFound, "no key with kid `{}` for profile `{}`", truncate(kid, 60), profile.cfg.name),
            None => err!(KeyNotFound, "the token has no kid and no single {} key of profile `{}` fits", q.alg, profile.cfg.name),
        }),
    }
}

/// `Ok(None)`: missing (worth a refetch); `Err`: a definite refusal.
fn pick(set: &KeySet, q: &KeyQuery<'_>) -> Result<Option<Arc<VerifyingKey>>> {
    match set.select(q.kid, q.alg) {
        Selection::Found(k) => Ok(Some(k.clone())),
        Selection::WrongType(k) => {
            let pin = k.pinned.map(|p| format!(", pinned to {p}")).unwrap_or_default();
            bail!(AlgorithmNotAllowed, "key {} cannot verify {}{pin}", describe(k), q.alg)
        }
        Selection::Ambiguous(n) => match q.kid {
            Some(kid) => bail!(KeyNotFound, "{n} keys carry kid `{}`; a key set must not repeat a kid", truncate(kid, 60)),
            None => bail!(KeyNotFound, "the token has no kid and {n} keys could verify {}; issue tokens with a kid", q.alg),
        },
        Selection::Missing => Ok(None),
    }
}
