"""authenticate(): token sources of DESIGN §3.5 and the header forms a
Python server hands over (dict, pairs, bytes, wsgiref Headers)."""

from __future__ import annotations

from wsgiref.headers import Headers

import pytest

import jwtgate
from conftest import RSA_PROPS, mint


@pytest.fixture(scope="module")
def token() -> str:
    return mint({"sub": "bob"})


def test_bearer_header_in_a_dict_any_case(rsa_gate, token):
    assert rsa_gate.authenticate("xapirest", {"authorization": f"bearer {token}"}).user == "bob"


def test_pairs_bytes_and_wsgiref_headers(rsa_gate, token):
    assert rsa_gate.authenticate("xapirest", [("Authorization", f"Bearer {token}")]).user == "bob"
    assert rsa_gate.authenticate("xapirest", [(b"authorization", f"Bearer {token}".encode())]).user == "bob"
    assert rsa_gate.authenticate("xapirest", Headers([("Authorization", f"Bearer {token}")])).user == "bob"
    assert rsa_gate.authenticate("xapirest", (h for h in [("Authorization", f"Bearer {token}")])).user == "bob"


def test_cookie_source(rsa_gate, token):
    who = rsa_gate.authenticate("xapirest", {"Cookie": f"theme=dark; jwtToken={token}; x=1"})
    assert who.user == "bob"


def test_access_token_form_body_as_str_or_bytes(rsa_gate, token):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert rsa_gate.authenticate("xapirest", form, body=f"a=1&access_token={token}").user == "bob"
    assert rsa_gate.authenticate("xapirest", form, body=f"access_token={token}".encode()).user == "bob"
    json_ct = {"Content-Type": "application/json"}
    with pytest.raises(jwtgate.TokenMissing):
        rsa_gate.authenticate("xapirest", json_ct, body=f'{{"access_token": "{token}"}}')


def test_same_token_twice_is_accepted(rsa_gate, token):
    headers = [("Authorization", f"Bearer {token}"), ("Cookie", f"jwtToken={token}")]
    assert rsa_gate.authenticate("xapirest", headers).user == "bob"


def test_configured_header_name_is_the_only_source():
    gate = jwtgate.Gate.from_string(RSA_PROPS + "smcfs.servlet.jwt.auth.enabled=true\n"
                                                "smcfs.servlet.jwt.header.name=X-Jwt\n")
    tok = mint()
    assert gate.authenticate("smcfs", {"X-Jwt": tok}).user == "alice"
    with pytest.raises(jwtgate.TokenMissing):
        gate.authenticate("smcfs", {"Authorization": f"Bearer {tok}"})


def test_url_feeds_libertys_audience_rule(rsa_gate):
    tok = mint({"aud": "https://shop.test/api"})
    hdr = {"Authorization": f"Bearer {tok}"}
    assert rsa_gate.authenticate("xapirest", hdr, url="https://shop.test/api/orders?id=1").audience == ["https://shop.test/api"]
    with pytest.raises(jwtgate.AudienceNotAllowed):
        rsa_gate.authenticate("xapirest", hdr, url="https://shop.test/apis")
    assert rsa_gate.verify(tok, url="https://shop.test/api").user == "alice"
    with pytest.raises(jwtgate.AudienceNotAllowed):
        rsa_gate.verify(tok)


def test_none_headers_means_no_headers(rsa_gate):
    with pytest.raises(jwtgate.TokenMissing):
        rsa_gate.authenticate("xapirest", None)
