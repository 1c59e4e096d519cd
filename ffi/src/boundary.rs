//! The panic and error boundary every export goes through: catches unwinds
//! (→ `internal`), turns `Err` into its code, and keeps the thread-local
//! detail that `jwtgate_last_error_message` returns. Also the checked
//! conversions of C arguments (NULL, UTF-8) into Rust values.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};

use jwtgate_core::{Error, Reason};

/// This thread's last failure. Empty strings after a success.
struct LastError {
    message: CString,
    www_authenticate: CString,
}

thread_local! {
    static LAST: RefCell<LastError> = RefCell::new(LastError { message: CString::default(), www_authenticate: CString::default() });
}

/// A C string from text that might hold NUL bytes (a kid or claim echoed
/// in a message): NULs are shown as `\0` rather than cutting the text short.
pub(crate) fn c_string_lossy(s: &str) -> CString {
    CString::new(s.replace('\0', "\\0")).unwrap_or_default()
}

fn record(e: Option<&Error>) {
    LAST.with(|l| {
        let mut l = l.borrow_mut();
        match e {
            None => {
                l.message = CString::default();
                l.www_authenticate = CString::default();
            }
            Some(e) => {
                l.message = c_string_lossy(&e.to_string());
                l.www_authenticate = c_string_lossy(&e.www_authenticate());
            }
        }
    });
}

pub(crate) fn last_message() -> *const c_char {
    LAST.with(|l| l.borrow().message.as_ptr())
}

pub(crate) fn last_www_authenticate() -> *const c_char {
    LAST.with(|l| l.borrow().www_authenticate.as_ptr())
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// Runs the body of a fallible export: `Ok` → 0 and an empty detail, `Err`
/// → its code and detail, a panic → `JWTGATE_INTERNAL`.
pub(crate) fn ffi_boundary(func: &str, body: impl FnOnce() -> Result<(), Error>) -> c_int {
    let err = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            record(None);
            return 0;
        }
        Ok(Err(e)) => e,
        Err(payload) => Error::new(
            Reason::Internal,
            format!("{func} panicked: {}; this is a bug in jwtgate, please report it", panic_text(&*payload)),
        ),
    };
    record(Some(&err));
    c_int::from(err.code())
}

/// For exports that return a value rather than a code (getters): a panic
/// yields `fallback` (NULL, 0 or -1), never an unwind into C.
pub(crate) fn ffi_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

pub(crate) fn invalid(msg: impl Into<String>) -> Error {
    Error::new(Reason::InvalidArgument, msg)
}

/// Checks an out-parameter and clears `*out`, so it is NULL on every failure.
///
/// # Safety
/// `out` is NULL or valid for a pointer write.
pub(crate) unsafe fn clear_out<'a, T>(name: &str, out: *mut *mut T) -> Result<&'a mut *mut T, Error> {
    // SAFETY: the caller guarantees `out` is NULL or writable.
    let out = unsafe { out.as_mut() }.ok_or_else(|| invalid(format!("`{name}` (the out-parameter) is NULL")))?;
    *out = std::ptr::null_mut();
    Ok(out)
}

fn utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes)
        .map_err(|e| invalid(format!("`{name}` is not valid UTF-8 (first bad byte at offset {})", e.valid_up_to())))
}

/// A pointer + length argument that may be empty but not NULL.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes.
pub(crate) unsafe fn bytes_arg<'a>(name: &str, ptr: *const c_char, len: usize) -> Result<&'a [u8], Error> {
    if ptr.is_null() {
        return Err(invalid(format!("`{name}` is NULL")));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// A pointer + length UTF-8 argument.
///
/// # Safety
/// As [`bytes_arg`].
pub(crate) unsafe fn str_arg<'a>(name: &str, ptr: *const c_char, len: usize) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    utf8(name, unsafe { bytes_arg(name, ptr, len) }?)
}

/// A NUL-terminated UTF-8 argument that may be NULL (then `None`).
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
pub(crate) unsafe fn opt_cstr_arg<'a>(name: &str, ptr: *const c_char) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    utf8(name, unsafe { CStr::from_ptr(ptr) }.to_bytes()).map(Some)
}

/// A required NUL-terminated UTF-8 argument.
///
/// # Safety
/// As [`opt_cstr_arg`].
pub(crate) unsafe fn cstr_arg<'a>(name: &str, ptr: *const c_char) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    unsafe { opt_cstr_arg(name, ptr) }?.ok_or_else(|| invalid(format!("`{name}` is NULL")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last() -> String {
        // SAFETY: last_message always points at a live thread-local CString.
        unsafe { CStr::from_ptr(last_message()) }.to_string_lossy().into_owned()
    }

    #[test]
    fn panic_becomes_internal_with_a_message() {
        let code = ffi_boundary("jwtgate_test", || panic!("boom"));
        assert_eq!(code, 2);
        assert!(last().starts_with("internal: jwtgate_test panicked: boom"), "{}", last());
    }

    #[test]
    fn success_clears_the_last_message() {
        ffi_boundary("t", || Err(invalid("bad")));
        assert_eq!(last(), "invalid_argument: bad");
        assert_eq!(ffi_boundary("t", || Ok(())), 0);
        assert_eq!(last(), "");
    }

    #[test]
    fn nul_bytes_in_messages_are_escaped_not_truncated() {
        ffi_boundary("t", || Err(invalid("kid `a\0b` unknown")));
        assert_eq!(last(), "invalid_argument: kid `a\\0b` unknown");
    }

    #[test]
    fn value_exports_fall_back_on_panic() {
        assert_eq!(ffi_value(-1, || panic!("x")), -1);
    }
}
