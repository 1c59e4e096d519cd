"""Gate construction, verify, the Identity surface, reload, stats, close."""

from __future__ import annotations

import logging
import pathlib

import pytest

import jwtgate
from conftest import DEMO_CONFIG, DEMO_TOKEN, KEYS, NOW, RSA_PROPS, file_profile, mint


def test_demo_token_verifies_to_the_documented_identity(demo_gate):
    who = demo_gate.verify(DEMO_TOKEN)
    assert who.user == "testuser"
    assert who.email == "test@foo.com"
    assert who.groups == ["admins", "csr"]
    assert who.profile == "default"
    assert who.alg == "RS256"
    assert who.kid == "demo-rsa-1"
    assert who.expires_at == 4102444800
    assert who.unique_id == "testuser"
    assert who.realm == who.issuer  # no realmName claim: realm falls back to iss
    assert who.subject == "testuser"
    assert who.audience == []


def test_identity_has_every_design_field_and_to_dict_matches_attributes(demo_gate):
    who = demo_gate.verify(DEMO_TOKEN)
    fields = ["user", "email", "groups", "realm", "issuer", "subject", "audience", "expires_at",
              "issued_at", "kid", "alg", "profile", "unique_id", "claims"]
    d = who.to_dict()
    assert sorted(d) == sorted(fields)
    for f in fields:
        assert getattr(who, f) == d[f], f


def test_claims_is_the_whole_payload_as_a_dict_built_once(demo_gate):
    who = demo_gate.verify(DEMO_TOKEN)
    claims = who.claims
    assert isinstance(claims, dict)
    assert claims["otherinfo"] == {"email": "test@foo.com"}
    assert claims["exp"] == 4102444800 and isinstance(claims["exp"], int)
    assert who.claims is claims


def test_identity_is_read_only_and_its_repr_leaks_no_token(demo_gate):
    who = demo_gate.verify(DEMO_TOKEN)
    with pytest.raises(AttributeError):
        who.user = "mallory"  # type: ignore[misc]
    r = repr(who)
    assert "testuser" in r and DEMO_TOKEN.split('.')[1][:20] not in r and "otherinfo" not in r
    assert who == demo_gate.verify(DEMO_TOKEN)
    assert who != "testuser"


def test_from_file_accepts_pathlike_and_from_string_fixes_the_clock():
    gate = jwtgate.Gate.from_file(pathlib.Path(DEMO_CONFIG))
    assert gate.verify(DEMO_TOKEN).user == "testuser"
    # exp 4102444800 is 2100-01-01: a clock fixed after it makes the token expired.
    late = jwtgate.Gate.from_file(DEMO_CONFIG, now=4102444800 + 61)
    with pytest.raises(jwtgate.TokenExpired):
        late.verify(DEMO_TOKEN)
    with pytest.raises(jwtgate.InvalidArgument):
        jwtgate.Gate.from_string(RSA_PROPS, now=-1)


def test_fixed_clock_decides_expiry_with_the_configured_skew():
    gate = jwtgate.Gate.from_string(RSA_PROPS, now=NOW)
    tok = mint(now=NOW - 100, exp_in=50)  # exp = NOW - 50, inside the 60 s default skew
    assert gate.verify(tok).user == "alice"
    with pytest.raises(jwtgate.TokenExpired):
        jwtgate.Gate.from_string(RSA_PROPS, now=NOW + 20).verify(tok)


def test_unknown_keys_are_warnings_on_the_gate_and_in_python_logging(caplog):
    with caplog.at_level(logging.WARNING, logger="jwtgate"):
        gate = jwtgate.Gate.from_string(RSA_PROPS + "yfs.yfs.jwt.verify.clockskwe=5\n")
    assert any("clockskwe" in w for w in gate.warnings)
    records = [r for r in caplog.records if r.name == "jwtgate"]
    assert any("clockskwe" in r.getMessage() and r.levelno == logging.WARNING for r in records)


def test_stats_report_each_profile_and_its_keys(demo_gate):
    stats = demo_gate.stats()
    profiles = {p["profile"]: p for p in stats["profiles"]}
    assert set(profiles) == {"default", "https://idp.acme.com:8020/jwt"}
    assert profiles["default"]["algorithms"] == ["RS256", "PS256"]
    assert profiles["default"]["source"]["keys"][0]["kid"] == "demo-rsa-1"


def test_reload_rereads_the_file_and_keeps_the_old_config_on_error(tmp_path):
    cfg = tmp_path / "customer_overrides.properties"
    cfg.write_text(file_profile("rsa2048.pub.pem", "RS256"))
    gate = jwtgate.Gate.from_file(cfg)
    ps = mint(alg="PS256")
    with pytest.raises(jwtgate.AlgorithmNotAllowed):
        gate.verify(ps)
    cfg.write_text(file_profile("rsa2048.pub.pem", "RS256,PS256"))
    gate.reload()
    assert gate.verify(ps).alg == "PS256"
    cfg.write_text("yfs.yfs.jwt.verify.clockskew=soon\n" + file_profile("rsa2048.pub.pem", "RS256"))
    with pytest.raises(jwtgate.ConfigInvalid):
        gate.reload()
    assert gate.verify(ps).alg == "PS256"  # still the last good configuration


def test_reload_swaps_keys_of_a_file_gate(tmp_path):
    cfg = tmp_path / "c.properties"
    cfg.write_text(file_profile("rsa2048.pub.pem", "RS256"))
    gate = jwtgate.Gate.from_file(cfg)
    by_b = mint(private="rsa2048b.pk8.pem")
    with pytest.raises(jwtgate.SignatureInvalid):
        gate.verify(by_b)
    cfg.write_text(file_profile("rsa2048b.pub.pem", "RS256"))
    gate.reload()
    assert gate.verify(by_b).user == "alice"


def test_close_is_idempotent_and_later_calls_raise_invalid_argument():
    gate = jwtgate.Gate.from_string(RSA_PROPS)
    assert not gate.closed
    gate.close()
    gate.close()
    assert gate.closed and "closed" in repr(gate)
    for call in (lambda: gate.verify(mint()), gate.reload, gate.stats,
                 lambda: gate.authenticate("xapirest", {})):
        with pytest.raises(jwtgate.InvalidArgument) as e:
            call()
        assert e.value.code == 1 and "closed" in str(e.value)


def test_context_manager_closes_and_does_not_swallow_exceptions():
    with pytest.raises(jwtgate.TokenMalformed):
        with jwtgate.Gate.from_string(RSA_PROPS) as gate:
            gate.verify("not-a-token")
    assert gate.closed


def test_wrong_argument_types_raise_type_error(rsa_gate):
    with pytest.raises(TypeError):
        rsa_gate.verify(b"bytes-token")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        jwtgate.Gate.from_string(None)  # type: ignore[arg-type]


def test_package_surface_is_exported():
    for name in jwtgate.__all__:
        assert hasattr(jwtgate, name), name
        assert getattr(jwtgate, name).__doc__ or name in {"REASONS", "CLASS_BY_REASON", "__version__"}, name
    assert jwtgate.__version__
    assert (pathlib.Path(jwtgate.__file__).parent / "py.typed").exists()
    assert (KEYS / "rsa2048.pub.pem").exists()
