//! The verified-token cache (`verify.tokencache.size`): a repeated token
//! skips parsing and the signature check.
//!
//! Why thread-local: a shared map needs a lock or a shared counter on every
//! hit, and two threads hitting the same token would bounce that cache line
//! between cores; per-thread maps share nothing, so hits scale with threads.
//! The price is one full verification per token per thread.
//!
//! Safety of a hit: the map compares the whole token (a hash collision can
//! never pass); time (`exp`, `nbf`, `iat` with skew) is re-checked on every
//! hit; and the entry is used only while the key that verified it is still
//! in its profile's current key set (a rotated-out key drops its tokens).
//! Only successes are cached. Each gate generation (a reload) starts afresh.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::identity::Identity;
use crate::keys::{KeyQuery, KeySet, KeySource, VerifyingKey};

/// Facts needed to decide, on a hit, that the verdict still holds. Keys and
/// sets are held weakly: a cache must never keep a gate's key sources (and
/// their refresher threads) alive, and a weak pointer still pins the address
/// so pointer comparison cannot be fooled by reuse.
pub(crate) struct Entry {
    pub identity: Arc<Identity>,
    pub key: Weak<VerifyingKey>,
    pub set: Weak<KeySet>,
    pub exp: Option<f64>,
    pub nbf: Option<f64>,
    pub iat: Option<f64>,
    pub skew: f64,
}

impl Entry {
    fn time_ok(&self, now: u64) -> bool {
        let now = now as f64;
        self.exp.is_none_or(|e| now < e + self.skew)
            && self.nbf.is_none_or(|n| now >= n - self.skew)
            && self.iat.is_none_or(|i| i <= now + self.skew)
    }

    /// The verifying key is still trusted: the profile's current set is
    /// the one that verified it, or still holds this very key object.
    fn trusts(&mut self, current: Arc<KeySet>) -> bool {
        if std::ptr::eq(Arc::as_ptr(&current), self.set.as_ptr()) {
            return true;
        }
        if current.keys.iter().any(|k| std::ptr::eq(Arc::as_ptr(k), self.key.as_ptr())) {
            self.set = Arc::downgrade(&current);
            return true;
        }
        false
    }
}

/// One cache per gate generation; the storage itself is per thread.
pub(crate) struct TokenCache {
    id: u64,
    capacity: usize,
}

type Map = HashMap<Box<str>, Entry, foldhash::quality::RandomState>;

/// How many gate generations one thread keeps caches for.
const GENERATIONS_PER_THREAD: usize = 4;

thread_local! {
    static LOCAL: RefCell<Vec<(u64, Map)>> = const { RefCell::new(Vec::new()) };
}

impl TokenCache {
    pub fn new(capacity: usize) -> Option<TokenCache> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        (capacity > 0).then(|| TokenCache { id: NEXT.fetch_add(1, Ordering::Relaxed), capacity })
    }

    fn with_map<R>(&self, f: impl FnOnce(&mut Map) -> R) -> R {
        LOCAL.with(|local| {
            let mut local = local.borrow_mut();
            let i = match local.iter().position(|(id, _)| *id == self.id) {
                Some(i) => i,
                None => {
                    if local.len() >= GENERATIONS_PER_THREAD {
                        local.remove(0);
                    }
                    local.push((self.id, Map::default()));
                    local.len() - 1
                }
            };
            f(&mut local[i].1)
        })
    }

    /// A cached identity for `token`, if its verdict still holds at `now`.
    /// `current_keys` gives the profile's current key set for a query;
    /// `check` re-applies per-call rules (endpoint issuers, audience URL).
    pub fn get<'a>(
        &self,
        token: &str,
        now: u64,
        source: impl FnOnce(&Identity) -> Option<&'a dyn KeySource>,
        check: impl FnOnce(&Identity) -> bool,
    ) -> Option<Arc<Identity>> {
        self.with_map(|map| {
            let e = map.get_mut(token)?;
            let id = e.identity.clone();
            let source = source(&id);
            let fast = source.is_some_and(|s| s.still_serves(e.set.as_ptr(), now));
            let trusted = fast
                || source.is_some_and(|s| {
                    let Some(alg) = crate::alg::Alg::from_name(&id.alg) else { return false };
                    let q = KeyQuery { kid: id.kid.as_deref(), alg, issuer: id.issuer.as_deref(), now };
                    s.keys(&q).ok().is_some_and(|current| e.trusts(current))
                });
            if !e.time_ok(now) || !trusted {
                map.remove(token);
                return None;
            }
            check(&id).then_some(id)
        })
    }

    pub fn insert(&self, token: &str, entry: Entry, now: u64) {
        self.with_map(|map| {
            if map.len() >= self.capacity {
                // Full: drop what has expired; if that is not enough, drop an
                // arbitrary eighth (hash order is seeded per process). One pass
                // per capacity/8 inserts keeps it amortised O(1), and hits stay
                // free of the bookkeeping an LRU would need.
                map.retain(|_, e| e.time_ok(now));
                if map.len() >= self.capacity {
                    let mut i = 0usize;
                    map.retain(|_, _| {
                        i += 1;
                        !i.is_multiple_of(8)
                    });
                }
            }
            map.insert(token.into(), entry);
        });
    }
}
