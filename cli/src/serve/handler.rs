//! One HTTP request: `/auth/<endpoint>` (the verdict), `/healthz`, `/metrics`.

use std::convert::Infallible;
use std::time::Instant;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName, HeaderValue, WWW_AUTHENTICATE};
use hyper::{Request, Response, StatusCode};
use jwtgate_core::{Error, Gate, Identity, Reason};

use super::forwarded::resource_url;
use super::metrics::Metrics;

/// Forward-auth checks carry no body; this only bounds the `access_token`
/// form parameter case.
const MAX_BODY: usize = 64 * 1024;

/// Response header names, set by `--user-header` and friends.
pub struct HeaderNames {
    pub user: HeaderName,
    pub email: HeaderName,
    pub groups: HeaderName,
    pub issuer: HeaderName,
    pub reason: HeaderName,
}

pub struct App {
    pub gate: Gate,
    pub metrics: Metrics,
    pub names: HeaderNames,
    /// Log each refusal's detail to stderr (`--verbose`).
    pub verbose: bool,
}

type Reply = Response<Full<Bytes>>;

pub async fn handle(app: &App, req: Request<Incoming>) -> Result<Reply, Infallible> {
    let path = req.uri().path();
    if path == "/healthz" {
        return Ok(text(StatusCode::OK, "ok\n"));
    }
    if path == "/metrics" {
        let mut r = text(StatusCode::OK, app.metrics.render(&app.gate));
        r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
        return Ok(r);
    }
    let Some(rest) = req.uri().path_and_query().map(|p| p.as_str()).and_then(|p| p.strip_prefix("/auth/")) else {
        return Ok(text(StatusCode::NOT_FOUND, "not found: use /auth/<endpoint>, /healthz or /metrics\n"));
    };
    // `/auth/<endpoint>[/original/path]`: Envoy appends the original path.
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (endpoint, suffix) = rest.split_at(split);
    if endpoint.is_empty() {
        return Ok(text(StatusCode::NOT_FOUND, "not found: use /auth/<endpoint>\n"));
    }
    let (endpoint, suffix) = (endpoint.to_string(), suffix.to_string());
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let body = match read_body(&parts.headers, body).await {
        Ok(b) => b,
        Err(e) => return Ok(app.refuse(&e, started)),
    };
    // Header values that are not UTF-8 cannot hold a token; they are left out.
    let headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str(), std::str::from_utf8(v.as_bytes()).ok()?)))
        .collect();
    let url = resource_url(&headers, &suffix);
    let request = jwtgate_core::Request { headers: &headers, url: url.as_deref(), body: body.as_deref() };
    // Verification runs on this worker: a cache hit is ~1 µs and an RSA check
    // tens of µs, cheaper than a hop to the blocking pool. Only a cold remote
    // key set waits on the network, bounded by the loader timeout.
    let verdict = app.gate.authenticate_shared(&endpoint, &request);
    Ok(match verdict {
        Ok(id) => app.allow(&id, started),
        Err(e) => {
            if app.verbose {
                eprintln!("jwtgate serve: /auth/{}: refused: {e}", truncate(&endpoint, 60));
            }
            app.refuse(&e, started)
        }
    })
}

async fn read_body(headers: &hyper::HeaderMap, body: Incoming) -> Result<Option<Vec<u8>>, Error> {
    let empty = headers.get(hyper::header::CONTENT_LENGTH).is_some_and(|v| v == "0")
        || (headers.get(hyper::header::CONTENT_LENGTH).is_none() && headers.get(hyper::header::TRANSFER_ENCODING).is_none());
    if empty {
        return Ok(None);
    }
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => Ok(Some(b.to_bytes().to_vec()).filter(|b| !b.is_empty())),
        Err(e) => Err(Error::new(
            Reason::InvalidArgument,
            format!("the check request's body could not be read within {MAX_BODY} bytes: {e}"),
        )),
    }
}

impl App {
    fn allow(&self, id: &Identity, started: Instant) -> Reply {
        let mut r = Response::new(Full::new(Bytes::new()));
        let h = r.headers_mut();
        let groups = id.groups.join(",");
        // Every header is sent, empty when the token lacks the claim: a
        // gateway that copies these onto the upstream request (Envoy's
        // allowed_upstream_headers) then always overwrites what the client
        // sent under the same name, instead of letting a forged one through.
        let fields = [
            (&self.names.user, id.user.as_str()),
            (&self.names.email, id.email.as_deref().unwrap_or("")),
            (&self.names.groups, groups.as_str()),
            (&self.names.issuer, id.issuer.as_deref().unwrap_or("")),
        ];
        for (name, value) in fields {
            // Claims are UTF-8 and may hold anything; a control character
            // cannot travel in a header. Rewriting it could make two users
            // look alike, so the request is refused instead (fail closed).
            let Ok(v) = HeaderValue::from_bytes(value.as_bytes()) else {
                let e = Error::new(
                    Reason::Internal,
                    format!("the identity's {name} contains characters a header cannot carry (user claim of profile {})", id.profile),
                );
                eprintln!("jwtgate serve: {e}");
                return self.refuse(&e, started);
            };
            h.insert(name.clone(), v);
        }
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        self.metrics.allowed(&id.profile);
        self.metrics.observe(started.elapsed());
        r
    }

    fn refuse(&self, e: &Error, started: Instant) -> Reply {
        let reason = e.reason();
        let status = status_for(reason);
        let mut r = text(status, format!("{}\n", reason.as_str()));
        let h = r.headers_mut();
        h.insert(self.names.reason.clone(), HeaderValue::from_static(reason.as_str()));
        if status == StatusCode::UNAUTHORIZED {
            // Built by the core from fixed strings, so always a valid value.
            if let Ok(v) = HeaderValue::from_str(&e.www_authenticate()) {
                h.insert(WWW_AUTHENTICATE, v);
            }
        }
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        self.metrics.refused(reason);
        self.metrics.observe(started.elapsed());
        r
    }
}

/// 401 for everything the token or request causes. The gateway passes 401
/// and 403 on to the client (nginx `auth_request` turns anything else into
/// 500), so the other statuses are kept for what the client cannot fix.
pub fn status_for(reason: Reason) -> StatusCode {
    match reason {
        // The key server is down: not the client's fault, and worth a retry.
        Reason::KeySourceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        // The gateway asks about an endpoint this configuration does not protect.
        Reason::EndpointNotEnabled => StatusCode::FORBIDDEN,
        Reason::Internal | Reason::ConfigIo | Reason::ConfigInvalid => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNAUTHORIZED,
    }
}

fn text(status: StatusCode, body: impl Into<Bytes>) -> Reply {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_refusal_is_401_and_server_side_failures_are_not() {
        for r in Reason::ALL.iter().copied().filter(|r| *r != Reason::Ok) {
            let s = status_for(r);
            match r {
                Reason::KeySourceUnavailable => assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE),
                Reason::EndpointNotEnabled => assert_eq!(s, StatusCode::FORBIDDEN),
                Reason::Internal | Reason::ConfigIo | Reason::ConfigInvalid => assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR),
                _ => assert_eq!(s, StatusCode::UNAUTHORIZED, "{r:?}"),
            }
        }
    }
}
