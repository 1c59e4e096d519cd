//! `jwtgate_identity`: a verified identity, owned by the caller. Every field
//! is converted to a C string once, when the identity is built, so getters
//! return stable pointers into it; the two JSON forms (the whole payload and
//! the whole identity) are serialised on first use only, since most hosts
//! never ask for them and they cost more than the rest together.

use std::ffi::{CString, c_char};
use std::sync::{Arc, OnceLock};

use jwtgate_core::{Error, Identity, Reason};

use crate::boundary::ffi_value;
use crate::handles::Handle;

/// A verified identity. Opaque; immutable, so any thread may read it.
/// Free it exactly once with `jwtgate_identity_free`.
pub struct jwtgate_identity {
    _private: [u8; 0],
}

impl Handle for jwtgate_identity {
    type Value = IdentityData;
    const TAG: u64 = 0x6a77_7467_6964_656e; // "jwtgiden"
}

/// What an identity handle owns: every field already as a C string.
pub(crate) struct IdentityData {
    user: CString,
    email: Option<CString>,
    groups: Vec<CString>,
    realm: CString,
    issuer: Option<CString>,
    subject: Option<CString>,
    audience: Vec<CString>,
    expires_at: Option<i64>,
    issued_at: Option<i64>,
    kid: Option<CString>,
    alg: CString,
    profile: CString,
    unique_id: CString,
    core: Arc<Identity>,
    claims_json: OnceLock<CString>,
    json: OnceLock<CString>,
}

impl IdentityData {
    /// A C string cannot carry a NUL byte: a user `admin\0x` would read as
    /// `admin` in C. Such a token is refused rather than shortened.
    pub(crate) fn from_core(id: Arc<Identity>) -> Result<IdentityData, Error> {
        let c = |field: &str, s: &str| {
            CString::new(s).map_err(|_| {
                Error::new(
                    Reason::TokenMalformed,
                    format!("identity field `{field}` contains a NUL byte, which a C string cannot carry"),
                )
            })
        };
        let opt = |field: &str, s: &Option<String>| s.as_deref().map(|s| c(field, s)).transpose();
        let list = |field: &str, v: &[String]| v.iter().map(|s| c(field, s)).collect::<Result<Vec<_>, _>>();
        Ok(IdentityData {
            user: c("user", &id.user)?,
            email: opt("email", &id.email)?,
            groups: list("groups", &id.groups)?,
            realm: c("realm", &id.realm)?,
            issuer: opt("issuer", &id.issuer)?,
            subject: opt("subject", &id.subject)?,
            audience: list("audience", &id.audience)?,
            expires_at: id.expires_at,
            issued_at: id.issued_at,
            kid: opt("kid", &id.kid)?,
            alg: c("alg", &id.alg)?,
            profile: c("profile", &id.profile)?,
            unique_id: c("unique_id", &id.unique_id)?,
            claims_json: OnceLock::new(),
            json: OnceLock::new(),
            core: id,
        })
    }

    fn claims_json(&self) -> &CString {
        self.claims_json.get_or_init(|| json_c_string(self.core.claims.to_string()))
    }

    fn json(&self) -> &CString {
        self.json.get_or_init(|| json_c_string(serde_json::to_string(&*self.core).unwrap_or_default()))
    }
}

/// serde_json escapes NUL as `\u0000`, so JSON always converts; the fallback
/// is unreachable but keeps the getter total.
fn json_c_string(v: String) -> CString {
    CString::new(v).unwrap_or_default()
}

/// # Safety
/// `id` is NULL or a live handle from this library.
unsafe fn get<'a>(id: *const jwtgate_identity) -> Option<&'a IdentityData> {
    // SAFETY: forwarded contract; the tag check refuses other handle kinds.
    unsafe { jwtgate_identity::get(id) }
}

fn ptr(s: &CString) -> *const c_char {
    s.as_ptr()
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// Reads one string field; NULL for a NULL or foreign `id`, or a panic.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
unsafe fn field(id: *const jwtgate_identity, pick: impl FnOnce(&IdentityData) -> *const c_char) -> *const c_char {
    // SAFETY: forwarded contract.
    ffi_value(std::ptr::null(), || unsafe { get(id) }.map_or(std::ptr::null(), pick))
}

/// The user, from `defclaimparser.user.path` (default `sub`). Never NULL for a live identity.
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_user(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| ptr(&i.user)) }
}

/// The email from `defclaimparser.user.email.path`, or NULL when absent.
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_email(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| opt_ptr(&i.email)) }
}

/// The realm (`defclaimparser.realm.path`, else claim `realmName`, else `iss`; may be "").
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_realm(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| ptr(&i.realm)) }
}

/// The `iss` claim, or NULL when absent.
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_issuer(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| opt_ptr(&i.issuer)) }
}

/// The `sub` claim, or NULL when absent.
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_subject(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| opt_ptr(&i.subject)) }
}

/// The `kid` header, or NULL when absent.
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_kid(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| opt_ptr(&i.kid)) }
}

/// The verified algorithm, e.g. "RS256".
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_alg(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| ptr(&i.alg)) }
}

/// The profile that verified the token: its issuer name, or "default".
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_profile(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| ptr(&i.profile)) }
}

/// The unique id (`defclaimparser.uniqueid.path`, default: the user).
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_unique_id(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| ptr(&i.unique_id)) }
}

/// The whole verified payload as compact JSON.
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_claims_json(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| ptr(i.claims_json())) }
}

/// The whole identity as one JSON object with the field names of DESIGN §4
/// (the object `jwtgate verify` prints).
/// Valid until `jwtgate_identity_free(id)`; do not free it. NULL when `id` is NULL.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_json(id: *const jwtgate_identity) -> *const c_char {
    // SAFETY: forwarded contract.
    unsafe { field(id, |i| ptr(i.json())) }
}

/// The number of groups (0 when none or when `id` is NULL).
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_group_count(id: *const jwtgate_identity) -> usize {
    // SAFETY: forwarded contract.
    ffi_value(0, || unsafe { get(id) }.map_or(0, |i| i.groups.len()))
}

/// Group `index` (0-based), or NULL when `index` is out of range. Valid until
/// `jwtgate_identity_free(id)`; do not free it.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_group(id: *const jwtgate_identity, index: usize) -> *const c_char {
    // SAFETY: forwarded contract.
    ffi_value(std::ptr::null(), || {
        unsafe { get(id) }.and_then(|i| i.groups.get(index)).map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// The number of audiences in `aud` (0 when absent or when `id` is NULL).
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_audience_count(id: *const jwtgate_identity) -> usize {
    // SAFETY: forwarded contract.
    ffi_value(0, || unsafe { get(id) }.map_or(0, |i| i.audience.len()))
}

/// Audience `index` (0-based), or NULL when out of range. Valid until
/// `jwtgate_identity_free(id)`; do not free it.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_audience(id: *const jwtgate_identity, index: usize) -> *const c_char {
    // SAFETY: forwarded contract.
    ffi_value(std::ptr::null(), || {
        unsafe { get(id) }.and_then(|i| i.audience.get(index)).map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// `exp` in Unix seconds, or -1 when the token has none (or `id` is NULL).
/// -1 is unambiguous: jwtgate refuses negative NumericDates.
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_expires_at(id: *const jwtgate_identity) -> i64 {
    // SAFETY: forwarded contract.
    ffi_value(-1, || unsafe { get(id) }.and_then(|i| i.expires_at).unwrap_or(-1))
}

/// `iat` in Unix seconds, or -1 when the token has none (or `id` is NULL).
///
/// # Safety
/// `id` is NULL or a live identity from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_issued_at(id: *const jwtgate_identity) -> i64 {
    // SAFETY: forwarded contract.
    ffi_value(-1, || unsafe { get(id) }.and_then(|i| i.issued_at).unwrap_or(-1))
}

/// Frees an identity and every string obtained from it. NULL is a no-op.
/// Freeing twice is the caller's bug (undefined behaviour).
///
/// Thread safety: must not race any other call on the same identity.
///
/// # Safety
/// `id` is NULL or a live identity from this library, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_identity_free(id: *mut jwtgate_identity) {
    // SAFETY: the caller hands back ownership; foreign handles are ignored.
    ffi_value((), || unsafe { jwtgate_identity::free(id) })
}
