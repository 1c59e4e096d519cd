"""Interop: tokens minted by PyJWT, joserfc and jwcrypto verify in jwtgate;
tokens those libraries refuse, jwtgate refuses too."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import warnings
from typing import Callable, Dict

import jwt as pyjwt
import pytest
from joserfc import jwt as rfc_jwt
from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey
from jwcrypto import jwk as jc_jwk
from jwcrypto import jwt as jc_jwt

import jwtgate
from conftest import HMAC_SECRET, key
from conftest import KEYS as KEYDIR

# alg → (private key file, public key file); HS256 uses HMAC_SECRET.
KEYS = {
    "RS256": ("rsa2048.pk8.pem", "rsa2048.pub.pem"),
    "PS256": ("rsa2048.pk8.pem", "rsa2048.pub.pem"),
    "ES256": ("ec256.pk8.pem", "ec256.pub.pem"),
    "EdDSA": ("ed25519.pk8.pem", "ed25519.pub.pem"),
    "HS256": (None, None),
}
ALGS = list(KEYS)


def gate_for(alg: str) -> jwtgate.Gate:
    if alg == "HS256":
        secret = base64.b64encode(HMAC_SECRET).decode()
        props = f"yfs.yfs.jwt.verify.keyloader=sharedkey\nyfs.yfs.jwt.verify.sharedkey=base64:{secret}\n"
    else:
        props = f"yfs.yfs.jwt.verify.keyloader=file\nyfs.yfs.jwt.verify.keyloader.path={KEYDIR / KEYS[alg][1]}\n"
    return jwtgate.Gate.from_string(props + f"yfs.yfs.jwt.verify.algorithms={alg}\n")


def claims(**extra) -> Dict:
    now = int(time.time())
    return {"sub": "interop", "iss": "https://idp.test", "iat": now, "exp": now + 600, **extra}


# --- minting with each library ----------------------------------------------

def mint_pyjwt(alg: str, body: Dict, private: str = None) -> str:
    k = HMAC_SECRET if alg == "HS256" else key(private or KEYS[alg][0])
    return pyjwt.encode(body, k, algorithm=alg, headers={"kid": "k1"})


def _rfc_key(alg: str, pem_or_secret: bytes):
    cls = {"RS256": RSAKey, "PS256": RSAKey, "ES256": ECKey, "EdDSA": OKPKey, "HS256": OctKey}[alg]
    return cls.import_key(pem_or_secret)


def mint_joserfc(alg: str, body: Dict, private: str = None) -> str:
    k = _rfc_key(alg, HMAC_SECRET if alg == "HS256" else key(private or KEYS[alg][0]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc flags EdDSA as superseded by RFC 9864's Ed25519
        return rfc_jwt.encode({"alg": alg, "kid": "k1"}, body, k, algorithms=[alg])


def _jc_key(alg: str, pem_or_secret: bytes):
    if alg == "HS256":
        return jc_jwk.JWK(kty="oct", k=base64.urlsafe_b64encode(pem_or_secret).rstrip(b"=").decode())
    return jc_jwk.JWK.from_pem(pem_or_secret)


def mint_jwcrypto(alg: str, body: Dict, private: str = None) -> str:
    k = _jc_key(alg, HMAC_SECRET if alg == "HS256" else key(private or KEYS[alg][0]))
    tok = jc_jwt.JWT(header={"alg": alg, "kid": "k1"}, claims=body)
    tok.make_signed_token(k)
    return tok.serialize()


MINTERS: Dict[str, Callable[..., str]] = {"pyjwt": mint_pyjwt, "joserfc": mint_joserfc, "jwcrypto": mint_jwcrypto}


# --- verifying with each library ---------------------------------------------

def accepts_pyjwt(alg: str, token: str) -> bool:
    k = HMAC_SECRET if alg == "HS256" else key(KEYS[alg][1])
    try:
        pyjwt.decode(token, k, algorithms=[alg], options={"require": ["exp"]})
        return True
    except pyjwt.PyJWTError:
        return False


def accepts_joserfc(alg: str, token: str) -> bool:
    k = _rfc_key(alg, HMAC_SECRET if alg == "HS256" else key(KEYS[alg][1]))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = rfc_jwt.decode(token, k, algorithms=[alg])
        rfc_jwt.JWTClaimsRegistry(exp={"essential": True}).validate(t.claims)
        return True
    except Exception:  # joserfc raises several unrelated error types
        return False


def accepts_jwcrypto(alg: str, token: str) -> bool:
    k = _jc_key(alg, HMAC_SECRET if alg == "HS256" else key(KEYS[alg][1]))
    try:
        jc_jwt.JWT(jwt=token, key=k, algs=[alg], check_claims={"exp": None})
        return True
    except Exception:  # jwcrypto's errors share no base class
        return False


CHECKERS = {"pyjwt": accepts_pyjwt, "joserfc": accepts_joserfc, "jwcrypto": accepts_jwcrypto}


@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize("library", sorted(MINTERS))
def test_tokens_minted_by_other_libraries_verify(library, alg):
    token = MINTERS[library](alg, claims(groups=["g1", "g2"]))
    who = gate_for(alg).verify(token)
    assert (who.user, who.alg, who.kid, who.groups, who.issuer) == ("interop", alg, "k1", ["g1", "g2"], "https://idp.test")
    for name, accepts in CHECKERS.items():  # the libraries agree with each other
        assert accepts(alg, token), name


def _b64(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def bad_tokens(alg: str) -> Dict[str, str]:
    good = mint_pyjwt(alg, claims())
    h, p, s = good.split(".")
    out = {
        "tampered payload": f"{h}.{_b64(claims(sub='mallory'))}.{s}",
        "truncated signature": f"{h}.{p}.{s[:-8]}",
        "expired": mint_jwcrypto(alg, claims(exp=int(time.time()) - 3600)),
        "alg none": f"{_b64({'alg': 'none'})}.{p}.",
    }
    if alg != "HS256":
        if alg in ("RS256", "PS256"):
            out["other key"] = mint_joserfc(alg, claims(), private="rsa2048b.pk8.pem")
        # The classic confusion attack: HS256 keyed with the public key's PEM text.
        head = _b64({"alg": "HS256", "typ": "JWT"})
        sig = hmac.new(key(KEYS[alg][1]), f"{head}.{p}".encode(), hashlib.sha256).digest()
        out["HS256 with the public key"] = f"{head}.{p}." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()
    else:
        out["other secret"] = pyjwt.encode(claims(), b"x" * 40, algorithm="HS256")
    return out


@pytest.mark.parametrize("alg", ALGS)
def test_tokens_the_libraries_refuse_jwtgate_refuses(alg):
    gate = gate_for(alg)
    for what, token in bad_tokens(alg).items():
        refusals = {name for name, accepts in CHECKERS.items() if not accepts(alg, token)}
        assert refusals == set(CHECKERS), (what, "a library accepted it")
        with pytest.raises(jwtgate.JwtError) as info:
            gate.verify(token)
        assert info.value.reason in {"signature_invalid", "token_expired", "algorithm_not_allowed",
                                     "token_malformed"}, (what, str(info.value))
