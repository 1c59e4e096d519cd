//! Runs core work with the GIL released and turns a panic into an
//! `InternalError` (code 2) instead of pyo3's `PanicException`, a
//! `BaseException` that `except JwtError` (and most servers) would not catch.

use std::panic::{AssertUnwindSafe, catch_unwind};

use jwtgate_core::{Error, Reason};
use pyo3::prelude::*;

use crate::errors::to_py_err;

/// `py.detach(f)` plus the panic guard. Nothing Python-owned goes into `f`.
pub fn detached<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> Result<T, Error> + Send,
    T: Send,
{
    py.detach(move || catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(panic_error(p.as_ref()))))
        .map_err(to_py_err)
}

fn panic_error(payload: &(dyn std::any::Any + Send)) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    Error::new(Reason::Internal, format!("jwtgate bug (please report): {}", what.chars().take(200).collect::<String>()))
}
