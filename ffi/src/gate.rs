//! `jwtgate_gate_*`: building a gate from properties, verifying tokens and
//! requests, reloading, stats. A gate handle owns a boxed core `Gate`:
//! nothing else shares its ownership (reload swaps state inside the core
//! `Gate`), so a box is the simplest honest owner.

use std::ffi::{CString, c_char, c_int};
use std::sync::Arc;

use jwtgate_core::{Error, Gate, ManualClock, Request};

use crate::boundary::{bytes_arg, clear_out, cstr_arg, ffi_boundary, invalid, opt_cstr_arg, str_arg};
use crate::handles::Handle;
use crate::identity::{IdentityData, jwtgate_identity};

/// A verifier built from one configuration. Opaque and thread-safe: any
/// number of threads may verify on one gate, also while it reloads.
pub struct jwtgate_gate {
    _private: [u8; 0],
}

impl Handle for jwtgate_gate {
    type Value = Gate;
    const TAG: u64 = 0x6a77_7467_6761_7465; // "jwtggate"
}

/// One HTTP request header, as pointer + length pairs (not NUL-terminated).
#[repr(C)]
pub struct jwtgate_header {
    pub name: *const c_char,
    pub name_len: usize,
    pub value: *const c_char,
    pub value_len: usize,
}

fn into_out(gate: Result<Gate, Error>, out: &mut *mut jwtgate_gate) -> Result<(), Error> {
    *out = jwtgate_gate::into_raw(gate?);
    Ok(())
}

/// # Safety
/// `gate` is NULL or a live gate from this library.
unsafe fn gate_ref<'a>(gate: *const jwtgate_gate) -> Result<&'a Gate, Error> {
    if gate.is_null() {
        return Err(invalid("`gate` is NULL"));
    }
    // SAFETY: the caller's contract; the tag check refuses other handle kinds.
    unsafe { jwtgate_gate::get(gate) }.ok_or_else(|| invalid("`gate` is not a jwtgate_gate handle"))
}

fn identity_out(id: Result<std::sync::Arc<jwtgate_core::Identity>, Error>, out: &mut *mut jwtgate_identity) -> Result<(), Error> {
    *out = jwtgate_identity::into_raw(IdentityData::from_core(id?)?);
    Ok(())
}

/// Builds a gate from a `customer_overrides.properties` file. On success
/// `*out` owns a new gate; free it with `jwtgate_gate_free`. On failure
/// `*out` is NULL.
///
/// Errors: `JWTGATE_CONFIG_IO` (missing/unreadable), `JWTGATE_CONFIG_INVALID`
/// (the detail names the key and line), `JWTGATE_INVALID_ARGUMENT`.
/// `jwtgate_gate_reload` re-reads the same file. The path is copied.
/// Thread safety: callable from any thread.
///
/// # Safety
/// `path` is NULL or NUL-terminated; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_from_file(path: *const c_char, out: *mut *mut jwtgate_gate) -> c_int {
    ffi_boundary("jwtgate_gate_from_file", || {
        // SAFETY: forwarded contract.
        let out = unsafe { clear_out("out", out) }?;
        let path = unsafe { cstr_arg("path", path) }?;
        into_out(Gate::from_file(path), out)
    })
}

/// Builds a gate from properties text (`len` bytes, UTF-8, need not be
/// NUL-terminated). Relative key file paths resolve against the current
/// directory. On success `*out` owns a new gate; free it with
/// `jwtgate_gate_free`. The text is copied (reload re-parses the copy).
///
/// Errors: `JWTGATE_CONFIG_INVALID`, `JWTGATE_INVALID_ARGUMENT`.
/// Thread safety: callable from any thread.
///
/// # Safety
/// `text` is NULL or points to `len` readable bytes; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_from_string(text: *const c_char, len: usize, out: *mut *mut jwtgate_gate) -> c_int {
    ffi_boundary("jwtgate_gate_from_string", || {
        // SAFETY: forwarded contract.
        let out = unsafe { clear_out("out", out) }?;
        let text = unsafe { str_arg("text", text, len) }?;
        into_out(Gate::from_properties(text), out)
    })
}

/// Like `jwtgate_gate_from_string`, with the clock fixed at `now` (Unix
/// seconds, >= 0) for the gate's whole life: for tests and for replaying
/// recorded tokens. Never use it to serve live traffic.
///
/// # Safety
/// As `jwtgate_gate_from_string`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_from_string_at(
    text: *const c_char,
    len: usize,
    now: i64,
    out: *mut *mut jwtgate_gate,
) -> c_int {
    ffi_boundary("jwtgate_gate_from_string_at", || {
        // SAFETY: forwarded contract.
        let out = unsafe { clear_out("out", out) }?;
        let text = unsafe { str_arg("text", text, len) }?;
        let now = u64::try_from(now).map_err(|_| invalid(format!("`now` must be >= 0, got {now}")))?;
        into_out(Gate::from_properties_with_clock(text, Arc::new(ManualClock::new(now))), out)
    })
}

/// Re-reads the configuration (the file, for `jwtgate_gate_from_file`
/// gates; the copied text otherwise) and swaps it in. Key sources whose
/// settings did not change keep their caches. On error the gate keeps its
/// current configuration and the code says why.
///
/// Thread safety: may run while other threads verify on this gate; their
/// calls finish on the configuration they started with.
///
/// # Safety
/// `gate` is NULL or a live gate.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_reload(gate: *mut jwtgate_gate) -> c_int {
    ffi_boundary("jwtgate_gate_reload", || {
        // SAFETY: forwarded contract.
        unsafe { gate_ref(gate) }?.reload()
    })
}

/// Frees a gate. NULL is a no-op; freeing twice is the caller's bug.
/// Identities obtained from the gate stay valid (they own their data).
///
/// Thread safety: must not race any other call on this gate.
///
/// # Safety
/// `gate` is NULL or a live gate, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_free(gate: *mut jwtgate_gate) {
    // SAFETY: the caller hands back ownership; foreign handles are ignored.
    crate::boundary::ffi_value((), || unsafe { jwtgate_gate::free(gate) })
}

/// Verifies a compact JWS (`len` bytes, UTF-8). On success `*out` owns a new
/// identity; free it with `jwtgate_identity_free`. On failure `*out` is NULL.
///
/// Without a resource URL, a token carrying `aud` needs `verify.audiences`
/// (use `jwtgate_gate_verify_for_url` for Liberty's URL audience rule).
/// Errors: `token_*`, `algorithm_not_allowed`, `key_*`, `signature_invalid`,
/// claim codes; detail in `jwtgate_last_error_message()`. The token is copied.
/// A string claim holding a NUL byte is refused as `JWTGATE_TOKEN_MALFORMED`
/// because C strings could not carry it unshortened.
///
/// Thread safety: any number of threads may call this on one gate.
///
/// # Safety
/// `gate` is NULL or a live gate; `token` is NULL or points to `len` bytes;
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_verify(
    gate: *const jwtgate_gate,
    token: *const c_char,
    len: usize,
    out: *mut *mut jwtgate_identity,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { jwtgate_gate_verify_for_url(gate, token, len, std::ptr::null(), out) }
}

/// Like `jwtgate_gate_verify`, with the resource URL of the request
/// (NUL-terminated, or NULL) for Liberty's audience rule: with
/// `verify.audiences` unset, an `aud` that is a URL must prefix `url` at a
/// path boundary.
///
/// # Safety
/// As `jwtgate_gate_verify`; `url` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_verify_for_url(
    gate: *const jwtgate_gate,
    token: *const c_char,
    len: usize,
    url: *const c_char,
    out: *mut *mut jwtgate_identity,
) -> c_int {
    ffi_boundary("jwtgate_gate_verify", || {
        // SAFETY: forwarded contract.
        let out = unsafe { clear_out("out", out) }?;
        let gate = unsafe { gate_ref(gate) }?;
        let token = unsafe { str_arg("token", token, len) }?;
        let url = unsafe { opt_cstr_arg("url", url) }?;
        identity_out(gate.verify_shared(token, url), out)
    })
}

/// Authenticates an HTTP request for `endpoint` (the `<endpoint>` of
/// `<endpoint>.servlet.jwt.*`, NUL-terminated): finds its token in the
/// configured header, `Authorization: Bearer`, the configured cookie or the
/// `access_token` form parameter of `body`, then verifies it. On success
/// `*out` owns a new identity; free it with `jwtgate_identity_free`.
///
/// `headers` is an array of `n_headers` entries (NULL allowed when
/// `n_headers` is 0); names match case-insensitively. Header bytes that are
/// not UTF-8 are replaced (U+FFFD) rather than refused: HTTP allows such
/// bytes in unrelated headers, and a token containing them still fails as
/// `token_malformed`. `url` (NUL-terminated, or NULL) is the resource URL for
/// the audience rule. `body` (`body_len` bytes, or NULL) is the raw request
/// body; only an `application/x-www-form-urlencoded` one is read. All inputs
/// are copied.
///
/// Errors: as `jwtgate_gate_verify`, plus `JWTGATE_ENDPOINT_NOT_ENABLED`,
/// `JWTGATE_TOKEN_MISSING`, `JWTGATE_MULTIPLE_TOKENS`. On a refusal,
/// `jwtgate_last_error_www_authenticate()` gives the header value to send.
/// Thread safety: any number of threads may call this on one gate.
///
/// # Safety
/// `gate` is NULL or a live gate; `endpoint` and `url` are NULL or
/// NUL-terminated; `headers` points to `n_headers` entries whose pointers
/// are valid for their lengths; `body` is NULL or points to `body_len`
/// bytes; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_authenticate(
    gate: *const jwtgate_gate,
    endpoint: *const c_char,
    headers: *const jwtgate_header,
    n_headers: usize,
    url: *const c_char,
    body: *const c_char,
    body_len: usize,
    out: *mut *mut jwtgate_identity,
) -> c_int {
    ffi_boundary("jwtgate_gate_authenticate", || {
        // SAFETY (all below): forwarded contract.
        let out = unsafe { clear_out("out", out) }?;
        let gate = unsafe { gate_ref(gate) }?;
        let endpoint = unsafe { cstr_arg("endpoint", endpoint) }?;
        let url = unsafe { opt_cstr_arg("url", url) }?;
        let headers: &[jwtgate_header] = match (headers.is_null(), n_headers) {
            (_, 0) => &[],
            (true, _) => return Err(invalid(format!("`headers` is NULL but `n_headers` is {n_headers}"))),
            (false, n) => unsafe { std::slice::from_raw_parts(headers, n) },
        };
        let mut owned = Vec::with_capacity(headers.len());
        for (i, h) in headers.iter().enumerate() {
            let name = unsafe { bytes_arg(&format!("headers[{i}].name"), h.name, h.name_len) }?;
            let value = unsafe { bytes_arg(&format!("headers[{i}].value"), h.value, h.value_len) }?;
            owned.push((String::from_utf8_lossy(name), String::from_utf8_lossy(value)));
        }
        let pairs: Vec<(&str, &str)> = owned.iter().map(|(n, v)| (n.as_ref(), v.as_ref())).collect();
        let body = if body.is_null() { None } else { Some(unsafe { bytes_arg("body", body, body_len) }?) };
        identity_out(gate.authenticate_shared(endpoint, &Request { headers: &pairs, url, body }), out)
    })
}

/// The gate's key source health as one JSON object (profiles, loaders,
/// keys by kid and algorithm, fetch and failure counts; never key bytes).
/// On success `*out` is a new NUL-terminated string owned by the caller:
/// free it with `jwtgate_string_free` (not `free()`).
///
/// Thread safety: any number of threads may call this on one gate.
///
/// # Safety
/// `gate` is NULL or a live gate; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_stats_json(gate: *const jwtgate_gate, out: *mut *mut c_char) -> c_int {
    ffi_boundary("jwtgate_gate_stats_json", || {
        // SAFETY: forwarded contract.
        let out = unsafe { clear_out("out", out) }?;
        let gate = unsafe { gate_ref(gate) }?;
        let json = serde_json::to_string(&gate.stats())
            .map_err(|e| Error::new(jwtgate_core::Reason::Internal, format!("stats as JSON: {e}")))?;
        // serde_json escapes NUL, so this cannot fail; map it anyway rather than unwrap.
        *out = CString::new(json).map_err(|_| invalid("stats JSON held a NUL byte"))?.into_raw();
        Ok(())
    })
}

/// The configuration's warnings (unknown keys with the closest known key,
/// and the like), one per line as `line N: key: message`; the empty string
/// when there are none. Hosts should log them at startup and after reload.
/// On success `*out` is a new string owned by the caller: free it with
/// `jwtgate_string_free`.
///
/// Thread safety: any number of threads may call this on one gate.
///
/// # Safety
/// `gate` is NULL or a live gate; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_gate_warnings(gate: *const jwtgate_gate, out: *mut *mut c_char) -> c_int {
    ffi_boundary("jwtgate_gate_warnings", || {
        // SAFETY: forwarded contract.
        let out = unsafe { clear_out("out", out) }?;
        let gate = unsafe { gate_ref(gate) }?;
        let text: Vec<String> = gate.warnings().iter().map(ToString::to_string).collect();
        *out = crate::boundary::c_string_lossy(&text.join("\n")).into_raw();
        Ok(())
    })
}

/// Frees a string that a jwtgate function documented as "free with
/// `jwtgate_string_free`". NULL is a no-op.
///
/// # Safety
/// `s` is NULL or such a string, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_string_free(s: *mut c_char) {
    crate::boundary::ffi_value((), || {
        if !s.is_null() {
            // SAFETY: the pointer came from CString::into_raw in this library.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}
