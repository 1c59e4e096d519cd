//! libjwtgate: the C ABI of jwtgate, thin over `jwtgate-core`.
//!
//! Conventions (the same ones `include/jwtgate.h` documents per function):
//!
//! - **Return codes.** Every fallible function returns a reason code
//!   (`JWTGATE_OK` = 0, else one of the `JWTGATE_*` constants). Results come
//!   back through the last parameter, `out`; `*out` is set to NULL first and
//!   written only on success. There are no partial successes.
//! - **Strings in.** Tokens and properties text are pointer + length and must
//!   be UTF-8 (else `JWTGATE_INVALID_ARGUMENT`); paths, endpoints and URLs
//!   are NUL-terminated. Inputs are copied; nothing keeps a caller's pointer
//!   after the call returns.
//! - **Strings out.** Identity getters return pointers into the identity,
//!   valid until `jwtgate_identity_free`. NULL means absent. Only what a doc
//!   says "free with ..." is owned by the caller; Rust never frees C memory
//!   and C never frees Rust memory with `free()`.
//! - **NULL.** A NULL where a value is required is `JWTGATE_INVALID_ARGUMENT`
//!   (getters return NULL / 0 / -1). Every `*_free(NULL)` is a no-op.
//! - **Panics** never cross the boundary: they become `JWTGATE_INTERNAL`.
//! - **Details.** On failure `jwtgate_last_error_message()` gives this
//!   thread's detail (never a secret or a whole token); after a success it
//!   is the empty string.
//! - **Threads.** A gate is thread-safe: verify, authenticate, stats and
//!   reload may run concurrently on one gate. Only `jwtgate_gate_free` must
//!   not race another call on the same gate. Identities are immutable.

#![allow(non_camel_case_types)] // C type names: jwtgate_gate, jwtgate_identity, ...

mod boundary;
pub mod error;
pub mod gate;
mod handles;
pub mod identity;
pub mod keyloader;
mod jni;
