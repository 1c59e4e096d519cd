//! `Gate`: the reloadable, thread-safe verifier. Its state sits behind an
//! `ArcSwap`: a verify call loads one generation and finishes on it while a
//! reload builds the next and swaps it in.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwap;
use serde::Serialize;

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, DEFAULT_PROFILE, Warning};
use crate::error::{Result, bail};
use crate::identity::Identity;
use crate::keys::{self, SourceStatus};
use crate::request::{self, Request};
use crate::token_cache::TokenCache;
use crate::verify::{Call, Profile, State};

enum Origin {
    File(PathBuf),
    Text(String),
}

/// Verifies tokens against one configuration. `Send + Sync`; share it
/// (e.g. in an `Arc`) between threads.
pub struct Gate {
    state: ArcSwap<State>,
    origin: Origin,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.load();
        let origin = match &self.origin {
            Origin::File(p) => p.display().to_string(),
            Origin::Text(_) => "<properties text>".to_string(),
        };
        let profiles: Vec<&str> = state.profiles().map(|p| p.cfg.name.as_str()).collect();
        f.debug_struct("Gate").field("origin", &origin).field("profiles", &profiles).finish()
    }
}

/// What `Gate::stats` reports: each profile's key source health.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub profiles: Vec<ProfileStats>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileStats {
    pub profile: String,
    pub algorithms: Option<Vec<&'static str>>,
    pub source: SourceStatus,
}

impl Gate {
    /// Reads and checks a properties file. [`Gate::reload`] re-reads it.
    pub fn from_file(path: impl Into<PathBuf>) -> Result<Gate> {
        Gate::from_file_with_clock(path, Arc::new(SystemClock))
    }

    pub fn from_file_with_clock(path: impl Into<PathBuf>, clock: Arc<dyn Clock>) -> Result<Gate> {
        let path = path.into();
        let state = build_state(Config::from_file(&path)?, None, &clock)?;
        Ok(Gate { state: ArcSwap::from_pointee(state), origin: Origin::File(path), clock })
    }

    /// Builds a gate from properties text (relative paths resolve against the
    /// current directory).
    pub fn from_properties(text: &str) -> Result<Gate> {
        Gate::from_properties_with_clock(text, Arc::new(SystemClock))
    }

    pub fn from_properties_with_clock(text: &str, clock: Arc<dyn Clock>) -> Result<Gate> {
        let state = build_state(Config::from_properties(text, None)?, None, &clock)?;
        Ok(Gate { state: ArcSwap::from_pointee(state), origin: Origin::Text(text.to_string()), clock })
    }

    /// Verifies a compact JWS and maps it to an identity. Without a resource
    /// URL, a token with an `aud` needs `verify.audiences`.
    pub fn verify(&self, token: &str) -> Result<Identity> {
        self.verify_for_url(token, None)
    }

    /// Like [`Gate::verify`], with the resource URL for Liberty's audience rule.
    pub fn verify_for_url(&self, token: &str, url: Option<&str>) -> Result<Identity> {
        self.verify_shared(token, url).map(Arc::unwrap_or_clone)
    }

    /// Like [`Gate::verify_for_url`] without copying the identity: a cache
    /// hit hands back the cached one (bindings use this).
    pub fn verify_shared(&self, token: &str, url: Option<&str>) -> Result<Arc<Identity>> {
        let state = self.state.load();
        state.verify(token, &Call { now: self.clock.now(), url, profiles: None })
    }

    /// Authenticates a request for `endpoint` (`<endpoint>.servlet.jwt.*`):
    /// finds its token, then verifies it with the endpoint's issuers.
    pub fn authenticate(&self, endpoint: &str, req: &Request<'_>) -> Result<Identity> {
        self.authenticate_shared(endpoint, req).map(Arc::unwrap_or_clone)
    }

    /// Like [`Gate::authenticate`] without copying the identity.
    pub fn authenticate_shared(&self, endpoint: &str, req: &Request<'_>) -> Result<Arc<Identity>> {
        let state = self.state.load();
        let Some(ep) = state.config.endpoints.get(endpoint).filter(|e| e.enabled) else {
            bail!(
                EndpointNotEnabled,
                "JWT authentication is not enabled for endpoint `{}` (set {0}.servlet.jwt.auth.enabled=true)",
                crate::json::truncate(endpoint, 60)
            );
        };
        let token = request::extract_token(ep, req)?;
        state.verify(&token, &Call { now: self.clock.now(), url: req.url, profiles: ep.issuers.as_deref() })
    }

    /// Re-reads the configuration (for file gates) and swaps it in. Key
    /// sources whose settings did not change are kept, caches and all. On
    /// error the gate keeps its current configuration.
    pub fn reload(&self) -> Result<()> {
        let config = match &self.origin {
            Origin::File(p) => Config::from_file(p)?,
            Origin::Text(t) => Config::from_properties(t, None)?,
        };
        let old = self.state.load_full();
        let state = build_state(config, Some(&old), &self.clock)?;
        self.state.store(Arc::new(state));
        Ok(())
    }

    pub fn config(&self) -> Config {
        self.state.load().config.clone()
    }

    pub fn warnings(&self) -> Vec<Warning> {
        self.state.load().config.warnings.clone()
    }

    pub fn stats(&self) -> Stats {
        let state = self.state.load();
        Stats {
            profiles: state
                .profiles()
                .map(|p| ProfileStats {
                    profile: p.cfg.name.clone(),
                    algorithms: p.cfg.algorithms.map(|a| a.names()),
                    source: p.source.status(),
                })
                .collect(),
        }
    }
}

fn build_state(config: Config, old: Option<&State>, clock: &Arc<dyn Clock>) -> Result<State> {
    for w in &config.warnings {
        log::warn!("{w}");
    }
    let build = |cfg: &crate::config::ProfileConfig| -> Result<Profile> {
        let reused = old.and_then(|o| o.profiles().find(|p| p.cfg.name == cfg.name && p.cfg.keys == cfg.keys));
        let source = match reused {
            Some(p) => p.source.clone(),
            None => keys::build_source(&cfg.name, &cfg.keys, clock.clone())?,
        };
        Ok(Profile { cfg: cfg.clone(), source })
    };
    let default = config.default.as_ref().map(&build).transpose()?;
    let mut issuers = HashMap::new();
    for p in &config.issuers {
        if p.name == DEFAULT_PROFILE {
            bail!(ConfigInvalid, "`default` cannot be used as an issuer name");
        }
        issuers.insert(p.name.clone(), build(p)?);
    }
    let cache = TokenCache::new(config.token_cache_size);
    Ok(State { config, default, issuers, cache })
}

#[cfg(test)]
mod tests {
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn gate_is_send_and_sync() {
        assert_send_sync::<super::Gate>();
    }
}
