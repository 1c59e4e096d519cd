//! httpsjwks / httpsjwk / httpsbase64: fetched key sets with a cache that
//! survives key-server outages. (Being built: see issue 3.)

use std::sync::Arc;

use super::KeySource;
use crate::clock::Clock;
use crate::config::KeySourceConfig;
use crate::error::{Result, bail};

pub fn build(profile: &str, cfg: &KeySourceConfig, _clock: Arc<dyn Clock>) -> Result<Arc<dyn KeySource>> {
    bail!(ConfigInvalid, "profile `{profile}`: the {} loader is not available in this build yet", cfg.loader.name())
}
