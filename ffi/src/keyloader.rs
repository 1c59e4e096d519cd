//! Custom key loaders written in C: a callback plus userdata, registered
//! under a name that `verify.keyloader` can then use. The callback hands key
//! material back through a sink that copies it, so C and Rust never free
//! each other's memory.

use std::ffi::{CString, c_char, c_int, c_void};
use std::sync::Arc;

use jwtgate_core::{KeyLoader, KeyRequest};

use crate::boundary::{cstr_arg, ffi_boundary, invalid};
use crate::handles::Handle;

/// Key material beyond this is refused: no real key set is this large, and
/// a runaway callback must not exhaust the host's memory.
const MAX_KEY_MATERIAL: usize = 1 << 20;

/// Where a key loader callback puts key material. Opaque; valid only during
/// the callback that received it, and only on that thread.
pub struct jwtgate_key_sink {
    _private: [u8; 0],
}

impl Handle for jwtgate_key_sink {
    type Value = Sink;
    const TAG: u64 = 0x6a77_7467_7369_6e6b; // "jwtgsink"
}

#[derive(Default)]
pub(crate) struct Sink {
    buf: Vec<u8>,
    overflow: bool,
}

/// A key loader callback. Asked for the key of a token with header `kid`
/// (NULL when absent), algorithm `alg` (e.g. "RS256") and unverified payload
/// issuer `issuer` (NULL when absent), it calls `jwtgate_key_sink_put(sink, ...)`
/// with PEM, DER, base64, a JWK, a JWKS, or (only when nothing else parses)
/// an HMAC secret of at least 32 bytes, and returns 0. Putting nothing and
/// returning 0 means "no key for this kid" (`key_not_found`). A non-zero
/// return means the source failed: the token is refused with
/// `key_source_unavailable` and the return value appears in the detail.
///
/// The callback must be safe to call on any thread, concurrently (several
/// verify calls may miss the cache at once). The strings it gets are valid
/// only during the call: copy them, never keep the pointers. It must return
/// normally (no longjmp, no C++ exception). It runs on the verify call that
/// needed the key and delays only that call; answers are cached per kid for
/// `verify.keyloader.cache.ttl` seconds, and a "no key" answer for
/// `verify.keyloader.refresh.cooldown` seconds.
pub type jwtgate_keyloader_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        kid: *const c_char,
        alg: *const c_char,
        issuer: *const c_char,
        sink: *mut jwtgate_key_sink,
    ) -> c_int,
>;

type Callback = unsafe extern "C" fn(*mut c_void, *const c_char, *const c_char, *const c_char, *mut jwtgate_key_sink) -> c_int;

struct CLoader {
    callback: Callback,
    userdata: *mut c_void,
}

// SAFETY: jwtgate_register_keyloader's contract makes the host promise that
// the callback and its userdata may be used from any thread, concurrently.
unsafe impl Send for CLoader {}
unsafe impl Sync for CLoader {}

fn c_field(field: &str, s: Option<&str>) -> Result<Option<CString>, String> {
    s.map(|s| CString::new(s).map_err(|_| format!("the token's {field} contains a NUL byte; a C loader cannot be asked for it")))
        .transpose()
}

impl KeyLoader for CLoader {
    fn load(&self, req: &KeyRequest<'_>) -> Result<Vec<u8>, String> {
        let kid = c_field("kid", req.kid)?;
        let alg = c_field("alg", Some(req.alg))?.unwrap_or_default();
        let issuer = c_field("issuer", req.issuer)?;
        let mut sink = jwtgate_key_sink::on_stack(Sink::default());
        let as_ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
        // SAFETY: the pointers live until the call returns; the host promised
        // the callback is sound for any thread.
        let sink_ptr = jwtgate_key_sink::as_ptr(&mut sink);
        let rc = unsafe { (self.callback)(self.userdata, as_ptr(&kid), alg.as_ptr(), as_ptr(&issuer), sink_ptr) };
        let sink = sink.value;
        if rc != 0 {
            return Err(format!("the C callback returned {rc}"));
        }
        if sink.overflow {
            return Err(format!("the C callback put more than {MAX_KEY_MATERIAL} bytes of key material"));
        }
        Ok(sink.buf)
    }
}

const BUILT_IN: [&str; 6] = ["properties", "httpsjwks", "httpsjwk", "httpsbase64", "sharedkey", "file"];

/// Registers (or replaces) a key loader under `name`, for use as
/// `yfs.yfs.jwt[.<issuer>].verify.keyloader=<name>` in gates built
/// afterwards. Gates already built keep the loader they resolved.
///
/// Ownership: `name` is copied. `userdata` stays the caller's; jwtgate
/// passes it to every callback call and never frees it, so it must stay
/// valid as long as any gate built with this loader is alive.
/// Errors: `JWTGATE_INVALID_ARGUMENT` for a NULL callback, a NULL, empty or
/// non-UTF-8 name, or the name of a built-in loader.
/// Thread safety: callable from any thread; see `jwtgate_keyloader_callback`
/// for what the callback itself must allow.
///
/// # Safety
/// `name` is NULL or NUL-terminated; `callback` and `userdata` meet the
/// contract of `jwtgate_keyloader_callback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_register_keyloader(
    name: *const c_char,
    callback: jwtgate_keyloader_callback,
    userdata: *mut c_void,
) -> c_int {
    ffi_boundary("jwtgate_register_keyloader", || {
        // SAFETY: forwarded contract.
        let name = unsafe { cstr_arg("name", name) }?.trim();
        let callback = callback.ok_or_else(|| invalid("`callback` is NULL"))?;
        if name.is_empty() {
            return Err(invalid("`name` is empty"));
        }
        if BUILT_IN.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(invalid(format!("`{name}` is a built-in key loader; pick another name")));
        }
        jwtgate_core::register_keyloader(name, Arc::new(CLoader { callback, userdata }));
        Ok(())
    })
}

/// Removes the loader registered under `name`. Gates built earlier keep
/// using it (and its userdata) until they are freed. Returns 0, or
/// `JWTGATE_INVALID_ARGUMENT` when no loader has that name.
///
/// # Safety
/// `name` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_unregister_keyloader(name: *const c_char) -> c_int {
    ffi_boundary("jwtgate_unregister_keyloader", || {
        // SAFETY: forwarded contract.
        let name = unsafe { cstr_arg("name", name) }?.trim();
        if jwtgate_core::unregister_keyloader(name) { Ok(()) } else { Err(invalid(format!("no key loader named `{name}`"))) }
    })
}

/// Appends `len` bytes of key material to `sink` (copied; the caller keeps
/// `data`). Call it from inside a key loader callback, any number of times.
/// Returns 0, or `JWTGATE_INVALID_ARGUMENT` for a NULL sink, NULL data with
/// a non-zero length, or more than 1 MiB in total (the load then fails).
/// Using a sink after its callback returned is undefined behaviour.
///
/// # Safety
/// `sink` is the pointer the current callback received; `data` is NULL or
/// points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtgate_key_sink_put(sink: *mut jwtgate_key_sink, data: *const u8, len: usize) -> c_int {
    ffi_boundary("jwtgate_key_sink_put", || {
        // SAFETY: the caller passes the live sink of its callback.
        let sink = unsafe { jwtgate_key_sink::get_mut(sink) }
            .ok_or_else(|| invalid("`sink` is NULL or not a jwtgate_key_sink (use the one the callback got)"))?;
        let data: &[u8] = match (data.is_null(), len) {
            (_, 0) => &[],
            (true, _) => return Err(invalid(format!("`data` is NULL but `len` is {len}"))),
            // SAFETY: non-NULL with `len` readable bytes per the contract.
            (false, _) => unsafe { std::slice::from_raw_parts(data, len) },
        };
        if sink.buf.len() + data.len() > MAX_KEY_MATERIAL {
            sink.overflow = true;
            return Err(invalid(format!("key material over {MAX_KEY_MATERIAL} bytes")));
        }
        sink.buf.extend_from_slice(data);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn flood(_: *mut c_void, _: *const c_char, _: *const c_char, _: *const c_char, sink: *mut jwtgate_key_sink) -> c_int {
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..20 {
            // SAFETY: the sink this callback received, during the callback.
            if unsafe { jwtgate_key_sink_put(sink, chunk.as_ptr(), chunk.len()) } != 0 {
                // A careless callback ignores the failure and returns 0 anyway.
                return 0;
            }
        }
        0
    }

    unsafe extern "C" fn echo(userdata: *mut c_void, kid: *const c_char, alg: *const c_char, issuer: *const c_char, sink: *mut jwtgate_key_sink) -> c_int {
        // No assert here: a panic cannot unwind out of an extern "C" fn.
        if !kid.is_null() || issuer.is_null() || userdata as usize != 42 {
            return 9;
        }
        // SAFETY: alg is a NUL-terminated string valid during the call.
        let alg = unsafe { std::ffi::CStr::from_ptr(alg) }.to_bytes();
        unsafe { jwtgate_key_sink_put(sink, alg.as_ptr(), alg.len()) }
    }

    #[test]
    fn oversized_key_material_fails_even_if_the_callback_returns_zero() {
        let loader = CLoader { callback: flood, userdata: std::ptr::null_mut() };
        let err = loader.load(&KeyRequest { kid: Some("k"), alg: "RS256", issuer: None }).unwrap_err();
        assert!(err.contains("more than 1048576 bytes"), "{err}");
    }

    #[test]
    fn the_callback_gets_userdata_and_header_facts_and_its_bytes_come_back() {
        let loader = CLoader { callback: echo, userdata: 42 as *mut c_void };
        let got = loader.load(&KeyRequest { kid: None, alg: "ES256", issuer: Some("https://i") }).unwrap();
        assert_eq!(got, b"ES256");
    }

    #[test]
    fn a_kid_with_a_nul_byte_is_not_passed_to_c() {
        let loader = CLoader { callback: echo, userdata: 42 as *mut c_void };
        let err = loader.load(&KeyRequest { kid: Some("a\0b"), alg: "RS256", issuer: None }).unwrap_err();
        assert!(err.contains("NUL"), "{err}");
    }
}
