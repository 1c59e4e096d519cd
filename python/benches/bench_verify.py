"""jwtgate vs PyJWT, joserfc and authlib on the same tokens (plain timeit, not pytest).

    bash python/benches/run.sh          # builds the release extension, installs the peers, runs this

Run directly: ``python bench_verify.py TOKENS_DIR KEYS_DIR [ROUNDS]`` with the
tokens of ``bench/make_tokens.sh`` and an importable release build of jwtgate.

Every implementation does the same work: check the signature with a key
parsed once up front (the peers get their best case: a prebuilt key object),
then iss, aud, exp and nbf, and read the user (sub) and email. Each round
times every implementation of one algorithm back to back, so the ratios are
taken within a round (the machine is shared and noisy); we print min/median/max
over rounds in microseconds per verification, and the median ratio.
"""

from __future__ import annotations

import os
import statistics
import sys
import timeit
import warnings
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

ISS = "https://idp.example.com"
AUD = "api"
ALGS = ["RS256", "PS256", "ES256", "EdDSA", "HS256"]
PUBLIC = {"RS256": "rsa2048.pub.pem", "PS256": "rsa2048.pub.pem", "ES256": "ec256.pub.pem", "EdDSA": "ed25519.pub.pem"}


def jwtgate_impls(tokens: Path, alg: str, token: str) -> Dict[str, Callable[[], object]]:
    import jwtgate

    props = (tokens / f"props-{alg}.properties").read_text()
    miss = jwtgate.Gate.from_string(props + "\nyfs.yfs.jwt.verify.tokencache.size=0\n")
    hit = jwtgate.Gate.from_string(props + "\nyfs.yfs.jwt.verify.tokencache.size=10000\n")

    def verify_miss() -> object:
        who = miss.verify(token)
        return who.user, who.email

    def verify_hit() -> object:
        who = hit.verify(token)
        return who.user, who.email

    def malformed() -> object:
        # The binding's own cost: refused at the first structural check.
        try:
            miss.verify("x")
        except jwtgate.TokenMalformed:
            return None
        raise AssertionError("malformed token accepted")

    return {"jwtgate": verify_miss, "jwtgate_cache_hit": verify_hit, "jwtgate_malformed": malformed}


def pyjwt_impl(alg: str, token: str, pem: Optional[bytes], secret: bytes) -> Callable[[], object]:
    import jwt
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    key = load_pem_public_key(pem) if pem else secret

    def verify() -> object:
        c = jwt.decode(token, key, algorithms=[alg], audience=AUD, issuer=ISS, options={"require": ["exp", "iss", "aud", "sub"]})
        return c["sub"], c.get("email")

    return verify


def joserfc_impl(alg: str, token: str, pem: Optional[bytes], secret: bytes) -> Callable[[], object]:
    from joserfc import jwt
    from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey

    if pem is None:
        key = OctKey.import_key(secret)
    else:
        key = {"RS256": RSAKey, "PS256": RSAKey, "ES256": ECKey, "EdDSA": OKPKey}[alg].import_key(pem)
    claims = jwt.JWTClaimsRegistry(iss={"essential": True, "value": ISS}, aud={"essential": True, "value": AUD}, sub={"essential": True})

    def verify() -> object:
        with warnings.catch_warnings():
            # joserfc flags "EdDSA" as deprecated by RFC 9864 (use "Ed25519"); the token says EdDSA.
            warnings.simplefilter("ignore")
            tok = jwt.decode(token, key, algorithms=[alg])
        claims.validate(tok.claims)  # also exp and nbf
        return tok.claims["sub"], tok.claims.get("email")

    return verify


def authlib_impl(alg: str, token: str, pem: Optional[bytes], secret: bytes) -> Callable[[], object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # authlib.jose says "use joserfc"; it is still the authlib API people call
        from authlib.jose import JsonWebKey, JsonWebToken

    key = JsonWebKey.import_key(pem if pem else secret, {"kty": "oct"} if pem is None else None)
    codec = JsonWebToken([alg])
    options = {"iss": {"essential": True, "value": ISS}, "aud": {"essential": True, "value": AUD}, "sub": {"essential": True}}

    def verify() -> object:
        c = codec.decode(token, key, claims_options=options)
        c.validate()  # exp, nbf, iat, iss, aud
        return c["sub"], c.get("email")

    return verify


def calibrate(fn: Callable[[], object], target_s: float) -> int:
    t = timeit.Timer(fn)
    n, elapsed = t.autorange()
    return max(1, int(n * target_s / elapsed))


def main(argv: List[str]) -> int:
    tokens, keys = Path(argv[1]), Path(argv[2])
    rounds = int(argv[3]) if len(argv) > 3 else 7
    secret = (tokens / "hs256.secret").read_bytes()
    import jwtgate

    so = Path(jwtgate._jwtgate.__file__)  # type: ignore[attr-defined]
    print(f"python {sys.version.split()[0]}; jwtgate {jwtgate.__version__} from {so}")
    for mod in ("jwt", "joserfc", "authlib", "cryptography"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = __import__(mod)
        print(f"  {mod} {getattr(m, '__version__', '?')}")
    print(f"{rounds} rounds of ~0.2 s per row; µs per verification, min / median / max over rounds;")
    print("ratio = peer / jwtgate (cache miss) within each round, median (min-max)\n")
    print("| alg | implementation | min | median | max | peer / jwtgate (median, min-max) |")
    print("|---|---|---|---|---|---|")
    for alg in ALGS:
        token = (tokens / f"{alg}.jwt").read_text().strip()
        pem = (keys / PUBLIC[alg]).read_bytes() if alg in PUBLIC else None
        impls: Dict[str, Callable[[], object]] = jwtgate_impls(tokens, alg, token)
        for name, make in (("PyJWT", pyjwt_impl), ("joserfc", joserfc_impl), ("authlib", authlib_impl)):
            try:
                fn = make(alg, token, pem, secret)
                if fn() != ("alice", "alice@example.com"):
                    raise AssertionError(f"unexpected result {fn()!r}")
                impls[name] = fn
            except Exception as e:  # a peer without this algorithm: say so, keep going
                print(f"| {alg} | {name} | - | - | - | not run: {type(e).__name__}: {str(e)[:80]} |")
        assert impls["jwtgate"]() == ("alice", "alice@example.com")
        counts = {name: calibrate(fn, 0.2) for name, fn in impls.items()}
        times: Dict[str, List[float]] = {name: [] for name in impls}
        for _ in range(rounds):
            for name, fn in impls.items():
                times[name].append(timeit.timeit(fn, number=counts[name]) / counts[name] * 1e6)
        for name, ts in times.items():
            ratio = ""
            if not name.startswith("jwtgate"):
                rs = sorted(p / g for p, g in zip(ts, times["jwtgate"]))
                ratio = f"{statistics.median(rs):.1f}× ({rs[0]:.1f}-{rs[-1]:.1f})"
            row_alg = "any" if name == "jwtgate_malformed" else alg
            if name == "jwtgate_malformed" and alg != ALGS[0]:
                continue  # the same for every algorithm: print once
            s = sorted(ts)
            print(f"| {row_alg} | {name} | {fmt(s[0])} | {fmt(statistics.median(s))} | {fmt(s[-1])} | {ratio} |")
    return 0


def fmt(us: float) -> str:
    return f"{us * 1000:.0f} ns" if us < 1 else f"{us:.2f} µs"


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(f"usage: {sys.argv[0]} TOKENS_DIR KEYS_DIR [ROUNDS]")
    sys.exit(main(sys.argv))
