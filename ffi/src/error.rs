//! Reason codes as C constants, their names, and this thread's last error.
//! The constants mirror `jwtgate_core::Reason` (a unit test checks every one
//! against `Reason::ALL`); names always come from the core table.

use std::ffi::{CStr, CString, c_char, c_int};
use std::sync::OnceLock;

use jwtgate_core::Reason;

use crate::boundary::{ffi_value, last_message, last_www_authenticate};

/// Success.
pub const JWTGATE_OK: c_int = 0;
/// A NULL pointer, bad UTF-8 or a bad handle was passed.
pub const JWTGATE_INVALID_ARGUMENT: c_int = 1;
/// A bug or a caught panic inside jwtgate.
pub const JWTGATE_INTERNAL: c_int = 2;
/// The properties file is missing or unreadable.
pub const JWTGATE_CONFIG_IO: c_int = 10;
/// A bad configuration value, unknown loader, bad key material or insecure URI.
pub const JWTGATE_CONFIG_INVALID: c_int = 11;
/// The request carried no token.
pub const JWTGATE_TOKEN_MISSING: c_int = 20;
/// Not a well-formed compact JWS (parts, base64url, JSON, claim types).
pub const JWTGATE_TOKEN_MALFORMED: c_int = 21;
/// A JWE (five parts): not supported.
pub const JWTGATE_TOKEN_ENCRYPTED: c_int = 22;
/// `none`, not in the allow-list, or not the key's type.
pub const JWTGATE_ALGORITHM_NOT_ALLOWED: c_int = 23;
/// Two token sources carried different tokens.
pub const JWTGATE_MULTIPLE_TOKENS: c_int = 24;
/// Over the size limit.
pub const JWTGATE_TOKEN_TOO_LARGE: c_int = 25;
/// `crit` names an extension jwtgate does not implement.
pub const JWTGATE_UNSUPPORTED_CRITICAL_HEADER: c_int = 26;
/// No key for this kid / issuer, even after a refetch.
pub const JWTGATE_KEY_NOT_FOUND: c_int = 30;
/// The key source is failing and no usable cached keys exist.
pub const JWTGATE_KEY_SOURCE_UNAVAILABLE: c_int = 31;
/// The signature does not verify.
pub const JWTGATE_SIGNATURE_INVALID: c_int = 32;
/// `exp` has passed (beyond the clock skew).
pub const JWTGATE_TOKEN_EXPIRED: c_int = 40;
/// `nbf` (or `iat`) is in the future beyond the skew.
pub const JWTGATE_TOKEN_NOT_YET_VALID: c_int = 41;
/// The issuer is not accepted here.
pub const JWTGATE_ISSUER_NOT_ALLOWED: c_int = 42;
/// The audience is not accepted here.
pub const JWTGATE_AUDIENCE_NOT_ALLOWED: c_int = 43;
/// A required claim is absent.
pub const JWTGATE_CLAIM_MISSING: c_int = 44;
/// The configured user path is absent or not a string.
pub const JWTGATE_USER_CLAIM_MISSING: c_int = 45;
/// The endpoint has JWT authentication off, or is unknown.
pub const JWTGATE_ENDPOINT_NOT_ENABLED: c_int = 50;

/// NUL-terminated copies of `Reason::as_str`, built once from the core table.
fn reason_names() -> &'static [(c_int, CString)] {
    static NAMES: OnceLock<Vec<(c_int, CString)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        Reason::ALL.iter().map(|r| (c_int::from(r.code()), CString::new(r.as_str()).expect("reason names have no NUL"))).collect()
    })
}

/// The stable name of a reason code, e.g. `"token_expired"` for 40.
///
/// Returns a static string (never free it); `"unknown"` for codes jwtgate
/// does not define. Thread safety: callable from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn jwtgate_error_reason(code: c_int) -> *const c_char {
    ffi_value(c"unknown".as_ptr(), || {
        reason_names().iter().find(|(c, _)| *c == code).map_or(c"unknown".as_ptr(), |(_, n)| n.as_ptr())
    })
}

/// This thread's last failure detail, as `"reason: message"`; the empty
/// string after a successful call.
///
/// The message says what was wrong and what to change; it never holds a
/// secret or a whole token. The pointer stays valid until the next jwtgate
/// call on the same thread; copy it if you need it longer. Never free it.
/// Thread safety: each thread has its own.
#[unsafe(no_mangle)]
pub extern "C" fn jwtgate_last_error_message() -> *const c_char {
    ffi_value(c"".as_ptr(), last_message)
}

/// The RFC 6750 `WWW-Authenticate` value a host can send with its 401 for
/// this thread's last failure (e.g. `Bearer realm="jwtgate", error="invalid_token", ...`);
/// the empty string after a successful call.
///
/// Same lifetime and ownership as `jwtgate_last_error_message`.
#[unsafe(no_mangle)]
pub extern "C" fn jwtgate_last_error_www_authenticate() -> *const c_char {
    ffi_value(c"".as_ptr(), last_www_authenticate)
}

/// The library version, e.g. `"0.1.0"`: compare with `JWTGATE_VERSION` to
/// catch a header / library mismatch. Static; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn jwtgate_version() -> *const c_char {
    const V: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("version has no interior NUL"),
    };
    V.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every constant, in code order, with the name it must carry.
    const CONSTANTS: [(c_int, &str); 22] = [
        (JWTGATE_OK, "ok"),
        (JWTGATE_INVALID_ARGUMENT, "invalid_argument"),
        (JWTGATE_INTERNAL, "internal"),
        (JWTGATE_CONFIG_IO, "config_io"),
        (JWTGATE_CONFIG_INVALID, "config_invalid"),
        (JWTGATE_TOKEN_MISSING, "token_missing"),
        (JWTGATE_TOKEN_MALFORMED, "token_malformed"),
        (JWTGATE_TOKEN_ENCRYPTED, "token_encrypted"),
        (JWTGATE_ALGORITHM_NOT_ALLOWED, "algorithm_not_allowed"),
        (JWTGATE_MULTIPLE_TOKENS, "multiple_tokens"),
        (JWTGATE_TOKEN_TOO_LARGE, "token_too_large"),
        (JWTGATE_UNSUPPORTED_CRITICAL_HEADER, "unsupported_critical_header"),
        (JWTGATE_KEY_NOT_FOUND, "key_not_found"),
        (JWTGATE_KEY_SOURCE_UNAVAILABLE, "key_source_unavailable"),
        (JWTGATE_SIGNATURE_INVALID, "signature_invalid"),
        (JWTGATE_TOKEN_EXPIRED, "token_expired"),
        (JWTGATE_TOKEN_NOT_YET_VALID, "token_not_yet_valid"),
        (JWTGATE_ISSUER_NOT_ALLOWED, "issuer_not_allowed"),
        (JWTGATE_AUDIENCE_NOT_ALLOWED, "audience_not_allowed"),
        (JWTGATE_CLAIM_MISSING, "claim_missing"),
        (JWTGATE_USER_CLAIM_MISSING, "user_claim_missing"),
        (JWTGATE_ENDPOINT_NOT_ENABLED, "endpoint_not_enabled"),
    ];

    #[test]
    fn constants_match_the_core_reason_table() {
        assert_eq!(CONSTANTS.len(), Reason::ALL.len(), "a reason was added to the core: add its JWTGATE_ constant");
        for ((code, name), r) in CONSTANTS.iter().zip(Reason::ALL) {
            assert_eq!((*code, *name), (c_int::from(r.code()), r.as_str()));
        }
    }

    #[test]
    fn every_code_has_its_name_and_others_are_unknown() {
        let name = |c| unsafe { CStr::from_ptr(jwtgate_error_reason(c)) }.to_str().unwrap();
        for r in Reason::ALL {
            assert_eq!(name(c_int::from(r.code())), r.as_str());
        }
        for c in [-1, 3, 27, 99, c_int::MAX] {
            assert_eq!(name(c), "unknown");
        }
    }

    #[test]
    fn version_matches_the_crate() {
        let v = unsafe { CStr::from_ptr(jwtgate_version()) }.to_str().unwrap();
        assert_eq!(v, env!("CARGO_PKG_VERSION"));
    }
}
