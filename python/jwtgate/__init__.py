"""jwtgate: verify JWTs for existing Python servers.

Configured from the ``yfs.yfs.jwt.*`` keys of a ``customer_overrides.properties``
file, jwtgate turns a token (or a whole request) into a verified
:class:`Identity`, or raises one precise :class:`JwtError`::

    import jwtgate

    gate = jwtgate.Gate.from_file("customer_overrides.properties")
    try:
        who = gate.verify(token)
        print(who.user, who.email, who.groups)
    except jwtgate.JwtError as e:
        print(e.code, e.reason, e)

The GIL is released while a token is verified, so threads scale. Warnings
(configuration, key sources) go to the ``logging`` logger ``"jwtgate"``.
WSGI and ASGI middleware live in :mod:`jwtgate.wsgi` and :mod:`jwtgate.asgi`.
"""

# _errors first: the native module raises the classes it defines.
from jwtgate._errors import (
    CLASS_BY_REASON,
    AlgorithmNotAllowed,
    AudienceNotAllowed,
    ClaimError,
    ClaimMissing,
    ConfigError,
    ConfigInvalid,
    ConfigIo,
    EndpointError,
    EndpointNotEnabled,
    InternalError,
    InvalidArgument,
    InvalidToken,
    IssuerNotAllowed,
    JwtError,
    KeyNotFound,
    KeySourceUnavailable,
    KeyUnavailable,
    MultipleTokens,
    RequestError,
    SignatureInvalid,
    TokenEncrypted,
    TokenExpired,
    TokenMalformed,
    TokenMissing,
    TokenNotYetValid,
    TokenTooLarge,
    UnsupportedCriticalHeader,
    UserClaimMissing,
)
from jwtgate._jwtgate import (
    REASONS,
    Gate,
    Identity,
    __version__,
    register_keyloader,
    unregister_keyloader,
)

__all__ = [
    "Gate",
    "Identity",
    "register_keyloader",
    "unregister_keyloader",
    "REASONS",
    "CLASS_BY_REASON",
    "__version__",
    "JwtError",
    "InvalidArgument",
    "InternalError",
    "ConfigError",
    "RequestError",
    "InvalidToken",
    "KeyUnavailable",
    "ClaimError",
    "EndpointError",
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
]
