"""The jwtgate exception hierarchy, defined in Python and raised from Rust.

Every refusal is a :class:`JwtError` carrying the stable ``code`` and
``reason`` of DESIGN §4. Catch a family (``InvalidToken``, ``ClaimError``,
...) or one precise reason (``TokenExpired``, ...)::

    try:
        identity = gate.verify(token)
    except jwtgate.TokenExpired:
        ...                      # ask the client to refresh
    except jwtgate.JwtError as e:
        log.info("refused: %s", e.reason)

The native module maps each core reason to one class below (a Rust
``match`` over every reason, so a new reason cannot be forgotten there);
``tests/test_errors.py`` checks this table against ``jwtgate.REASONS``.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

__all__ = [
    "JwtError",
    # families
    "InvalidArgument",
    "InternalError",
    "ConfigError",
    "RequestError",
    "InvalidToken",
    "KeyUnavailable",
    "ClaimError",
    "EndpointError",
    # one class per reason
    "ConfigIo",
    "ConfigInvalid",
    "TokenMissing",
    "MultipleTokens",
    "TokenMalformed",
    "TokenEncrypted",
    "AlgorithmNotAllowed",
    "TokenTooLarge",
    "UnsupportedCriticalHeader",
    "SignatureInvalid",
    "KeyNotFound",
    "KeySourceUnavailable",
    "TokenExpired",
    "TokenNotYetValid",
    "IssuerNotAllowed",
    "AudienceNotAllowed",
    "ClaimMissing",
    "UserClaimMissing",
    "EndpointNotEnabled",
    "CLASS_BY_REASON",
]

_DEFAULT_CHALLENGE = 'Bearer realm="jwtgate"'


class JwtError(Exception):
    """A jwtgate failure: a stable ``code`` and ``reason`` plus a message.

    ``str(e)`` is ``"<reason>: <message>"``. The message says what was wrong
    and what to change; it never contains a secret or a whole token.
    ``www_authenticate`` is the RFC 6750 challenge a server can send with
    its 401 answer, and ``http_status`` the status jwtgate's middleware uses.
    """

    #: Status an HTTP server should answer with (401: the client's token or
    #: request is at fault; families where the server is at fault override it).
    http_status: int = 401

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        www_authenticate: Optional[str] = None,
    ) -> None:
        super().__init__(code, reason, message, www_authenticate)
        self.code = code
        self.reason = reason
        self.message = message
        self.www_authenticate = www_authenticate or _DEFAULT_CHALLENGE

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, reason={self.reason!r}, message={self.message!r})"


# --- families ---------------------------------------------------------------


class InvalidArgument(JwtError):
    """invalid_argument (1): a bad argument, e.g. a call on a closed gate."""

    http_status = 500


class InternalError(JwtError):
    """internal (2): a bug in jwtgate, reported instead of a crash."""

    http_status = 500


class ConfigError(JwtError):
    """Configuration failures (codes 10-19): file unreadable or a bad value."""

    http_status = 500


class RequestError(JwtError):
    """The request carried no token or several different ones (20, 24)."""


class InvalidToken(JwtError):
    """The token itself is unacceptable: structure, algorithm, header, signature."""


class KeyUnavailable(JwtError):
    """No key could be found for the token (codes 30-31)."""


class ClaimError(JwtError):
    """The signature is good but a claim is not acceptable (codes 40-49)."""


class EndpointError(JwtError):
    """The endpoint does not have JWT authentication turned on (code 50)."""


# --- one class per reason ---------------------------------------------------


class ConfigIo(ConfigError):
    """config_io (10): the properties file is missing or unreadable."""


class ConfigInvalid(ConfigError):
    """config_invalid (11): a bad value, unknown loader, bad key material or insecure URI."""


class TokenMissing(RequestError):
    """token_missing (20): the request carried no token."""


class MultipleTokens(RequestError):
    """multiple_tokens (24): two token sources carried different tokens."""


class TokenMalformed(InvalidToken):
    """token_malformed (21): not a compact JWS, bad base64url or JSON, wrong claim types."""


class TokenEncrypted(InvalidToken):
    """token_encrypted (22): a JWE; jwtgate verifies signed tokens only."""


class AlgorithmNotAllowed(InvalidToken):
    """algorithm_not_allowed (23): ``none``, outside the allow-list, or not the key's type."""


class TokenTooLarge(InvalidToken):
    """token_too_large (25): over the size limit."""


class UnsupportedCriticalHeader(InvalidToken):
    """unsupported_critical_header (26): ``crit`` or ``b64`` in the header."""


class SignatureInvalid(InvalidToken):
    """signature_invalid (32): the signature does not match the key."""


class KeyNotFound(KeyUnavailable):
    """key_not_found (30): no key for this kid or issuer, even after a refetch."""


class KeySourceUnavailable(KeyUnavailable):
    """key_source_unavailable (31): the key source fails and no cached keys are usable.

    The server, not the client, is at fault, so middleware answers 503.
    """

    http_status = 503


class TokenExpired(ClaimError):
    """token_expired (40)."""


class TokenNotYetValid(ClaimError):
    """token_not_yet_valid (41): ``nbf`` or ``iat`` in the future beyond the skew."""


class IssuerNotAllowed(ClaimError):
    """issuer_not_allowed (42)."""


class AudienceNotAllowed(ClaimError):
    """audience_not_allowed (43)."""


class ClaimMissing(ClaimError):
    """claim_missing (44): a required claim is absent."""


class UserClaimMissing(ClaimError):
    """user_claim_missing (45): the configured user path is absent or not a string."""


class EndpointNotEnabled(EndpointError):
    """endpoint_not_enabled (50): JWT auth is off or the endpoint is unknown."""


#: The class raised for each reason name (every reason except ``ok``).
CLASS_BY_REASON: Dict[str, Type[JwtError]] = {
    "invalid_argument": InvalidArgument,
    "internal": InternalError,
    "config_io": ConfigIo,
    "config_invalid": ConfigInvalid,
    "token_missing": TokenMissing,
    "token_malformed": TokenMalformed,
    "token_encrypted": TokenEncrypted,
    "algorithm_not_allowed": AlgorithmNotAllowed,
    "multiple_tokens": MultipleTokens,
    "token_too_large": TokenTooLarge,
    "unsupported_critical_header": UnsupportedCriticalHeader,
    "key_not_found": KeyNotFound,
    "key_source_unavailable": KeySourceUnavailable,
    "signature_invalid": SignatureInvalid,
    "token_expired": TokenExpired,
    "token_not_yet_valid": TokenNotYetValid,
    "issuer_not_allowed": IssuerNotAllowed,
    "audience_not_allowed": AudienceNotAllowed,
    "claim_missing": ClaimMissing,
    "user_claim_missing": UserClaimMissing,
    "endpoint_not_enabled": EndpointNotEnabled,
}
