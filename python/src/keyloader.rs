//! Python callables as custom key loaders (`verify.keyloader=<name>`).
//!
//! The core calls a loader from whichever thread is verifying, with the GIL
//! released; the loader re-attaches to call into Python. Whatever goes wrong
//! in Python (an exception, a wrong return type) becomes the `Err` text that
//! the core turns into `key_source_unavailable`, never a crash.

use std::sync::Arc;

use jwtgate_core::{KeyLoader, KeyRequest};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

struct PyKeyLoader {
    func: Py<PyAny>,
}

impl KeyLoader for PyKeyLoader {
    fn load(&self, req: &KeyRequest<'_>) -> Result<Vec<u8>, String> {
        // try_attach: during interpreter shutdown there is no Python to ask.
        Python::try_attach(|py| call(py, &self.func, req))
            .unwrap_or_else(|| Err("the Python interpreter is shutting down".to_string()))
    }
}

fn call(py: Python<'_>, func: &Py<PyAny>, req: &KeyRequest<'_>) -> Result<Vec<u8>, String> {
    let answer = func.call1(py, (req.kid, req.alg, req.issuer)).map_err(|e| describe(py, &e))?;
    let answer = answer.bind(py);
    if answer.is_none() {
        // No key for this request: the core reports key_not_found.
        return Ok(Vec::new());
    }
    if let Ok(s) = answer.cast::<PyString>() {
        return s.to_cow().map(|s| s.as_bytes().to_vec()).map_err(|e| describe(py, &e));
    }
    if let Ok(b) = answer.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = answer.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    let ty = answer.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    Err(format!("returned a {ty}; a key loader must return str, bytes or None"))
}

/// `TypeName: text` of a Python exception. The text is the loader's own
/// message; it is cut short so a loader that puts key material into its
/// exception does not have it copied whole into logs.
fn describe(py: Python<'_>, e: &PyErr) -> String {
    let ty = e.get_type(py).name().map(|n| n.to_string()).unwrap_or_else(|_| "Exception".into());
    let text = e.value(py).str().map(|s| s.to_string()).unwrap_or_default();
    let mut text: String = text.chars().take(200).collect();
    if text.is_empty() {
        text = "(no message)".into();
    }
    format!("raised {ty}: {text}")
}

/// Register (or replace) a Python key loader under ``name``.
///
/// ``fn(kid, alg, issuer)`` is called with the token header's ``kid`` (or
/// None), ``alg`` and the unverified ``iss`` (or None); it returns key
/// material as ``str`` or ``bytes`` (PEM, DER, base64, JWK, JWKS, or an HMAC
/// secret of at least 32 bytes), or None when it has no key. Its answer is
/// cached per kid for ``verify.keyloader.cache.ttl``. Exceptions become
/// ``KeySourceUnavailable`` refusals. Gates built afterwards may name the
/// loader in ``verify.keyloader``; gates already built keep the loader they
/// found.
#[pyfunction]
pub fn register_keyloader(name: &str, func: Bound<'_, PyAny>) -> PyResult<()> {
    if !func.is_callable() {
        return Err(crate::errors::invalid_argument(format!("register_keyloader(`{name}`, ...): the loader is not callable")));
    }
    if name.trim().is_empty() {
        return Err(crate::errors::invalid_argument("register_keyloader: the name is empty"));
    }
    jwtgate_core::register_keyloader(name, Arc::new(PyKeyLoader { func: func.unbind() }));
    Ok(())
}

/// Remove a loader registered under ``name``; True if there was one.
#[pyfunction]
pub fn unregister_keyloader(name: &str) -> bool {
    jwtgate_core::unregister_keyloader(name)
}
