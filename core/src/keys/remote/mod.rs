//! httpsjwks / httpsjwk / httpsbase64: key sets fetched over HTTPS, with a
//! cache that survives key-server outages (see docs/REMOTE.md).
//!
//! - `fetch.rs`: one HTTPS round over the failover list.
//! - `kind.rs`: what each loader expects in a body.
//! - `source.rs`: the cache, its freshness rules, refetch throttling, the
//!   background refresher.
//! - `flight.rs`: one fetch at a time per source.
//! - `disk.rs`: `cache.dir` persistence.

mod disk;
mod fetch;
mod flight;
mod kind;
mod source;

use std::sync::Arc;

use super::KeySource;
use crate::clock::Clock;
use crate::config::KeySourceConfig;
use crate::error::{Result, bail};

pub use fetch::MAX_BODY;

/// Builds a remote key source and starts its first fetch. A key server that
/// is down does not fail the build: verification then answers
/// `key_source_unavailable` until a fetch succeeds.
pub fn build(profile: &str, cfg: &KeySourceConfig, clock: Arc<dyn Clock>) -> Result<Arc<dyn KeySource>> {
    let Some(kind) = kind::Kind::of(&cfg.loader) else {
        bail!(Internal, "profile `{profile}`: {} is not a remote loader", cfg.loader.name())
    };
    Ok(Arc::new(source::RemoteSource::start(profile, kind, cfg, clock)?))
}
