"""Python key loaders: good answers in every form, exceptions, junk, wrong
types, None, and the thread they run on."""

from __future__ import annotations

import json
import threading

import pytest

import jwtgate
from conftest import HMAC_SECRET, KEYS, key, mint


@pytest.fixture
def loader_name(request):
    name = f"py-{request.node.originalname}-{id(request.node)}"
    yield name
    jwtgate.unregister_keyloader(name)


def gate_for(name: str, algorithms: str = "RS256") -> jwtgate.Gate:
    return jwtgate.Gate.from_string(
        f"yfs.yfs.jwt.verify.keyloader={name}\nyfs.yfs.jwt.verify.algorithms={algorithms}\n")


@pytest.mark.parametrize("form", ["pem-str", "pem-bytes", "bytearray", "jwks"])
def test_loader_answers_in_any_key_form_verify(loader_name, form):
    pem = key("rsa2048.pub.pem")
    if form == "jwks":
        from jwcrypto import jwk

        k = jwk.JWK.from_pem(pem)
        answer = json.dumps({"keys": [{**json.loads(k.export_public()), "kid": "k1"}]})
    else:
        answer = {"pem-str": pem.decode(), "pem-bytes": pem, "bytearray": bytearray(pem)}[form]
    jwtgate.register_keyloader(loader_name, lambda kid, alg, iss: answer)
    gate = gate_for(loader_name)
    assert gate.verify(mint(headers={"kid": "k1"})).user == "alice"


def test_loader_gets_kid_alg_and_unverified_issuer_and_is_cached(loader_name):
    calls = []

    def load(kid, alg, iss):
        calls.append((kid, alg, iss))
        return key("rsa2048.pub.pem")

    jwtgate.register_keyloader(loader_name, load)
    gate = gate_for(loader_name, "RS256,PS256")
    tok = mint({"iss": "https://idp.test"}, alg="PS256", headers={"kid": "k-7"})
    assert gate.verify(tok).kid == "k-7"
    assert gate.verify(mint({"iss": "https://idp.test"}, headers={"kid": "k-7"})).alg == "RS256"
    assert calls == [("k-7", "PS256", "https://idp.test")]  # second verify served from the cache
    stats = gate.stats()["profiles"][0]["source"]
    assert stats["loader"] == loader_name and stats["fetches"] == 1


def test_loader_without_kid_gets_none(loader_name):
    seen = []
    jwtgate.register_keyloader(loader_name, lambda *a: seen.append(a) or key("rsa2048.pub.pem"))
    assert gate_for(loader_name).verify(mint()).kid is None
    assert seen == [(None, "RS256", None)]


def test_hmac_secret_from_a_loader(loader_name):
    jwtgate.register_keyloader(loader_name, lambda kid, alg, iss: HMAC_SECRET)
    assert gate_for(loader_name, "HS256").verify(mint(alg="HS256")).alg == "HS256"


def test_raising_loader_is_key_source_unavailable_with_type_and_text(loader_name):
    def load(kid, alg, iss):
        raise TimeoutError("vault did not answer in 2s")

    jwtgate.register_keyloader(loader_name, load)
    with pytest.raises(jwtgate.KeySourceUnavailable) as info:
        gate_for(loader_name).verify(mint())
    msg = str(info.value)
    assert "TimeoutError" in msg and "vault did not answer in 2s" in msg and loader_name in msg


def test_loader_exception_text_is_cut_short(loader_name):
    secret_like = "S" * 5000

    def load(kid, alg, iss):
        raise ValueError(secret_like)

    jwtgate.register_keyloader(loader_name, load)
    with pytest.raises(jwtgate.KeySourceUnavailable) as info:
        gate_for(loader_name).verify(mint())
    assert secret_like not in str(info.value) and len(str(info.value)) < 600


@pytest.mark.parametrize("junk", ["not a key at all", b"\x00\x01\x02", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"])
def test_junk_key_material_is_key_source_unavailable(loader_name, junk):
    jwtgate.register_keyloader(loader_name, lambda kid, alg, iss: junk)
    with pytest.raises(jwtgate.KeySourceUnavailable) as info:
        gate_for(loader_name).verify(mint())
    assert "unusable key material" in str(info.value)


def test_wrong_return_type_names_the_type(loader_name):
    jwtgate.register_keyloader(loader_name, lambda kid, alg, iss: 42)
    with pytest.raises(jwtgate.KeySourceUnavailable) as info:
        gate_for(loader_name).verify(mint())
    assert "returned a int" in str(info.value)


def test_none_means_no_key(loader_name):
    jwtgate.register_keyloader(loader_name, lambda kid, alg, iss: None)
    with pytest.raises(jwtgate.KeyNotFound):
        gate_for(loader_name).verify(mint())


def test_wrong_key_is_signature_invalid(loader_name):
    jwtgate.register_keyloader(loader_name, lambda kid, alg, iss: key("rsa2048b.pub.pem"))
    with pytest.raises(jwtgate.SignatureInvalid):
        gate_for(loader_name).verify(mint())


def test_registration_checks_its_arguments():
    with pytest.raises(jwtgate.InvalidArgument):
        jwtgate.register_keyloader("x", "not callable")  # type: ignore[arg-type]
    with pytest.raises(jwtgate.InvalidArgument):
        jwtgate.register_keyloader("  ", lambda *a: None)
    assert jwtgate.unregister_keyloader("never-registered") is False


def test_unregistered_name_is_config_invalid():
    with pytest.raises(jwtgate.ConfigInvalid) as info:
        gate_for("py-nobody-registered-this")
    assert "py-nobody-registered-this" in str(info.value)


def test_loader_runs_with_the_gil_and_other_threads_progress(loader_name):
    """The loader is called from the verifying thread with the GIL taken
    back, so it may use any Python; other threads run meanwhile."""
    started, release = threading.Event(), threading.Event()

    def slow(kid, alg, iss):
        started.set()
        assert release.wait(10)
        return (KEYS / "rsa2048.pub.pem").read_text()

    jwtgate.register_keyloader(loader_name, slow)
    gate = gate_for(loader_name)
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("user", gate.verify(mint()).user))
    t.start()
    assert started.wait(10)
    release.set()  # this thread ran while the other one was inside verify
    t.join(10)
    assert result == {"user": "alice"}
