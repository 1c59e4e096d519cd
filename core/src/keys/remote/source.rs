//! The remote key cache.
//!
//! Freshness, all in seconds of the injected clock:
//! - a fetched (or revalidated) set is *fresh* for `cache.ttl`, or for the
//!   response's `Cache-Control: max-age` when that is shorter;
//! - once it is no longer fresh the background refresher fetches again; until
//!   that succeeds the set keeps serving (*stale*) for `cache.maxstale` more;
//! - past that, or before any fetch succeeded, the source is *cold*: a
//!   verify call fetches itself (bounded by the timeout, single-flighted,
//!   and not more often than the failure backoff allows) and otherwise
//!   answers `key_source_unavailable`.
//!
//! The verify path reads one `ArcSwap`; it touches the network only when
//! cold, or through `refetch` after an unknown kid (throttled by
//! `refresh.cooldown`, with a memory of kids that were already looked for).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use arc_swap::ArcSwapOption;

use super::disk::{DiskCache, Saved};
use super::fetch::{Fetcher, Outcome};
use super::flight::Flight;
use super::kind::{self, Kind};
use crate::clock::Clock;
use crate::config::KeySourceConfig;
use crate::error::{Error, Result, err};
use crate::keys::{KeyInfo, KeyQuery, KeySet, KeySource, Selection, SourceStatus};

/// A max-age below this (or `no-cache`) is raised to it: the key server
/// asked for frequent checks, not for one per request.
const MIN_LIFETIME: u64 = 30;
/// How many recently missed kids are remembered.
const MISSED_KIDS: usize = 64;
/// Longest real-time nap of the refresher between looks at the clock.
const MAX_NAP: Duration = Duration::from_secs(30);

/// One generation of fetched keys.
struct Loaded {
    set: Arc<KeySet>,
    etag: Option<String>,
    /// The response body, kept only when it is persisted (`cache.dir`).
    body: Option<Arc<Vec<u8>>>,
    validated_at: u64,
    fresh_until: u64,
}

#[derive(Default)]
struct Health {
    last_success: Option<u64>,
    last_error: Option<String>,
}

struct Inner {
    profile: String,
    kind: Kind,
    fetcher: Fetcher,
    disk: Option<DiskCache>,
    clock: Arc<dyn Clock>,
    ttl: u64,
    max_stale: u64,
    cooldown: u64,
    timeout: Duration,
    /// Time budget of a background round (every URI gets its timeout).
    round_budget: Duration,
    current: ArcSwapOption<Loaded>,
    flight: Flight,
    /// Clock second from which the refresher should fetch again.
    due: AtomicU64,
    /// Clock second before which a failed source is not retried (backoff).
    retry_at: AtomicU64,
    consecutive_failures: AtomicU64,
    /// Clock second of the last refetch caused by a missed kid, plus one
    /// (0: never).
    last_kid_refetch: AtomicU64,
    missed: Mutex<VecDeque<(String, u64)>>,
    nudged: AtomicBool,
    wake: Arc<Wake>,
    fetches: AtomicU64,
    failures: AtomicU64,
    stale_serves: AtomicU64,
    health: Mutex<Health>,
}

/// The handle a profile holds. Dropping it (with the gate) ends the
/// refresher thread, which holds only a `Weak`.
pub struct RemoteSource {
    inner: Arc<Inner>,
}

impl Drop for RemoteSource {
    fn drop(&mut self) {
        // `close`, not a plain wake-up: this runs before `self.inner` is
        // released, so a refresher woken now could still upgrade its `Weak`.
        self.inner.wake.close();
    }
}

/// The refresher's alarm. Not thread park/unpark: the HTTP client parks the
/// fetching thread itself and would swallow the wake-up. It lives apart from
/// `Inner` so that the sleeping refresher keeps no strong reference.
#[derive(Default)]
struct Wake {
    /// (rung, closed)
    state: Mutex<(bool, bool)>,
    cv: Condvar,
}

impl Wake {
    fn signal(&self) {
        lock(&self.state).0 = true;
        self.cv.notify_one();
    }

    fn close(&self) {
        lock(&self.state).1 = true;
        self.cv.notify_one();
    }

    fn closed(&self) -> bool {
        lock(&self.state).1
    }

    /// Sleeps until rung, closed or `nap` passed; returns whether closed.
    fn sleep(&self, nap: Duration) -> bool {
        let g = lock(&self.state);
        let (mut g, _) = self.cv.wait_timeout_while(g, nap, |s| !s.0 && !s.1).unwrap_or_else(|e| e.into_inner());
        g.0 = false;
        g.1
    }
}

impl RemoteSource {
    pub fn start(profile: &str, kind: Kind, cfg: &KeySourceConfig, clock: Arc<dyn Clock>) -> Result<RemoteSource> {
        let fetcher = Fetcher::new(cfg, kind.accept())?;
        let disk = cfg.cache_dir.as_deref().map(|d| DiskCache::new(d, profile, kind.name(), &cfg.uris));
        let inner = Arc::new(Inner {
            profile: profile.to_string(),
            kind,
            fetcher,
            disk,
            clock,
            ttl: cfg.ttl.as_secs().max(1),
            max_stale: cfg.max_stale.as_secs(),
            cooldown: cfg.cooldown.as_secs(),
            timeout: cfg.timeout,
            round_budget: cfg.timeout * cfg.uris.len().max(1) as u32,
            current: ArcSwapOption::empty(),
            flight: Flight::default(),
            due: AtomicU64::new(0),
            retry_at: AtomicU64::new(0),
            consecutive_failures: AtomicU64::new(0),
            last_kid_refetch: AtomicU64::new(0),
            missed: Mutex::new(VecDeque::new()),
            nudged: AtomicBool::new(false),
            wake: Arc::new(Wake::default()),
            fetches: AtomicU64::new(0),
            failures: AtomicU64::new(0),
            stale_serves: AtomicU64::new(0),
            health: Mutex::new(Health::default()),
        });
        inner.load_disk();
        let now = inner.clock.now();
        let fresh = inner.current.load().as_ref().is_some_and(|l| now < l.fresh_until);
        if !fresh {
            // The first fetch, bounded by one timeout: loading a configuration
            // never fails (or hangs) because the key server is down.
            inner.flight.run_or_wait(inner.timeout, || {
                let _ = inner.refresh(inner.timeout);
            });
        }
        spawn_refresher(&inner)?;
        Ok(RemoteSource { inner })
    }
}

fn spawn_refresher(inner: &Arc<Inner>) -> Result<()> {
    let weak: Weak<Inner> = Arc::downgrade(inner);
    let wake = inner.wake.clone();
    std::thread::Builder::new()
        .name("jwtgate-keys".into())
        .spawn(move || {
            while !wake.closed() {
                let Some(inner) = weak.upgrade() else { return };
                let nap = inner.tick();
                drop(inner);
                if wake.sleep(nap) {
                    return;
                }
            }
        })
        .map_err(|e| err!(Internal, "cannot start the key refresher thread: {e}"))?;
    Ok(())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Inner {
    /// Fresh lifetime of a response: `max-age` bounded by the ttl.
    fn lifetime(&self, max_age: Option<u64>) -> u64 {
        match max_age {
            Some(age) => age.clamp(MIN_LIFETIME.min(self.ttl), self.ttl),
            None => self.ttl,
        }
    }

    fn usable(&self, l: &Loaded, now: u64) -> bool {
        now < l.fresh_until.saturating_add(self.max_stale)
    }

    fn install(&self, l: Loaded) {
        self.due.store(l.fresh_until, Ordering::Release);
        self.current.store(Some(Arc::new(l)));
    }

    /// A persisted response, if it is intact and not older than maxstale.
    fn load_disk(&self) {
        let Some(disk) = &self.disk else { return };
        let saved = match disk.load() {
            Ok(Some(s)) => s,
            Ok(None) => return,
            Err(why) => return log::warn!("profile `{}`: cached key set not used: {why}", self.profile),
        };
        let set = match self.kind.parse(&saved.body) {
            Ok(set) => set,
            Err(e) => return log::warn!("profile `{}`: cached key set {} not used: {}", self.profile, disk.path().display(), e.message()),
        };
        let l = Loaded {
            set: Arc::new(set),
            etag: saved.etag,
            body: Some(Arc::new(saved.body)),
            validated_at: saved.validated_at,
            fresh_until: saved.fresh_until,
        };
        let now = self.clock.now();
        if !self.usable(&l, now) {
            return log::warn!(
                "profile `{}`: cached key set {} is older than cache.maxstale; not used",
                self.profile,
                disk.path().display()
            );
        }
        log::info!("profile `{}`: {} key(s) loaded from {}", self.profile, l.set.keys.len(), disk.path().display());
        self.install(l);
    }

    fn persist(&self, l: &Loaded) {
        let (Some(disk), Some(body)) = (&self.disk, &l.body) else { return };
        let saved =
            Saved { body: body.to_vec(), etag: l.etag.clone(), validated_at: l.validated_at, fresh_until: l.fresh_until };
        if let Err(why) = disk.store(&saved) {
            log::warn!("profile `{}`: {why}", self.profile);
        }
    }

    /// One fetch round; must run inside `self.flight`.
    fn refresh(&self, budget: Duration) -> Result<()> {
        let now = self.clock.now();
        let cur = self.current.load_full();
        let etag = cur.as_ref().and_then(|l| l.etag.clone());
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let result = self.fetcher.fetch(etag.as_deref(), budget).and_then(|outcome| match (outcome, &cur) {
            (Outcome::NotModified { max_age, .. }, Some(old)) => Ok(Loaded {
                set: old.set.clone(),
                etag: old.etag.clone(),
                body: old.body.clone(),
                validated_at: now,
                fresh_until: now + self.lifetime(max_age),
            }),
            (Outcome::NotModified { uri, .. }, None) => {
                Err(err!(KeySourceUnavailable, "{} answered 304 to a request without validator", super::fetch::redact(&uri)))
            }
            (Outcome::Body { uri, body, etag, max_age }, _) => {
                let set = self.kind.parse(&body).map_err(|e| {
                    err!(KeySourceUnavailable, "{} sent no usable {} response: {}", super::fetch::redact(&uri), self.kind.name(), e.message())
                })?;
                if let Some(old) = &cur {
                    for note in kind::describe_change(&old.set, &set) {
                        log::warn!("profile `{}`: key set changed: {note}", self.profile);
                    }
                }
                Ok(Loaded {
                    set: Arc::new(set),
                    etag,
                    body: self.disk.is_some().then(|| Arc::new(body)),
                    validated_at: now,
                    fresh_until: now + self.lifetime(max_age),
                })
            }
        });
        match result {
            Ok(l) => {
                self.persist(&l);
                self.install(l);
                self.consecutive_failures.store(0, Ordering::Relaxed);
                self.retry_at.store(0, Ordering::Relaxed);
                *lock(&self.health) = Health { last_success: Some(now), last_error: None };
                Ok(())
            }
            Err(e) => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                let n = self.consecutive_failures.fetch_add(1, Ordering::Relaxed) + 1;
                // Exponential backoff, 1 s doubling up to the cooldown (and the ttl).
                let cap = self.cooldown.clamp(1, self.ttl);
                let retry = now + (1u64 << (n - 1).min(20)).min(cap);
                self.retry_at.store(retry, Ordering::Relaxed);
                self.due.store(retry, Ordering::Release);
                let serving = cur.as_ref().is_some_and(|l| self.usable(l, now));
                log::warn!(
                    "profile `{}`: key fetch failed ({}); {}",
                    self.profile,
                    e.message(),
                    if serving { "the last good key set keeps serving" } else { "no usable key set" }
                );
                lock(&self.health).last_error = Some(e.message().to_string());
                Err(e)
            }
        }
    }

    /// The refresher's step: fetch when due; returns how long to nap.
    fn tick(&self) -> Duration {
        self.nudged.store(false, Ordering::Relaxed);
        let now = self.clock.now();
        if now >= self.due.load(Ordering::Acquire) {
            self.flight.run_or_wait(self.round_budget, || {
                let _ = self.refresh(self.round_budget);
            });
        }
        let now = self.clock.now();
        let due = self.due.load(Ordering::Acquire);
        Duration::from_secs(due.saturating_sub(now).max(1)).min(MAX_NAP)
    }

    /// Wakes the refresher once when the set is due (cheap on the hot path:
    /// an atomic load, and after `due` one swap; the lock only once per tick).
    fn nudge(&self, now: u64) {
        if now >= self.due.load(Ordering::Acquire) && !self.nudged.swap(true, Ordering::Relaxed) {
            self.wake.signal();
        }
    }

    fn unavailable(&self) -> Error {
        let why = lock(&self.health).last_error.clone();
        let why = why.unwrap_or_else(|| "the cached key set is older than verify.keyloader.cache.maxstale".into());
        err!(KeySourceUnavailable, "profile `{}`: no usable keys from {}: {why}", self.profile, self.fetcher.origin())
    }

    /// The token cache's fast path: `set` is the current set and still
    /// fresh (past freshness, `keys` must run to nudge the refresher and
    /// apply `maxstale`).
    fn still_serves(&self, set: *const KeySet, now: u64) -> bool {
        match &*self.current.load() {
            Some(l) => now < l.fresh_until && std::ptr::eq(Arc::as_ptr(&l.set), set),
            None => false,
        }
    }

    fn keys(&self, now: u64) -> Result<Arc<KeySet>> {
        if let Some(l) = &*self.current.load() {
            if now < l.fresh_until {
                return Ok(l.set.clone());
            }
            self.nudge(now);
            if self.usable(l, now) {
                if self.consecutive_failures.load(Ordering::Relaxed) > 0 {
                    self.stale_serves.fetch_add(1, Ordering::Relaxed);
                }
                return Ok(l.set.clone());
            }
        }
        // Cold: fetch here, unless the source failed moments ago.
        if now >= self.retry_at.load(Ordering::Relaxed) {
            self.flight.run_or_wait(self.timeout, || {
                let _ = self.refresh(self.timeout);
            });
        }
        match &*self.current.load() {
            Some(l) if self.usable(l, self.clock.now().max(now)) => Ok(l.set.clone()),
            _ => Err(self.unavailable()),
        }
    }

    fn refetch(&self, q: &KeyQuery<'_>) -> Result<Option<Arc<KeySet>>> {
        let now = q.now;
        let kid = q.kid.unwrap_or("");
        let memory = self.cooldown.saturating_mul(4).max(1);
        {
            let mut missed = lock(&self.missed);
            missed.retain(|(_, at)| now < at + memory);
            if missed.iter().any(|(k, _)| k == kid) {
                return Ok(None);
            }
        }
        let before = self.current.load_full();
        let last = self.last_kid_refetch.load(Ordering::Acquire);
        let allowed = last == 0 || now >= (last - 1).saturating_add(self.cooldown);
        let mut fetched = false;
        if allowed
            && now >= self.retry_at.load(Ordering::Relaxed)
            && self.last_kid_refetch.compare_exchange(last, now + 1, Ordering::AcqRel, Ordering::Acquire).is_ok()
        {
            self.flight.run_or_wait(self.timeout, || {
                fetched = self.refresh(self.timeout).is_ok();
            });
        } else {
            // Someone else's fetch may be bringing this very kid.
            self.flight.wait_if_running(self.timeout);
        }
        let after = self.current.load_full();
        let Some(after) = after else { return Err(self.unavailable()) };
        if fetched && matches!(after.set.select(q.kid, q.alg), Selection::Missing) {
            let mut missed = lock(&self.missed);
            if missed.len() >= MISSED_KIDS {
                missed.pop_front();
            }
            missed.push_back((kid.to_string(), now));
        }
        let changed = before.as_ref().is_none_or(|b| !Arc::ptr_eq(&b.set, &after.set));
        Ok(changed.then(|| after.set.clone()))
    }

    fn status(&self) -> SourceStatus {
        let now = self.clock.now();
        let cur = self.current.load_full();
        let health = lock(&self.health);
        let failing = self.consecutive_failures.load(Ordering::Relaxed) > 0;
        let usable = cur.as_ref().filter(|l| self.usable(l, now));
        SourceStatus {
            loader: self.kind.name().into(),
            origin: self.fetcher.origin(),
            keys: usable.map(|l| KeyInfo::of(&l.set)).unwrap_or_default(),
            fetches: self.fetches.load(Ordering::Relaxed),
            failures: self.failures.load(Ordering::Relaxed),
            last_success: health.last_success.or(cur.as_ref().map(|l| l.validated_at)),
            stale: failing && usable.is_some_and(|l| now >= l.fresh_until),
            stale_serves: self.stale_serves.load(Ordering::Relaxed),
            last_error: health.last_error.clone(),
        }
    }
}

impl KeySource for RemoteSource {
    fn keys(&self, q: &KeyQuery<'_>) -> Result<Arc<KeySet>> {
        self.inner.keys(q.now)
    }

    fn refetch(&self, q: &KeyQuery<'_>) -> Result<Option<Arc<KeySet>>> {
        self.inner.refetch(q)
    }

    fn still_serves(&self, set: *const KeySet, now: u64) -> bool {
        self.inner.still_serves(set, now)
    }

    fn status(&self) -> SourceStatus {
        self.inner.status()
    }
}
