//! Core `Error` → the Python exception of `jwtgate._errors`: the only mapping.
//!
//! The classes are defined in Python (so users can subclass, pickle and read
//! them like any Python exception) and imported here, as pyca/cryptography
//! does. The `match` lists every reason, so a reason added to the core does
//! not compile until it has a class.

use jwtgate_core::{Error, Reason};
use pyo3::PyErr;

pyo3::import_exception!(jwtgate._errors, JwtError);
pyo3::import_exception!(jwtgate._errors, InvalidArgument);
pyo3::import_exception!(jwtgate._errors, InternalError);
pyo3::import_exception!(jwtgate._errors, ConfigIo);
pyo3::import_exception!(jwtgate._errors, ConfigInvalid);
pyo3::import_exception!(jwtgate._errors, TokenMissing);
pyo3::import_exception!(jwtgate._errors, TokenMalformed);
pyo3::import_exception!(jwtgate._errors, TokenEncrypted);
pyo3::import_exception!(jwtgate._errors, AlgorithmNotAllowed);
pyo3::import_exception!(jwtgate._errors, MultipleTokens);
pyo3::import_exception!(jwtgate._errors, TokenTooLarge);
pyo3::import_exception!(jwtgate._errors, UnsupportedCriticalHeader);
pyo3::import_exception!(jwtgate._errors, KeyNotFound);
pyo3::import_exception!(jwtgate._errors, KeySourceUnavailable);
pyo3::import_exception!(jwtgate._errors, SignatureInvalid);
pyo3::import_exception!(jwtgate._errors, TokenExpired);
pyo3::import_exception!(jwtgate._errors, TokenNotYetValid);
pyo3::import_exception!(jwtgate._errors, IssuerNotAllowed);
pyo3::import_exception!(jwtgate._errors, AudienceNotAllowed);
pyo3::import_exception!(jwtgate._errors, ClaimMissing);
pyo3::import_exception!(jwtgate._errors, UserClaimMissing);
pyo3::import_exception!(jwtgate._errors, EndpointNotEnabled);

/// Builds the exception for a core error: `(code, reason, message,
/// www_authenticate)` are the constructor arguments of `JwtError`.
pub fn to_py_err(e: Error) -> PyErr {
    let args = (e.code(), e.reason().as_str(), e.message().to_string(), e.www_authenticate());
    match e.reason() {
        // `ok` is never an error; if the core ever produced one, report it as
        // a bug rather than raise a class that says "ok".
        Reason::Ok => InternalError::new_err((2u16, "internal", format!("an error with reason `ok`: {}", args.2), args.3)),
        Reason::InvalidArgument => InvalidArgument::new_err(args),
        Reason::Internal => InternalError::new_err(args),
        Reason::ConfigIo => ConfigIo::new_err(args),
        Reason::ConfigInvalid => ConfigInvalid::new_err(args),
        Reason::TokenMissing => TokenMissing::new_err(args),
        Reason::TokenMalformed => TokenMalformed::new_err(args),
        Reason::TokenEncrypted => TokenEncrypted::new_err(args),
        Reason::AlgorithmNotAllowed => AlgorithmNotAllowed::new_err(args),
        Reason::MultipleTokens => MultipleTokens::new_err(args),
        Reason::TokenTooLarge => TokenTooLarge::new_err(args),
        Reason::UnsupportedCriticalHeader => UnsupportedCriticalHeader::new_err(args),
        Reason::KeyNotFound => KeyNotFound::new_err(args),
        Reason::KeySourceUnavailable => KeySourceUnavailable::new_err(args),
        Reason::SignatureInvalid => SignatureInvalid::new_err(args),
        Reason::TokenExpired => TokenExpired::new_err(args),
        Reason::TokenNotYetValid => TokenNotYetValid::new_err(args),
        Reason::IssuerNotAllowed => IssuerNotAllowed::new_err(args),
        Reason::AudienceNotAllowed => AudienceNotAllowed::new_err(args),
        Reason::ClaimMissing => ClaimMissing::new_err(args),
        Reason::UserClaimMissing => UserClaimMissing::new_err(args),
        Reason::EndpointNotEnabled => EndpointNotEnabled::new_err(args),
    }
}

/// `invalid_argument` with a message, for misuse detected by the binding.
pub fn invalid_argument(message: impl Into<String>) -> PyErr {
    to_py_err(Error::new(Reason::InvalidArgument, message))
}
