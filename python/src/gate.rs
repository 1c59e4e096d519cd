//! `Gate`: the Python handle of a `jwtgate_core::Gate`.
//!
//! The core gate is `Send + Sync` and sits behind an `ArcSwapOption`, so the
//! Python object can be `frozen` (no borrow flag, no lock): every call loads
//! a clone of the `Arc`, drops the GIL and works on plain Rust values. A
//! `close()` racing a call only empties the slot; the call finishes on its
//! clone and the core gate is freed when the last clone goes.

use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwapOption;
use jwtgate_core::{Clock, ManualClock, Request, SystemClock};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString, PyType};

use crate::boundary::detached;
use crate::errors::invalid_argument;
use crate::identity::Identity;
use crate::json::to_py;

/// Verifies tokens against one ``customer_overrides.properties``
/// configuration. Thread-safe: share one gate between all threads; the GIL
/// is released while it verifies.
#[pyclass(frozen, weakref, module = "jwtgate._jwtgate")]
pub struct Gate {
    inner: ArcSwapOption<jwtgate_core::Gate>,
}

/// A fixed clock for tests and replays, else the system clock.
fn clock(now: Option<i64>) -> PyResult<Arc<dyn Clock>> {
    match now {
        None => Ok(Arc::new(SystemClock)),
        Some(n) if n >= 0 => Ok(Arc::new(ManualClock::new(n as u64))),
        Some(n) => Err(invalid_argument(format!("now must be Unix seconds >= 0, got {n}"))),
    }
}

impl Gate {
    fn wrap(gate: jwtgate_core::Gate) -> Gate {
        Gate { inner: ArcSwapOption::from_pointee(gate) }
    }

    fn get(&self) -> PyResult<Arc<jwtgate_core::Gate>> {
        self.inner.load_full().ok_or_else(|| invalid_argument("the gate is closed"))
    }
}

/// An owned copy of a request, so the GIL can be released while the core
/// reads it.
struct OwnedRequest {
    headers: Vec<(String, String)>,
    url: Option<String>,
    body: Option<Vec<u8>>,
}

/// A header name or value: str, or bytes as ASGI servers pass them (HTTP
/// header bytes are ISO-8859-1).
fn header_text(v: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if let Ok(b) = v.cast::<PyBytes>() {
        return Ok(b.as_bytes().iter().map(|&c| char::from(c)).collect());
    }
    Err(invalid_argument(format!("a header {what} must be str or bytes, not {}", v.get_type().name()?)))
}

/// Headers as a mapping (anything with `.items()`, e.g. a dict or
/// `wsgiref.headers.Headers`) or an iterable of `(name, value)` pairs.
fn headers_of(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if headers.is_none() {
        return Ok(Vec::new());
    }
    let pairs = if headers.hasattr("items")? { headers.call_method0("items")? } else { headers.clone() };
    let mut out = Vec::new();
    for pair in pairs.try_iter()? {
        let pair = pair?;
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
            pair.extract().map_err(|_| invalid_argument("headers must be a mapping or (name, value) pairs"))?;
        out.push((header_text(&name, "name")?, header_text(&value, "value")?));
    }
    Ok(out)
}

fn body_of(body: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<u8>>> {
    let Some(body) = body.filter(|b| !b.is_none()) else { return Ok(None) };
    if let Ok(s) = body.cast::<PyString>() {
        return Ok(Some(s.to_cow()?.as_bytes().to_vec()));
    }
    if let Ok(b) = body.cast::<PyBytes>() {
        return Ok(Some(b.as_bytes().to_vec()));
    }
    Err(invalid_argument(format!("body must be str or bytes, not {}", body.get_type().name()?)))
}

#[pymethods]
impl Gate {
    /// Read and check a properties file; ``reload()`` re-reads it.
    /// ``now`` (Unix seconds) fixes the clock, for tests and replays.
    #[classmethod]
    #[pyo3(signature = (path, now = None))]
    fn from_file(_cls: &Bound<'_, PyType>, py: Python<'_>, path: PathBuf, now: Option<i64>) -> PyResult<Gate> {
        let clock = clock(now)?;
        // Key sources may be fetched while building: no GIL held meanwhile.
        detached(py, move || jwtgate_core::Gate::from_file_with_clock(path, clock)).map(Gate::wrap)
    }

    /// Build a gate from properties text. ``now`` (Unix seconds) fixes the
    /// clock, for tests and replays; None uses the system clock.
    #[classmethod]
    #[pyo3(signature = (text, now = None))]
    fn from_string(_cls: &Bound<'_, PyType>, py: Python<'_>, text: String, now: Option<i64>) -> PyResult<Gate> {
        let clock = clock(now)?;
        detached(py, move || jwtgate_core::Gate::from_properties_with_clock(&text, clock)).map(Gate::wrap)
    }

    /// Verify a compact JWS and map it to an ``Identity``; raise a
    /// ``JwtError`` subclass on refusal. ``url`` is the resource URL for
    /// Liberty's audience rule.
    #[pyo3(signature = (token, url = None))]
    fn verify(&self, py: Python<'_>, token: String, url: Option<String>) -> PyResult<Identity> {
        let gate = self.get()?;
        detached(py, move || gate.verify_shared(&token, url.as_deref())).map(Identity::new)
    }

    /// Authenticate a request for ``endpoint`` (``<endpoint>.servlet.jwt.*``):
    /// find its token (configured header, ``Authorization: Bearer``, cookie,
    /// ``access_token`` form field) and verify it. ``headers``: a mapping or
    /// ``(name, value)`` pairs; ``body``: str or bytes.
    #[pyo3(signature = (endpoint, headers, url = None, body = None))]
    fn authenticate(
        &self,
        py: Python<'_>,
        endpoint: String,
        headers: &Bound<'_, PyAny>,
        url: Option<String>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Identity> {
        let gate = self.get()?;
        let req = OwnedRequest { headers: headers_of(headers)?, url, body: body_of(body)? };
        detached(py, move || {
            let pairs: Vec<(&str, &str)> = req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let r = Request { headers: &pairs, url: req.url.as_deref(), body: req.body.as_deref() };
            gate.authenticate_shared(&endpoint, &r)
        })
        .map(Identity::new)
    }

    /// Re-read the configuration (file gates re-read their file) and swap
    /// it in; in-flight calls finish on the old one. On error the gate keeps
    /// its current configuration and the error is raised.
    fn reload(&self, py: Python<'_>) -> PyResult<()> {
        let gate = self.get()?;
        detached(py, move || gate.reload())
    }

    /// Each profile's key source health, as a dict:
    /// ``{"profiles": [{"profile", "algorithms", "source": {...}}]}``.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let gate = self.get()?;
        let value = detached(py, move || {
            serde_json::to_value(gate.stats())
                .map_err(|e| jwtgate_core::Error::new(jwtgate_core::Reason::Internal, e.to_string()))
        })?;
        to_py(py, &value)
    }

    /// Configuration warnings (unknown keys, with the closest known key),
    /// one line each, as ``jwtgate check`` prints them.
    #[getter]
    fn warnings(&self) -> PyResult<Vec<String>> {
        Ok(self.get()?.warnings().iter().map(ToString::to_string).collect())
    }

    /// True once ``close()`` has run.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.load().is_none()
    }

    /// Release the gate now instead of at garbage collection. Calls already
    /// running finish; later calls raise ``InvalidArgument``. Idempotent.
    fn close(&self) {
        self.inner.store(None);
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }

    fn __repr__(&self) -> String {
        match self.inner.load_full() {
            None => "<jwtgate.Gate closed>".to_string(),
            Some(g) => {
                let names: Vec<String> = g.stats().profiles.into_iter().map(|p| p.profile).collect();
                format!("<jwtgate.Gate profiles={names:?}>")
            }
        }
    }
}
