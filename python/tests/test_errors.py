"""Every reason has a class, in its family, with .code/.reason/.message, and
each family is raised by a real refusal."""

from __future__ import annotations

import base64
import json
import pickle

import pytest

import jwtgate
from conftest import KEYS, NOW, RSA_PROPS, mint

FAMILY = {
    "invalid_argument": jwtgate.InvalidArgument,
    "internal": jwtgate.InternalError,
    "config_io": jwtgate.ConfigError,
    "config_invalid": jwtgate.ConfigError,
    "token_missing": jwtgate.RequestError,
    "multiple_tokens": jwtgate.RequestError,
    "token_malformed": jwtgate.InvalidToken,
    "token_encrypted": jwtgate.InvalidToken,
    "algorithm_not_allowed": jwtgate.InvalidToken,
    "token_too_large": jwtgate.InvalidToken,
    "unsupported_critical_header": jwtgate.InvalidToken,
    "signature_invalid": jwtgate.InvalidToken,
    "key_not_found": jwtgate.KeyUnavailable,
    "key_source_unavailable": jwtgate.KeyUnavailable,
    "token_expired": jwtgate.ClaimError,
    "token_not_yet_valid": jwtgate.ClaimError,
    "issuer_not_allowed": jwtgate.ClaimError,
    "audience_not_allowed": jwtgate.ClaimError,
    "claim_missing": jwtgate.ClaimError,
    "user_claim_missing": jwtgate.ClaimError,
    "endpoint_not_enabled": jwtgate.EndpointError,
}


def test_reasons_table_comes_from_the_core_and_matches_the_python_classes():
    assert list(jwtgate.REASONS.values()) == sorted(jwtgate.REASONS.values())
    assert jwtgate.REASONS["ok"] == 0 and jwtgate.REASONS["token_expired"] == 40
    assert set(jwtgate.CLASS_BY_REASON) == set(jwtgate.REASONS) - {"ok"}
    assert set(FAMILY) == set(jwtgate.CLASS_BY_REASON)


@pytest.mark.parametrize("reason", sorted(FAMILY))
def test_each_reason_class_sits_in_its_family_and_carries_its_code(reason):
    cls = jwtgate.CLASS_BY_REASON[reason]
    assert issubclass(cls, FAMILY[reason]) and issubclass(cls, jwtgate.JwtError)
    assert cls.__doc__ and reason in cls.__doc__
    e = cls(jwtgate.REASONS[reason], reason, "what to change")
    assert (e.code, e.reason, e.message) == (jwtgate.REASONS[reason], reason, "what to change")
    assert str(e) == f"{reason}: what to change"
    assert e.www_authenticate.startswith("Bearer realm=")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is cls and (back.code, back.reason, back.message) == (e.code, e.reason, e.message)


def b64(obj) -> str:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def refusal(call) -> jwtgate.JwtError:
    with pytest.raises(jwtgate.JwtError) as info:
        call()
    return info.value


def test_config_families(tmp_path):
    e = refusal(lambda: jwtgate.Gate.from_file(tmp_path / "missing.properties"))
    assert isinstance(e, jwtgate.ConfigIo) and e.code == 10
    e = refusal(lambda: jwtgate.Gate.from_string(RSA_PROPS + "yfs.yfs.jwt.verify.clockskew=-x\n"))
    assert isinstance(e, jwtgate.ConfigInvalid) and "clockskew" in e.message
    e = refusal(lambda: jwtgate.Gate.from_string("yfs.yfs.jwt.verify.keyloader=no-such-loader\n"))
    assert isinstance(e, jwtgate.ConfigInvalid) and "no-such-loader" in e.message


def test_token_families_follow_the_check_order(rsa_gate):
    good = mint()
    h, p, s = good.split(".")
    cases = {
        "token_malformed": "abc",
        "token_encrypted": "a.b.c.d.e",
        "token_too_large": "a" * 20000 + "." * 3,
        "algorithm_not_allowed": f"{b64({'alg': 'none'})}.{p}.",
        "unsupported_critical_header": f"{b64({'alg': 'RS256', 'crit': ['exp']})}.{p}.{s}",
        "signature_invalid": f"{h}.{b64({'sub': 'mallory', 'exp': 4102444800})}.{s}",
    }
    for reason, token in cases.items():
        e = refusal(lambda: rsa_gate.verify(token))
        assert e.reason == reason, (reason, str(e))
        assert type(e) is jwtgate.CLASS_BY_REASON[reason]
        assert 'error="invalid_token"' in e.www_authenticate
        assert token[:40] not in e.message or len(token) < 40


def test_messages_never_echo_the_token(rsa_gate):
    tampered = mint()[:-4] + "AAAA"
    e = refusal(lambda: rsa_gate.verify(tampered))
    assert isinstance(e, jwtgate.SignatureInvalid)
    for part in tampered.split("."):
        assert part not in str(e)


def test_key_families():
    kids = "yfs.yfs.jwt.verify.keyloader=properties\n" \
           "yfs.yfs.jwt.verify.propkeyloader.k1=" + \
           base64.b64encode((KEYS / "rsa2048.pub.pem").read_bytes()).decode() + "\n"
    gate = jwtgate.Gate.from_string(kids)
    e = refusal(lambda: gate.verify(mint(headers={"kid": "other"})))
    assert isinstance(e, jwtgate.KeyNotFound) and isinstance(e, jwtgate.KeyUnavailable)
    assert gate.verify(mint(headers={"kid": "k1"})).kid == "k1"

    def failing(kid, alg, iss):
        raise ConnectionError("idp down")

    jwtgate.register_keyloader("errors-failing", failing)
    try:
        gate = jwtgate.Gate.from_string("yfs.yfs.jwt.verify.keyloader=errors-failing\n")
        e = refusal(lambda: gate.verify(mint()))
        assert isinstance(e, jwtgate.KeySourceUnavailable) and e.http_status == 503
    finally:
        jwtgate.unregister_keyloader("errors-failing")


def test_claim_families():
    props = RSA_PROPS + "yfs.yfs.jwt.verify.requiredclaims=exp,jti\n" \
                        "yfs.yfs.jwt.verify.audiences=api://orders\n" \
                        "yfs.yfs.jwt.verify.issuers=https://idp.test\n"
    gate = jwtgate.Gate.from_string(props, now=NOW)
    ok = {"iss": "https://idp.test", "aud": "api://orders", "jti": "1"}
    assert gate.verify(mint(ok, now=NOW)).user == "alice"
    cases = {
        "token_expired": mint(ok, now=NOW - 7200),
        "token_not_yet_valid": mint({**ok, "nbf": NOW + 600}, now=NOW),
        "issuer_not_allowed": mint({**ok, "iss": "https://evil.test"}, now=NOW),
        "audience_not_allowed": mint({**ok, "aud": "api://billing"}, now=NOW),
        "claim_missing": mint({"iss": "https://idp.test", "aud": "api://orders"}, now=NOW),
        "user_claim_missing": mint({**ok, "sub": None}, now=NOW),
    }
    for reason, token in cases.items():
        e = refusal(lambda: gate.verify(token))
        assert e.reason == reason, (reason, str(e))
        assert isinstance(e, jwtgate.ClaimError) and e.http_status == 401


def test_request_and_endpoint_families(rsa_gate):
    e = refusal(lambda: rsa_gate.authenticate("xapirest", {}))
    assert isinstance(e, jwtgate.TokenMissing) and isinstance(e, jwtgate.RequestError)
    assert e.www_authenticate == 'Bearer realm="jwtgate"'  # RFC 6750 3.1: no error code without a token
    a, b = mint({"sub": "a"}), mint({"sub": "b"})
    e = refusal(lambda: rsa_gate.authenticate("xapirest", [("Authorization", f"Bearer {a}"), ("Cookie", f"jwtToken={b}")]))
    assert isinstance(e, jwtgate.MultipleTokens) and 'error="invalid_request"' in e.www_authenticate
    e = refusal(lambda: rsa_gate.authenticate("smcfs", {"Authorization": f"Bearer {a}"}))
    assert isinstance(e, jwtgate.EndpointNotEnabled) and isinstance(e, jwtgate.EndpointError)


def test_invalid_argument_family(rsa_gate):
    e = refusal(lambda: rsa_gate.authenticate("xapirest", [("Authorization", 7)]))
    assert isinstance(e, jwtgate.InvalidArgument) and "header value" in e.message
    e = refusal(lambda: rsa_gate.authenticate("xapirest", {}, body=3.5))
    assert isinstance(e, jwtgate.InvalidArgument) and "body" in e.message
    e = refusal(lambda: rsa_gate.authenticate("xapirest", [("just-one",)]))
    assert isinstance(e, jwtgate.InvalidArgument)
