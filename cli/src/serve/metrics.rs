//! Prometheus text exposition for `/metrics`. The request path only does
//! relaxed atomic adds: one counter per reason (indexed by `Reason::ALL`), one
//! per profile (an `ArcSwap`ped list, extended under a mutex only the first
//! time a profile is seen), and a fixed-bucket latency histogram.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwap;
use jwtgate_core::{Gate, Reason};

/// Upper bounds in seconds: a cache hit is a few µs, an RSA check tens of µs,
/// a cold remote key fetch up to the loader timeout (5 s by default).
const BUCKETS: [f64; 18] = [
    0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
    0.5, 1.0, 2.5, 5.0,
];

pub struct Metrics {
    refused: Vec<AtomicU64>,
    allowed: ArcSwap<Vec<(String, Arc<AtomicU64>)>>,
    allowed_grow: Mutex<()>,
    buckets: Vec<AtomicU64>,
    latency_count: AtomicU64,
    latency_sum_ns: AtomicU64,
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
    last_reload_ok: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            refused: Reason::ALL.iter().map(|_| AtomicU64::new(0)).collect(),
            allowed: ArcSwap::from_pointee(Vec::new()),
            allowed_grow: Mutex::new(()),
            // One more than BUCKETS: the +Inf bucket.
            buckets: (0..=BUCKETS.len()).map(|_| AtomicU64::new(0)).collect(),
            latency_count: AtomicU64::new(0),
            latency_sum_ns: AtomicU64::new(0),
            reloads_ok: AtomicU64::new(0),
            reloads_failed: AtomicU64::new(0),
            last_reload_ok: AtomicU64::new(unix_now()),
        }
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Metrics {
    pub fn refused(&self, reason: Reason) {
        if let Some(i) = Reason::ALL.iter().position(|r| *r == reason) {
            self.refused[i].fetch_add(1, Relaxed);
        }
    }

    pub fn allowed(&self, profile: &str) {
        if let Some((_, c)) = self.allowed.load().iter().find(|(p, _)| p == profile) {
            c.fetch_add(1, Relaxed);
            return;
        }
        // First request of this profile (at start or after a reload added it).
        // Profiles come from the configuration, so this list stays small.
        let _guard = self.allowed_grow.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.allowed.load_full();
        if let Some((_, c)) = current.iter().find(|(p, _)| p == profile) {
            c.fetch_add(1, Relaxed);
            return;
        }
        let mut next = (*current).clone();
        next.push((profile.to_string(), Arc::new(AtomicU64::new(1))));
        self.allowed.store(Arc::new(next));
    }

    pub fn observe(&self, took: Duration) {
        let secs = took.as_secs_f64();
        let i = BUCKETS.iter().position(|b| secs <= *b).unwrap_or(BUCKETS.len());
        self.buckets[i].fetch_add(1, Relaxed);
        self.latency_count.fetch_add(1, Relaxed);
        self.latency_sum_ns.fetch_add(u64::try_from(took.as_nanos()).unwrap_or(u64::MAX), Relaxed);
    }

    pub fn reloaded(&self, ok: bool) {
        if ok {
            self.reloads_ok.fetch_add(1, Relaxed);
            self.last_reload_ok.store(unix_now(), Relaxed);
        } else {
            self.reloads_failed.fetch_add(1, Relaxed);
        }
    }

    /// The whole exposition, key-source health read from `gate.stats()` now.
    pub fn render(&self, gate: &Gate) -> String {
        let mut out = String::with_capacity(4096);
        let o = &mut out;
        help(o, "jwtgate_auth_allowed_total", "counter", "Check requests answered 200, by the profile that verified the token.");
        for (profile, c) in self.allowed.load().iter() {
            let _ = writeln!(o, "jwtgate_auth_allowed_total{{profile=\"{}\"}} {}", esc(profile), c.load(Relaxed));
        }
        help(o, "jwtgate_auth_refused_total", "counter", "Check requests refused, by reason (DESIGN section 4).");
        for (r, c) in Reason::ALL.iter().zip(&self.refused) {
            if *r != Reason::Ok {
                let _ = writeln!(o, "jwtgate_auth_refused_total{{reason=\"{}\"}} {}", r.as_str(), c.load(Relaxed));
            }
        }
        help(o, "jwtgate_auth_duration_seconds", "histogram", "Time to decide a check request, from its headers to the verdict.");
        let mut cumulative = 0;
        for (i, c) in self.buckets.iter().enumerate() {
            cumulative += c.load(Relaxed);
            let le = BUCKETS.get(i).map_or("+Inf".to_string(), |b| b.to_string());
            let _ = writeln!(o, "jwtgate_auth_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}");
        }
        let sum = self.latency_sum_ns.load(Relaxed) as f64 / 1e9;
        let _ = writeln!(o, "jwtgate_auth_duration_seconds_sum {sum}");
        // The count is the +Inf bucket, so the two always agree in one scrape.
        let _ = writeln!(o, "jwtgate_auth_duration_seconds_count {cumulative}");

        help(o, "jwtgate_config_reloads_total", "counter", "Configuration reloads (SIGHUP or file change), by result.");
        let _ = writeln!(o, "jwtgate_config_reloads_total{{result=\"ok\"}} {}", self.reloads_ok.load(Relaxed));
        let _ = writeln!(o, "jwtgate_config_reloads_total{{result=\"error\"}} {}", self.reloads_failed.load(Relaxed));
        help(o, "jwtgate_config_last_reload_success_timestamp_seconds", "gauge", "When the configuration in use was loaded.");
        let _ = writeln!(o, "jwtgate_config_last_reload_success_timestamp_seconds {}", self.last_reload_ok.load(Relaxed));
        help(o, "jwtgate_config_warnings", "gauge", "Warnings (unknown keys) in the configuration in use; `jwtgate check` lists them.");
        let _ = writeln!(o, "jwtgate_config_warnings {}", gate.warnings().len());

        let stats = gate.stats();
        help(o, "jwtgate_key_source_up", "gauge", "1 when the profile's key source has keys to verify with.");
        for p in &stats.profiles {
            let up = u8::from(!p.source.keys.is_empty());
            let _ = writeln!(o, "jwtgate_key_source_up{{profile=\"{}\",loader=\"{}\"}} {up}", esc(&p.profile), esc(&p.source.loader));
        }
        help(o, "jwtgate_key_source_keys", "gauge", "Keys the profile currently trusts.");
        for p in &stats.profiles {
            let _ = writeln!(o, "jwtgate_key_source_keys{{profile=\"{}\"}} {}", esc(&p.profile), p.source.keys.len());
        }
        help(o, "jwtgate_key_source_stale", "gauge", "1 while a remote key set older than its ttl is served because refreshes fail.");
        for p in &stats.profiles {
            let _ = writeln!(o, "jwtgate_key_source_stale{{profile=\"{}\"}} {}", esc(&p.profile), u8::from(p.source.stale));
        }
        help(o, "jwtgate_key_source_fetches_total", "counter", "Key fetches by remote key sources.");
        for p in &stats.profiles {
            let _ = writeln!(o, "jwtgate_key_source_fetches_total{{profile=\"{}\"}} {}", esc(&p.profile), p.source.fetches);
        }
        help(o, "jwtgate_key_source_failures_total", "counter", "Failed key fetches by remote key sources.");
        for p in &stats.profiles {
            let _ = writeln!(o, "jwtgate_key_source_failures_total{{profile=\"{}\"}} {}", esc(&p.profile), p.source.failures);
        }
        help(o, "jwtgate_key_source_last_success_timestamp_seconds", "gauge", "Last successful key load of remote key sources.");
        for p in &stats.profiles {
            if let Some(t) = p.source.last_success {
                let _ = writeln!(o, "jwtgate_key_source_last_success_timestamp_seconds{{profile=\"{}\"}} {t}", esc(&p.profile));
            }
        }
        out
    }
}

fn help(o: &mut String, name: &str, kind: &str, text: &str) {
    let _ = writeln!(o, "# HELP {name} {text}\n# TYPE {name} {kind}");
}

/// Label value escaping of the text format: backslash, quote, newline.
/// Profile names are issuer URLs from the operator's file, so they may hold
/// anything.
fn esc(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> Gate {
        Gate::from_properties("yfs.yfs.jwt.verify.keyloader=sharedkey\nyfs.yfs.jwt.verify.sharedkey=0123456789abcdef0123456789abcdef\n")
            .unwrap()
    }

    #[test]
    fn counters_and_histogram_render_consistently() {
        let m = Metrics::default();
        m.allowed("default");
        m.allowed("default");
        m.allowed("https://idp/\"x\"");
        m.refused(Reason::TokenExpired);
        m.observe(Duration::from_micros(3));
        m.observe(Duration::from_millis(30));
        m.observe(Duration::from_secs(60));
        let text = m.render(&gate());
        assert!(text.contains("jwtgate_auth_allowed_total{profile=\"default\"} 2\n"), "{text}");
        assert!(text.contains("jwtgate_auth_allowed_total{profile=\"https://idp/\\\"x\\\"\"} 1\n"), "{text}");
        assert!(text.contains("jwtgate_auth_refused_total{reason=\"token_expired\"} 1\n"));
        assert!(text.contains("jwtgate_auth_refused_total{reason=\"signature_invalid\"} 0\n"));
        assert!(!text.contains("reason=\"ok\""));
        assert!(text.contains("jwtgate_auth_duration_seconds_bucket{le=\"0.00001\"} 1\n"), "{text}");
        assert!(text.contains("jwtgate_auth_duration_seconds_bucket{le=\"0.05\"} 2\n"));
        assert!(text.contains("jwtgate_auth_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("jwtgate_auth_duration_seconds_count 3\n"));
        assert!(text.contains("jwtgate_key_source_up{profile=\"default\",loader=\"sharedkey\"} 1\n"), "{text}");
    }

    #[test]
    fn every_refusal_reason_has_a_series() {
        let text = Metrics::default().render(&gate());
        for r in Reason::ALL.iter().filter(|r| **r != Reason::Ok) {
            assert!(text.contains(&format!("reason=\"{}\"", r.as_str())), "{r:?}");
        }
    }
}
