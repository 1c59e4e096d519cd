//! The one error type of jwtgate: a stable [`Reason`] (code + name, shared by
//! every binding) and a human message that says what to change.
//!
//! Messages never contain a secret, key bytes or a whole token; a kid, an
//! algorithm, an issuer, a key name or a line number is fine.

use std::fmt;

/// Why a call failed. Codes are grouped in tens by family and never renumbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Reason {
    Ok = 0,
    InvalidArgument = 1,
    Internal = 2,
    // 10: configuration
    ConfigIo = 10,
    ConfigInvalid = 11,
    // 20: the token itself
    TokenMissing = 20,
    TokenMalformed = 21,
    TokenEncrypted = 22,
    AlgorithmNotAllowed = 23,
    MultipleTokens = 24,
    TokenTooLarge = 25,
    UnsupportedCriticalHeader = 26,
    // 30: keys and signature
    KeyNotFound = 30,
    KeySourceUnavailable = 31,
    SignatureInvalid = 32,
    // 40: claims
    TokenExpired = 40,
    TokenNotYetValid = 41,
    IssuerNotAllowed = 42,
    AudienceNotAllowed = 43,
    ClaimMissing = 44,
    UserClaimMissing = 45,
    // 50: request routing
    EndpointNotEnabled = 50,
}

impl Reason {
    /// Every reason, in code order. Bindings build their tables from this.
    pub const ALL: [Reason; 22] = [
        Reason::Ok,
        Reason::InvalidArgument,
        Reason::Internal,
        Reason::ConfigIo,
        Reason::ConfigInvalid,
        Reason::TokenMissing,
        Reason::TokenMalformed,
        Reason::TokenEncrypted,
        Reason::AlgorithmNotAllowed,
        Reason::MultipleTokens,
        Reason::TokenTooLarge,
        Reason::UnsupportedCriticalHeader,
        Reason::KeyNotFound,
        Reason::KeySourceUnavailable,
        Reason::SignatureInvalid,
        Reason::TokenExpired,
        Reason::TokenNotYetValid,
        Reason::IssuerNotAllowed,
        Reason::AudienceNotAllowed,
        Reason::ClaimMissing,
        Reason::UserClaimMissing,
        Reason::EndpointNotEnabled,
    ];

    pub fn code(self) -> u16 {
        self as u16
    }

    pub fn from_code(code: i64) -> Option<Reason> {
        Reason::ALL.iter().copied().find(|r| i64::from(r.code()) == code)
    }

    pub fn from_name(name: &str) -> Option<Reason> {
        Reason::ALL.iter().copied().find(|r| r.as_str() == name)
    }

    /// The stable snake_case name, identical in every language.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Ok => "ok",
            Reason::InvalidArgument => "invalid_argument",
            Reason::Internal => "internal",
            Reason::ConfigIo => "config_io",
            Reason::ConfigInvalid => "config_invalid",
            Reason::TokenMissing => "token_missing",
            Reason::TokenMalformed => "token_malformed",
            Reason::TokenEncrypted => "token_encrypted",
            Reason::AlgorithmNotAllowed => "algorithm_not_allowed",
            Reason::MultipleTokens => "multiple_tokens",
            Reason::TokenTooLarge => "token_too_large",
            Reason::UnsupportedCriticalHeader => "unsupported_critical_header",
            Reason::KeyNotFound => "key_not_found",
            Reason::KeySourceUnavailable => "key_source_unavailable",
            Reason::SignatureInvalid => "signature_invalid",
            Reason::TokenExpired => "token_expired",
            Reason::TokenNotYetValid => "token_not_yet_valid",
            Reason::IssuerNotAllowed => "issuer_not_allowed",
            Reason::AudienceNotAllowed => "audience_not_allowed",
            Reason::ClaimMissing => "claim_missing",
            Reason::UserClaimMissing => "user_claim_missing",
            Reason::EndpointNotEnabled => "endpoint_not_enabled",
        }
    }

    /// True for configuration failures (the CLI exits 2 for these, 1 for refusals).
    pub fn is_config(self) -> bool {
        matches!(self, Reason::ConfigIo | Reason::ConfigInvalid)
    }

    /// RFC 6750 `error` code a host should send for this refusal.
    fn bearer_error(self) -> Option<&'static str> {
        match self {
            Reason::TokenMissing | Reason::EndpointNotEnabled => None,
            Reason::InvalidArgument | Reason::MultipleTokens => Some("invalid_request"),
            Reason::Internal
            | Reason::ConfigIo
            | Reason::ConfigInvalid
            | Reason::KeySourceUnavailable
            | Reason::Ok => None,
            _ => Some("invalid_token"),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure: a stable reason plus a message for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}: {message}")]
pub struct Error {
    reason: Reason,
    message: String,
}

impl Error {
    pub fn new(reason: Reason, message: impl Into<String>) -> Error {
        Error { reason, message: message.into() }
    }

    pub fn reason(&self) -> Reason {
        self.reason
    }

    pub fn code(&self) -> u16 {
        self.reason.code()
    }

    /// The detail without the leading reason.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The RFC 6750 `WWW-Authenticate` value a host can send with a 401.
    pub fn www_authenticate(&self) -> String {
        match self.reason.bearer_error() {
            None => "Bearer realm=\"jwtgate\"".to_string(),
            Some(err) => format!(
                "Bearer realm=\"jwtgate\", error=\"{err}\", error_description=\"{}\"",
                self.reason.as_str()
            ),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

macro_rules! bail {
    ($reason:ident, $($arg:tt)*) => {
        return Err($crate::error::Error::new($crate::error::Reason::$reason, format!($($arg)*)))
    };
}
pub(crate) use bail;

macro_rules! err {
    ($reason:ident, $($arg:tt)*) => {
        $crate::error::Error::new($crate::error::Reason::$reason, format!($($arg)*))
    };
}
pub(crate) use err;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::from_code(i64::from(r.code())), Some(r));
            assert_eq!(Reason::from_name(r.as_str()), Some(r));
        }
        assert_eq!(Reason::from_code(99), None);
    }

    #[test]
    fn missing_token_challenge_has_no_error_code() {
        let e = Error::new(Reason::TokenMissing, "no token");
        assert_eq!(e.www_authenticate(), "Bearer realm=\"jwtgate\"");
        let e = Error::new(Reason::TokenExpired, "expired");
        assert!(e.www_authenticate().contains("error=\"invalid_token\""));
    }
}
