"""Stubs of the native module ``jwtgate._jwtgate`` (hand-written; checked by
``python -m mypy.stubtest jwtgate._jwtgate`` in python/run_tests.sh)."""

import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union, final

from typing_extensions import Self

__all__ = ["Gate", "Identity", "register_keyloader", "unregister_keyloader", "__version__", "REASONS"]

__version__: str

#: Every reason name and its code, in code order, built from the core's table.
REASONS: Dict[str, int]

_Headers = Union[
    Mapping[str, str],
    Mapping[bytes, bytes],
    Iterable[Tuple[Union[str, bytes], Union[str, bytes]]],
    None,
]

@final
class Identity:
    """Who a verified token speaks for. Attributes are read-only."""

    @property
    def user(self) -> str:
        """The user name, from ``defclaimparser.user.path`` (default ``sub``)."""
    @property
    def email(self) -> Optional[str]:
        """The e-mail address, from ``defclaimparser.user.email.path``; None when absent."""
    @property
    def groups(self) -> List[str]:
        """Group names (from ``defclaimparser.groups.path``, default ``groups``)."""
    @property
    def realm(self) -> str:
        """The realm: ``defclaimparser.realm.path``, else the ``realmName`` claim, else ``iss``."""
    @property
    def issuer(self) -> Optional[str]:
        """The ``iss`` claim, None when absent."""
    @property
    def subject(self) -> Optional[str]:
        """The ``sub`` claim, None when absent."""
    @property
    def audience(self) -> List[str]:
        """The ``aud`` claim as a list (empty when absent)."""
    @property
    def expires_at(self) -> Optional[int]:
        """``exp`` in Unix seconds, None when absent."""
    @property
    def issued_at(self) -> Optional[int]:
        """``iat`` in Unix seconds, None when absent."""
    @property
    def kid(self) -> Optional[str]:
        """The ``kid`` of the token header, None when absent."""
    @property
    def alg(self) -> str:
        """The signature algorithm, e.g. ``RS256``."""
    @property
    def profile(self) -> str:
        """The profile that verified the token: its issuer name or ``default``."""
    @property
    def unique_id(self) -> str:
        """The unique id (``defclaimparser.uniqueid.path``, default: the user)."""
    @property
    def claims(self) -> Dict[str, Any]:
        """The whole verified payload (built on first access; treat as read-only)."""
    def to_dict(self) -> Dict[str, Any]:
        """Every field as a plain dict (the CLI's JSON shape), claims included."""
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Gate:
    """Verifies tokens against one ``customer_overrides.properties``
    configuration. Thread-safe; the GIL is released while it verifies."""

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"], now: Optional[int] = None) -> "Gate":
        """Read and check a properties file; ``reload()`` re-reads it.
        ``now`` (Unix seconds) fixes the clock, for tests and replays."""
    @classmethod
    def from_string(cls, text: str, now: Optional[int] = None) -> "Gate":
        """Build a gate from properties text. ``now`` fixes the clock."""
    def verify(self, token: str, url: Optional[str] = None) -> Identity:
        """Verify a compact JWS; raise a ``JwtError`` subclass on refusal."""
    def authenticate(
        self,
        endpoint: str,
        headers: _Headers,
        url: Optional[str] = None,
        body: Union[str, bytes, None] = None,
    ) -> Identity:
        """Find the request's token for ``endpoint`` and verify it."""
    def reload(self) -> None:
        """Re-read the configuration and swap it in; keep the old one on error."""
    def stats(self) -> Dict[str, Any]:
        """Each profile's key source health."""
    @property
    def warnings(self) -> List[str]:
        """Configuration warnings, one line each."""
    @property
    def closed(self) -> bool:
        """True once ``close()`` has run."""
    def close(self) -> None:
        """Release the gate now; later calls raise ``InvalidArgument``."""
    def __enter__(self) -> Self: ...
    def __exit__(self, *args: object) -> bool: ...

def register_keyloader(name: str, func: Callable[[Optional[str], str, Optional[str]], Union[str, bytes, None]]) -> None:
    """Register (or replace) a Python key loader ``func(kid, alg, issuer)``."""

def unregister_keyloader(name: str) -> bool:
    """Remove a registered key loader; True if there was one."""
