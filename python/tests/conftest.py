"""Shared fixtures: repository paths, the demo gate, test keys and a token
minter (PyJWT, a test dependency) for tokens the tests need to shape."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import jwt as pyjwt
import pytest

import jwtgate

REPO = Path(__file__).resolve().parents[2]
KEYS = REPO / "tests" / "fixtures" / "keys"
EXAMPLES = REPO / "examples"
DEMO_CONFIG = EXAMPLES / "customer_overrides.properties"
DEMO_TOKEN = (EXAMPLES / "demo.jwt").read_text().strip()

#: A fixed "now" for gates built with a fixed clock (2026-01-01T00:00:00Z).
NOW = 1767225600
#: 32+ byte HMAC secret shared by the HS256 tests (test-only).
HMAC_SECRET = b"jwtgate-python-tests-hmac-secret-0123456789"


def key(name: str) -> bytes:
    return (KEYS / name).read_bytes()


def file_profile(pub: str, algorithms: str, extra: str = "", prefix: str = "yfs.yfs.jwt") -> str:
    """Properties of a profile whose key is the PEM file ``pub`` from the fixtures."""
    return (
        f"{prefix}.verify.keyloader=file\n"
        f"{prefix}.verify.keyloader.path={KEYS / pub}\n"
        f"{prefix}.verify.algorithms={algorithms}\n"
        f"{extra}"
    )


RSA_PROPS = file_profile("rsa2048.pub.pem", "RS256,PS256") + "xapirest.servlet.jwt.auth.enabled=true\n" \
    "xapirest.servlet.jwt.cookie.name=jwtToken\n"


def mint(
    claims: Optional[Dict[str, Any]] = None,
    *,
    alg: str = "RS256",
    private: str = "rsa2048.pk8.pem",
    headers: Optional[Dict[str, Any]] = None,
    exp_in: Optional[int] = 3600,
    now: Optional[int] = None,
) -> str:
    """A token signed by PyJWT with a fixture key (or HMAC_SECRET for HS*).

    Claims default to ``sub=alice``, ``iat`` and ``exp``; a claim given as
    None is left out."""
    now = int(time.time()) if now is None else now
    body: Dict[str, Any] = {"sub": "alice", "iat": now}
    if exp_in is not None:
        body["exp"] = now + exp_in
    body.update(claims or {})
    body = {k: v for k, v in body.items() if v is not None}  # None: leave the claim out
    signing_key: Any = HMAC_SECRET if alg.startswith("HS") else key(private)
    return pyjwt.encode(body, signing_key, algorithm=alg, headers=headers)


@pytest.fixture
def demo_gate() -> jwtgate.Gate:
    with jwtgate.Gate.from_file(DEMO_CONFIG) as gate:
        yield gate


@pytest.fixture
def rsa_gate() -> jwtgate.Gate:
    with jwtgate.Gate.from_string(RSA_PROPS) as gate:
        yield gate


@pytest.fixture
def minter() -> Callable[..., str]:
    return mint


def pytest_terminal_summary(terminalreporter):
    """The vector runners of every language print the same tally."""
    stats = terminalreporter.stats
    def count(kind: str) -> int:
        return sum(1 for r in stats.get(kind, []) if "test_vectors.py::test_case" in getattr(r, "nodeid", ""))
    passed, failed = count("passed"), count("failed")
    if passed or failed:
        terminalreporter.write_line(f"vectors: {passed} passed, {failed} failed")
