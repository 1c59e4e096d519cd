"""The Python runner of the shared conformance vectors (tests/vectors/*.json):
the same files run through the Rust core, C and Java. One gate per file,
built from its properties with the clock fixed at its ``now``; each case
must give the expected reason, and for ``ok`` every listed identity field."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import jwtgate
from conftest import REPO

VECTORS = REPO / "tests" / "vectors"
FILES = sorted(VECTORS.glob("*.json")) if VECTORS.is_dir() else []


def _cases() -> List[Any]:
    params = []
    for f in FILES:
        doc = json.loads(f.read_text())
        for case in doc["cases"]:
            params.append(pytest.param(f.name, case, id=f"{f.stem}:{case['id']}"))
    return params


@functools.lru_cache(maxsize=None)
def gate_of(name: str) -> jwtgate.Gate:
    doc = json.loads((VECTORS / name).read_text())
    return jwtgate.Gate.from_string(doc["properties"], now=doc.get("now"))


def run(gate: jwtgate.Gate, case: Dict[str, Any]) -> jwtgate.Identity:
    if "token" in case:
        return gate.verify(case["token"])
    r = case["request"]
    headers: List[Tuple[str, str]] = [(n, v) for n, v in r.get("headers") or []]
    return gate.authenticate(r["endpoint"], headers, r.get("url"), r.get("body"))


if not FILES:
    pytestmark = pytest.mark.skip(reason=f"no vector files in {VECTORS} yet; the shared vectors are still being written")


@pytest.mark.parametrize("file, case", _cases())
def test_case(file: str, case: Dict[str, Any]) -> None:
    want = case["expect"]["reason"]
    try:
        identity = run(gate_of(file), case)
    except jwtgate.JwtError as e:
        assert e.reason == want, f"{case['title']}: expected {want}, got {e}"
        assert e.code == jwtgate.REASONS[want]
        return
    assert want == "ok", f"{case['title']}: expected {want}, got ok"
    got = identity.to_dict()
    for field, value in (case["expect"].get("identity") or {}).items():
        assert got[field] == value, f"{case['title']}: identity.{field}: expected {value!r}, got {got[field]!r}"


def test_vector_folder_is_not_empty() -> None:
    assert FILES, f"no vector files in {VECTORS}"
    assert Path(VECTORS).is_dir()
