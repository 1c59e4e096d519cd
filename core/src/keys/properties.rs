//! The local loaders: `properties` (`verify.propkeyloader.<kid>`),
//! `sharedkey` (`verify.sharedkey`) and `file` (`verify.keyloader.path`,
//! re-read when the file changes).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwap;

use super::material::{self, VerifyingKey};
use super::{KeyInfo, KeyQuery, KeySet, KeySource, SourceStatus};
use crate::config::{KeySourceConfig, PREFIX};
use crate::error::{Result, err};

/// Keys fixed by the configuration.
pub struct StaticSource {
    set: Arc<KeySet>,
    loader: &'static str,
    origin: String,
}

impl StaticSource {
    pub fn from_propkeys(profile: &str, cfg: &KeySourceConfig) -> Result<StaticSource> {
        let prefix = if profile == crate::config::DEFAULT_PROFILE { PREFIX.to_string() } else { format!("{PREFIX}{profile}.") };
        let mut keys = Vec::new();
        for pk in &cfg.propkeys {
            let key = material::parse_key_text(&pk.value, Some(pk.kid.clone())).map_err(|e| {
                err!(ConfigInvalid, "{prefix}verify.propkeyloader.{} on line {}: {}", pk.kid, pk.line, e.message())
            })?;
            keys.push(Arc::new(key));
        }
        material::check_set(&keys).map_err(|e| err!(ConfigInvalid, "profile `{profile}`: {}", e.message()))?;
        Ok(StaticSource { set: Arc::new(KeySet::new(keys)), loader: "properties", origin: "properties file".into() })
    }

    pub fn from_shared_key(cfg: &KeySourceConfig) -> Result<StaticSource> {
        let secret = cfg.shared_key.as_ref().expect("checked by config");
        let key = VerifyingKey::from_secret(secret, None)?;
        Ok(StaticSource { set: Arc::new(KeySet::new(vec![Arc::new(key)])), loader: "sharedkey", origin: "verify.sharedkey".into() })
    }
}

impl KeySource for StaticSource {
    fn keys(&self, _q: &KeyQuery<'_>) -> Result<Arc<KeySet>> {
        Ok(self.set.clone())
    }

    fn still_serves(&self, set: *const KeySet, _now: u64) -> bool {
        std::ptr::eq(Arc::as_ptr(&self.set), set)
    }

    fn status(&self) -> SourceStatus {
        SourceStatus {
            loader: self.loader.into(),
            origin: self.origin.clone(),
            keys: KeyInfo::of(&self.set),
            ..Default::default()
        }
    }
}

/// A PEM key, certificate or JWKS file. Its modification time is checked at
/// most once a second; a changed file is re-read, and a file that became
/// unreadable or invalid leaves the last good keys in place (and logged).
pub struct FileSource {
    path: PathBuf,
    set: ArcSwap<KeySet>,
    /// (mtime nanos, len) of the file behind `set`.
    stamp: AtomicU64,
    last_check: AtomicU64,
    reloading: Mutex<Option<String>>,
    reloads: AtomicU64,
}

fn read_keys(path: &PathBuf) -> Result<(KeySet, u64)> {
    let stamp = file_stamp(path);
    let bytes = std::fs::read(path).map_err(|e| err!(ConfigIo, "cannot read key file {}: {e}", path.display()))?;
    let keys = material::parse_any(&bytes, None, material::Secrets::JwkOnly)
        .map_err(|e| err!(ConfigInvalid, "key file {}: {}", path.display(), e.message()))?;
    Ok((KeySet::new(keys), stamp))
}

fn file_stamp(path: &PathBuf) -> u64 {
    std::fs::metadata(path)
        .and_then(|m| Ok((m.modified()?, m.len())))
        .map(|(t, len)| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64) ^ len.rotate_left(48))
        .unwrap_or(0)
}

fn wall_seconds() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl FileSource {
    pub fn new(cfg: &KeySourceConfig) -> Result<FileSource> {
        let path = cfg.path.clone().expect("checked by config");
        let (set, stamp) = read_keys(&path)?;
        Ok(FileSource {
            path,
            set: ArcSwap::from_pointee(set),
            stamp: AtomicU64::new(stamp),
            last_check: AtomicU64::new(wall_seconds()),
            reloading: Mutex::new(None),
            reloads: AtomicU64::new(1),
        })
    }

    fn reload_if_changed(&self) {
        // One thread re-reads; the others keep verifying with the current set.
        let Ok(mut last_error) = self.reloading.try_lock() else { return };
        let stamp = file_stamp(&self.path);
        if stamp == self.stamp.load(Ordering::Acquire) {
            return;
        }
        match read_keys(&self.path) {
            Ok((set, stamp)) => {
                log::info!("key file {} changed: {} key(s) loaded", self.path.display(), set.keys.len());
                self.set.store(Arc::new(set));
                self.stamp.store(stamp, Ordering::Release);
                self.reloads.fetch_add(1, Ordering::Relaxed);
                *last_error = None;
            }
            Err(e) => {
                log::warn!("{e}; keeping the previous keys");
                *last_error = Some(e.to_string());
            }
        }
    }
}

impl KeySource for FileSource {
    fn keys(&self, _q: &KeyQuery<'_>) -> Result<Arc<KeySet>> {
        let now = wall_seconds();
        let last = self.last_check.load(Ordering::Relaxed);
        if now != last && self.last_check.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok() {
            self.reload_if_changed();
        }
        Ok(self.set.load_full())
    }

    fn still_serves(&self, set: *const KeySet, _now: u64) -> bool {
        // Only within the second of the last file check (files change in
        // wall-clock time): past it, `keys` must run to notice a new file.
        self.last_check.load(Ordering::Relaxed) == wall_seconds() && std::ptr::eq(Arc::as_ptr(&*self.set.load()), set)
    }

    fn refetch(&self, _q: &KeyQuery<'_>) -> Result<Option<Arc<KeySet>>> {
        let before = self.set.load_full();
        self.reload_if_changed();
        let after = self.set.load_full();
        Ok((!Arc::ptr_eq(&before, &after)).then_some(after))
    }

    fn status(&self) -> SourceStatus {
        SourceStatus {
            loader: "file".into(),
            origin: self.path.display().to_string(),
            keys: KeyInfo::of(&self.set.load()),
            fetches: self.reloads.load(Ordering::Relaxed),
            last_error: self.reloading.lock().map(|e| e.clone()).unwrap_or(None),
            ..Default::default()
        }
    }
}
