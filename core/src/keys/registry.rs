//! Custom key loaders registered by the host (a C callback, a Python
//! callable, a Java class) under a name used as `verify.keyloader`.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use arc_swap::ArcSwap;

use super::{KeyInfo, KeyQuery, KeySet, KeySource, SourceStatus, material};
use crate::config::KeySourceConfig;
use crate::error::{Result, bail, err};

/// What a loader is asked for. Only configuration-independent header facts
/// are passed; never `jku`, `x5u` or an embedded `jwk`.
#[derive(Debug, Clone, Copy)]
pub struct KeyRequest<'a> {
    pub kid: Option<&'a str>,
    pub alg: &'a str,
    pub issuer: Option<&'a str>,
}

/// A host-provided key loader. It returns key material: PEM, DER, base64,
/// a JWK or JWKS, or (only when nothing else parses) an HMAC secret of at
/// least 32 bytes. An `Err` text becomes a `key_source_unavailable` refusal.
pub trait KeyLoader: Send + Sync {
    fn load(&self, req: &KeyRequest<'_>) -> std::result::Result<Vec<u8>, String>;
}

impl<F> KeyLoader for F
where
    F: Fn(&KeyRequest<'_>) -> std::result::Result<Vec<u8>, String> + Send + Sync,
{
    fn load(&self, req: &KeyRequest<'_>) -> std::result::Result<Vec<u8>, String> {
        self(req)
    }
}

type Resolver = Arc<dyn Fn(&str) -> Option<Arc<dyn KeyLoader>> + Send + Sync>;

fn registry() -> &'static RwLock<HashMap<String, Arc<dyn KeyLoader>>> {
    static R: OnceLock<RwLock<HashMap<String, Arc<dyn KeyLoader>>>> = OnceLock::new();
    R.get_or_init(Default::default)
}

fn resolver() -> &'static RwLock<Option<Resolver>> {
    static R: OnceLock<RwLock<Option<Resolver>>> = OnceLock::new();
    R.get_or_init(Default::default)
}

/// Registers (or replaces) a loader. Gates built afterwards can name it in
/// `verify.keyloader`; gates already built keep the loader they resolved.
pub fn register_keyloader(name: &str, loader: Arc<dyn KeyLoader>) {
    registry().write().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), loader);
}

pub fn unregister_keyloader(name: &str) -> bool {
    registry().write().unwrap_or_else(|e| e.into_inner()).remove(name).is_some()
}

/// Installs a fallback that turns an unregistered loader name into a loader
/// (the JNI binding instantiates Java class names this way).
pub fn set_loader_resolver(f: Option<Resolver>) {
    *resolver().write().unwrap_or_else(|e| e.into_inner()) = f;
}

fn lookup(name: &str) -> Option<Arc<dyn KeyLoader>> {
    if let Some(l) = registry().read().unwrap_or_else(|e| e.into_inner()).get(name) {
        return Some(l.clone());
    }
    let r = resolver().read().unwrap_or_else(|e| e.into_inner()).clone();
    r.and_then(|r| r(name))
}

const MAX_ENTRIES: usize = 1024;

struct Entry {
    set: Arc<KeySet>,
    loaded_at: u64,
}

/// Asks the host loader on a miss and caches its answer per kid for
/// `cache.ttl`; a miss (no usable key) is remembered for `refresh.cooldown`
/// so a flood of made-up kids does not call the loader each time.
pub struct CustomSource {
    name: String,
    loader: Arc<dyn KeyLoader>,
    cache: ArcSwap<HashMap<Option<String>, Arc<Entry>>>,
    ttl: Duration,
    cooldown: Duration,
    calls: std::sync::atomic::AtomicU64,
    failures: std::sync::atomic::AtomicU64,
    last_error: std::sync::Mutex<Option<String>>,
}

impl CustomSource {
    pub fn new(profile: &str, name: &str, cfg: &KeySourceConfig) -> Result<CustomSource> {
        let Some(loader) = lookup(name) else {
            bail!(
                ConfigInvalid,
                "profile `{profile}`: verify.keyloader is `{name}` (line {}), which is neither a built-in loader \
                 (properties, httpsjwks, httpsjwk, httpsbase64, sharedkey, file) nor a registered one",
                cfg.line
            )
        };
        Ok(CustomSource {
            name: name.to_string(),
            loader,
            cache: ArcSwap::from_pointee(HashMap::new()),
            ttl: cfg.ttl,
            cooldown: cfg.cooldown,
            calls: Default::default(),
            failures: Default::default(),
            last_error: Default::default(),
        })
    }

    fn record_failure(&self, msg: &str) {
        use std::sync::atomic::Ordering;
        self.failures.fetch_add(1, Ordering::Relaxed);
        *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(msg.to_string());
    }
}

impl KeySource for CustomSource {
    fn keys(&self, q: &KeyQuery<'_>) -> Result<Arc<KeySet>> {
        let cache = self.cache.load();
        match cache.get(&q.kid.map(str::to_string)) {
            Some(e) if q.now < e.loaded_at + self.ttl.as_secs() => Ok(e.set.clone()),
            _ => Ok(Arc::new(KeySet::default())),
        }
    }

    fn refetch(&self, q: &KeyQuery<'_>) -> Result<Option<Arc<KeySet>>> {
        use std::sync::atomic::Ordering;
        let key = q.kid.map(str::to_string);
        if let Some(e) = self.cache.load().get(&key)
            && e.set.keys.is_empty() && q.now < e.loaded_at + self.cooldown.as_secs() {
                return Ok(None);
            }
        self.calls.fetch_add(1, Ordering::Relaxed);
        let req = KeyRequest { kid: q.kid, alg: q.alg.name(), issuer: q.issuer };
        let name = &self.name;
        // A panicking host loader must not take the verifier down with it.
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.loader.load(&req)))
            .unwrap_or_else(|_| Err("the loader panicked".to_string()));
        let set = match answer {
            Err(why) => {
                let msg = format!("key loader `{name}` failed: {why}");
                self.record_failure(&msg);
                return Err(err!(KeySourceUnavailable, "{msg}"));
            }
            Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => KeySet::default(),
            Ok(bytes) => match material::parse_any(&bytes, q.kid, material::Secrets::Raw) {
                Ok(keys) => KeySet::new(keys),
                Err(e) => {
                    let msg = format!("key loader `{name}` returned unusable key material: {}", e.message());
                    self.record_failure(&msg);
                    return Err(err!(KeySourceUnavailable, "{msg}"));
                }
            },
        };
        let set = Arc::new(set);
        self.cache.rcu(|old| {
            let mut map = if old.len() >= MAX_ENTRIES { HashMap::new() } else { (**old).clone() };
            map.insert(key.clone(), Arc::new(Entry { set: set.clone(), loaded_at: q.now }));
            map
        });
        Ok(Some(set))
    }

    fn algs_known_up_front(&self) -> bool {
        false
    }

    fn status(&self) -> SourceStatus {
        use std::sync::atomic::Ordering;
        let cache = self.cache.load();
        let keys = cache.values().flat_map(|e| KeyInfo::of(&e.set)).collect();
        SourceStatus {
            loader: self.name.clone(),
            origin: "host-registered loader".into(),
            keys,
            fetches: self.calls.load(Ordering::Relaxed),
            failures: self.failures.load(Ordering::Relaxed),
            last_error: self.last_error.lock().map(|e| e.clone()).unwrap_or(None),
            ..Default::default()
        }
    }
}
