"""Gates and identities are freed by the garbage collector and by close()."""

from __future__ import annotations

import gc
import platform
import weakref

import pytest

import jwtgate
from conftest import DEMO_CONFIG, DEMO_TOKEN, RSA_PROPS

pytestmark = pytest.mark.skipif(platform.python_implementation() != "CPython", reason="refcount semantics")


def test_gate_is_freed_when_the_last_reference_goes():
    gate = jwtgate.Gate.from_string(RSA_PROPS)
    ref = weakref.ref(gate)
    del gate
    gc.collect()
    assert ref() is None


def test_identity_outlives_its_gate_and_is_freed_too():
    gate = jwtgate.Gate.from_file(DEMO_CONFIG)
    who = gate.verify(DEMO_TOKEN)
    claims = who.claims
    gate_ref, who_ref = weakref.ref(gate), weakref.ref(who)
    del gate
    gc.collect()
    assert gate_ref() is None
    assert who.user == "testuser" and claims["sub"] == "testuser"  # an identity owns its data
    del who
    gc.collect()
    assert who_ref() is None


def test_a_gate_in_a_reference_cycle_is_collected():
    class Holder:
        pass

    h = Holder()
    h.gate = jwtgate.Gate.from_string(RSA_PROPS)
    h.self = h
    ref = weakref.ref(h.gate)
    del h
    gc.collect()
    assert ref() is None


def test_many_gates_come_and_go_without_growth():
    refs = []
    for _ in range(200):
        with jwtgate.Gate.from_file(DEMO_CONFIG) as g:
            g.verify(DEMO_TOKEN)
            refs.append(weakref.ref(g))
    del g
    gc.collect()
    assert all(r() is None for r in refs)


def test_closed_gate_object_stays_usable_for_inspection():
    gate = jwtgate.Gate.from_string(RSA_PROPS)
    gate.close()
    assert gate.closed
    with pytest.raises(jwtgate.InvalidArgument):
        gate.warnings


def test_identity_in_a_cycle_through_its_claims_is_collected():
    gate = jwtgate.Gate.from_file(DEMO_CONFIG)
    who = gate.verify(DEMO_TOKEN)
    who.claims["me"] = who  # claims is a plain dict; user code can do this
    ref = weakref.ref(who)
    del who
    gc.collect()
    assert ref() is None
