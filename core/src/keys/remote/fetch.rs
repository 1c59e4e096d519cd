//! One HTTPS fetch round over the configured URIs (failover, in order):
//! rustls with the system roots or `verify.keyloader.truststore`, a bounded
//! body, redirects only to https (a few hops), `If-None-Match` revalidation
//! and `Cache-Control: max-age`.

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header;

use crate::config::KeySourceConfig;
use crate::error::{Result, err};

/// Largest key-set response accepted. Real JWKS documents are a few KiB; a
/// bigger answer is a misconfigured URI or an attack on memory.
pub const MAX_BODY: u64 = 256 * 1024;
/// Redirect hops followed (a CDN or a load balancer may add one or two).
pub const MAX_REDIRECTS: usize = 3;

pub struct Fetcher {
    client: Client,
    uris: Vec<String>,
    accept: &'static str,
    timeout: Duration,
}

/// What one round brought back.
pub enum Outcome {
    /// 304 for the validator we sent: the key set is unchanged.
    NotModified { uri: String, max_age: Option<u64> },
    Body { uri: String, body: Vec<u8>, etag: Option<String>, max_age: Option<u64> },
}

impl Fetcher {
    pub fn new(cfg: &KeySourceConfig, accept: &'static str) -> Result<Fetcher> {
        let allow_http = cfg.allow_http;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            let url = attempt.url();
            let secure = url.scheme() == "https" || (allow_http && url.scheme() == "http" && is_loopback(url.host_str()));
            if !secure {
                let to = redact(url.as_str());
                attempt.error(format!("redirect to `{to}` refused: key sets are fetched over https only"))
            } else if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else {
                attempt.follow()
            }
        });
        let mut builder = Client::builder()
            .redirect(policy)
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout)
            .user_agent(concat!("jwtgate/", env!("CARGO_PKG_VERSION")))
            // A key set is public and small: no cookies, no compression games.
            .https_only(!cfg.allow_http);
        if let Some(path) = &cfg.truststore {
            let pem = std::fs::read(path)
                .map_err(|e| err!(ConfigIo, "verify.keyloader.truststore {}: cannot read: {e}", path.display()))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                err!(ConfigInvalid, "verify.keyloader.truststore {} is not a PEM certificate bundle: {e}", path.display())
            })?;
            if certs.is_empty() {
                return Err(err!(ConfigInvalid, "verify.keyloader.truststore {} holds no certificate", path.display()));
            }
            // The bundle replaces the system roots: a private CA is meant to be
            // the only one trusted for these URIs.
            builder = builder.tls_certs_only(certs);
        }
        if cfg.uris.iter().all(|u| reqwest::Url::parse(u).is_ok_and(|u| is_loopback(u.host_str()))) {
            // A proxy from the environment must not intercept loopback traffic.
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| err!(ConfigInvalid, "cannot set up the HTTPS client: {e}"))?;
        Ok(Fetcher { client, uris: cfg.uris.clone(), accept, timeout: cfg.timeout })
    }

    /// The URIs for messages and status, without credentials or queries.
    pub fn origin(&self) -> String {
        self.uris.iter().map(|u| redact(u)).collect::<Vec<_>>().join(", ")
    }

    /// Tries each URI in order until one answers 200 (or 304 for `etag`).
    /// `budget` bounds the whole round: a verify call waiting on a cold
    /// cache must not wait one timeout per URI.
    pub fn fetch(&self, etag: Option<&str>, budget: Duration) -> Result<Outcome> {
        let deadline = Instant::now() + budget;
        let mut failures = Vec::new();
        for uri in &self.uris {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                failures.push(format!("{}: not tried, the fetch budget is spent", redact(uri)));
                continue;
            }
            match self.fetch_one(uri, etag, left.min(self.timeout)) {
                Ok(o) => {
                    if !failures.is_empty() {
                        log::warn!("key source failover: {}; answered by {}", failures.join("; "), redact(uri));
                    }
                    return Ok(o);
                }
                Err(why) => failures.push(format!("{}: {why}", redact(uri))),
            }
        }
        Err(err!(KeySourceUnavailable, "no key source answered: {}", failures.join("; ")))
    }

    fn fetch_one(&self, uri: &str, etag: Option<&str>, timeout: Duration) -> std::result::Result<Outcome, String> {
        let mut req = self.client.get(uri).timeout(timeout).header(header::ACCEPT, self.accept);
        if let Some(tag) = etag {
            req = req.header(header::IF_NONE_MATCH, tag);
        }
        let mut resp = req.send().map_err(describe)?;
        let max_age = resp.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).and_then(max_age);
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_MODIFIED && etag.is_some() {
            return Ok(Outcome::NotModified { uri: uri.to_string(), max_age });
        }
        if status != reqwest::StatusCode::OK {
            return Err(format!("HTTP {status}"));
        }
        if resp.content_length().is_some_and(|n| n > MAX_BODY) {
            return Err(format!("the response is larger than {} KiB", MAX_BODY / 1024));
        }
        let new_etag = resp.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_string);
        let mut body = Vec::new();
        (&mut resp).take(MAX_BODY + 1).read_to_end(&mut body).map_err(|e| format!("reading the body failed: {e}"))?;
        if body.len() as u64 > MAX_BODY {
            return Err(format!("the response is larger than {} KiB", MAX_BODY / 1024));
        }
        Ok(Outcome::Body { uri: uri.to_string(), body, etag: new_etag, max_age })
    }
}

/// reqwest's error with its causes (the TLS reason sits in the chain), and
/// without the URL, which the caller names once, redacted.
fn describe(e: reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".to_string();
    }
    let e = e.without_url();
    let mut text = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        src = s.source();
    }
    text
}

/// `max-age` of a Cache-Control value; `no-cache`/`no-store` count as 0.
pub fn max_age(value: &str) -> Option<u64> {
    let mut age = None;
    for part in value.split(',').map(str::trim) {
        let lower = part.to_ascii_lowercase();
        if lower == "no-cache" || lower == "no-store" {
            return Some(0);
        }
        if let Some(v) = lower.strip_prefix("max-age=") {
            age = v.trim_matches('"').parse::<u64>().ok().or(age);
        }
    }
    age
}

pub fn is_loopback(host: Option<&str>) -> bool {
    let Some(h) = host else { return false };
    let h = h.trim_start_matches('[').trim_end_matches(']');
    h == "localhost" || h == "::1" || h.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// A URI fit for logs and messages: no user:password, no query or fragment
/// (either may carry a credential).
pub fn redact(uri: &str) -> String {
    match reqwest::Url::parse(uri) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            let had_query = u.query().is_some();
            u.set_query(None);
            u.set_fragment(None);
            let mut s = u.to_string();
            if had_query {
                s.push_str("?…");
            }
            s
        }
        Err(_) => "(unparsable URI)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_reads_the_directive_and_treats_no_cache_as_zero() {
        assert_eq!(max_age("public, max-age=300"), Some(300));
        assert_eq!(max_age("Max-Age=\"60\""), Some(60));
        assert_eq!(max_age("no-cache, max-age=300"), Some(0));
        assert_eq!(max_age("public"), None);
        assert_eq!(max_age("max-age=-5"), None);
    }

    #[test]
    fn redact_drops_credentials_and_queries() {
        assert_eq!(redact("https://u:secret@h.example/jwks?token=abc"), "https://h.example/jwks?…");
        assert_eq!(redact("https://h.example:8443/k"), "https://h.example:8443/k");
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback(Some("127.0.0.1")));
        assert!(is_loopback(Some("127.8.0.2")));
        assert!(is_loopback(Some("[::1]")));
        assert!(is_loopback(Some("localhost")));
        assert!(!is_loopback(Some("10.0.0.1")));
        assert!(!is_loopback(None));
    }
}
