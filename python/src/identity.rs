//! `Identity`: the verified identity, immutable, with one attribute per
//! field of DESIGN §4. `claims` is converted to a dict on first access only,
//! because most callers read the user and groups and never the claims.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::{PyTraverseError, PyVisit};

use crate::json::to_py;

/// Who a verified token speaks for. Attributes are read-only.
#[pyclass(frozen, weakref, module = "jwtgate._jwtgate")]
pub struct Identity {
    inner: std::sync::Arc<jwtgate_core::Identity>,
    // A plain OnceLock filled with `set` (never `get_or_init`, which would
    // block a second thread while it holds the GIL): `__traverse__` must
    // reach the dict without a `Python` token.
    claims: OnceLock<Py<PyAny>>,
}

impl Identity {
    pub fn new(inner: std::sync::Arc<jwtgate_core::Identity>) -> Identity {
        Identity { inner, claims: OnceLock::new() }
    }
}

#[pymethods]
impl Identity {
    /// The user name, from `defclaimparser.user.path` (default `sub`).
    #[getter]
    fn user(&self) -> &str {
        &self.inner.user
    }

    /// The e-mail address, from `defclaimparser.user.email.path`; None when absent.
    #[getter]
    fn email(&self) -> Option<&str> {
        self.inner.email.as_deref()
    }

    /// Group names (from `defclaimparser.groups.path`, default `groups`).
    #[getter]
    fn groups(&self) -> Vec<String> {
        self.inner.groups.clone()
    }

    /// The realm: `defclaimparser.realm.path`, else the `realmName` claim, else `iss`.
    #[getter]
    fn realm(&self) -> &str {
        &self.inner.realm
    }

    /// The `iss` claim, None when absent.
    #[getter]
    fn issuer(&self) -> Option<&str> {
        self.inner.issuer.as_deref()
    }

    /// The `sub` claim, None when absent.
    #[getter]
    fn subject(&self) -> Option<&str> {
        self.inner.subject.as_deref()
    }

    /// The `aud` claim as a list (empty when absent).
    #[getter]
    fn audience(&self) -> Vec<String> {
        self.inner.audience.clone()
    }

    /// `exp` in Unix seconds, None when absent.
    #[getter]
    fn expires_at(&self) -> Option<i64> {
        self.inner.expires_at
    }

    /// `iat` in Unix seconds, None when absent.
    #[getter]
    fn issued_at(&self) -> Option<i64> {
        self.inner.issued_at
    }

    /// The `kid` of the token header, None when absent.
    #[getter]
    fn kid(&self) -> Option<&str> {
        self.inner.kid.as_deref()
    }

    /// The signature algorithm, e.g. `RS256`.
    #[getter]
    fn alg(&self) -> &str {
        &self.inner.alg
    }

    /// The profile that verified the token: its issuer name or `default`.
    #[getter]
    fn profile(&self) -> &str {
        &self.inner.profile
    }

    /// The unique id (`defclaimparser.uniqueid.path`, default: the user).
    #[getter]
    fn unique_id(&self) -> &str {
        &self.inner.unique_id
    }

    /// The whole verified payload as a dict (built once, on first access;
    /// the same dict is returned afterwards, so treat it as read-only).
    #[getter]
    fn claims(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if let Some(d) = self.claims.get() {
            return Ok(d.clone_ref(py));
        }
        let built = to_py(py, &self.inner.claims)?.unbind();
        // Two threads may race to build it; the first stored dict wins.
        let _ = self.claims.set(built);
        Ok(self.claims.get().expect("set above").clone_ref(py))
    }

    /// Every field as a plain dict (the CLI's JSON shape), claims included.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let i = &self.inner;
        d.set_item("user", &i.user)?;
        d.set_item("email", &i.email)?;
        d.set_item("groups", &i.groups)?;
        d.set_item("realm", &i.realm)?;
        d.set_item("issuer", &i.issuer)?;
        d.set_item("subject", &i.subject)?;
        d.set_item("audience", &i.audience)?;
        d.set_item("expires_at", i.expires_at)?;
        d.set_item("issued_at", i.issued_at)?;
        d.set_item("kid", &i.kid)?;
        d.set_item("alg", &i.alg)?;
        d.set_item("profile", &i.profile)?;
        d.set_item("unique_id", &i.unique_id)?;
        d.set_item("claims", self.claims(py)?)?;
        Ok(d)
    }

    // The claims dict is mutable, so user code can make it point back at
    // this identity; letting the GC see the edge lets it free such cycles.
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        if let Some(d) = self.claims.get() {
            visit.call(d)?;
        }
        Ok(())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Identity>().is_ok_and(|o| o.get().inner == self.inner)
    }

    /// Never the token or the claims: only who and by which key.
    fn __repr__(&self) -> String {
        // Python-style literals: 'text' or None.
        fn opt(v: &Option<String>) -> String {
            v.as_deref().map_or_else(|| "None".to_string(), |s| format!("{s:?}"))
        }
        let i = &self.inner;
        format!(
            "Identity(user={:?}, email={}, groups={:?}, realm={:?}, profile={:?}, alg={:?}, kid={})",
            i.user,
            opt(&i.email),
            i.groups,
            i.realm,
            i.profile,
            i.alg,
            opt(&i.kid)
        )
    }
}
