"""Verification throughput: jwtgate vs PyJWT, joserfc and jwcrypto, on the
same tokens. A benchmark, not a test: run it by hand on a quiet machine.

    .venv/bin/python python/benches/bench_verify.py [seconds-per-row]

jwtgate is measured with its verified-token cache off (every call checks the
signature, like the others) and on (the default; repeated tokens).
"""

from __future__ import annotations

import base64
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import jwt as pyjwt  # noqa: E402
from joserfc import jwt as rfc_jwt  # noqa: E402

import jwtgate  # noqa: E402
from conftest import KEYS as KEYDIR  # noqa: E402
from test_interop import (  # noqa: E402
    ALGS, HMAC_SECRET, KEYS, _jc_key, _rfc_key, claims, gate_for, key, mint_pyjwt,
)
from jwcrypto import jwt as jc_jwt  # noqa: E402


def rate(fn, seconds: float) -> float:
    n, end = 0, time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < end:
        for _ in range(20):
            fn()
        n += 20
    return n / (time.perf_counter() - start)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    warnings.simplefilter("ignore")
    print(f"{'alg':6} {'jwtgate':>10} {'(cache)':>10} {'PyJWT':>10} {'joserfc':>10} {'jwcrypto':>10}   verifications/s")
    for alg in ALGS:
        token = mint_pyjwt(alg, claims())
        pub = HMAC_SECRET if alg == "HS256" else key(KEYS[alg][1])
        cached = gate_for(alg)  # default verify.tokencache.size
        nocache = jwtgate.Gate.from_string(_props_without_cache(alg))
        rfc_key, jc_key = _rfc_key(alg, pub), _jc_key(alg, pub)
        row = [
            rate(lambda: nocache.verify(token), seconds),
            rate(lambda: cached.verify(token), seconds),
            rate(lambda: pyjwt.decode(token, pub, algorithms=[alg]), seconds),
            rate(lambda: rfc_jwt.decode(token, rfc_key, algorithms=[alg]), seconds),
            rate(lambda: jc_jwt.JWT(jwt=token, key=jc_key, algs=[alg]), seconds),
        ]
        print(f"{alg:6} " + " ".join(f"{r:10,.0f}" for r in row)
              + f"   x{row[0] / row[2]:.1f} vs PyJWT (no cache)")


def _props_without_cache(alg: str) -> str:
    if alg == "HS256":
        src = f"yfs.yfs.jwt.verify.keyloader=sharedkey\nyfs.yfs.jwt.verify.sharedkey=base64:{base64.b64encode(HMAC_SECRET).decode()}\n"
    else:
        src = f"yfs.yfs.jwt.verify.keyloader=file\nyfs.yfs.jwt.verify.keyloader.path={KEYDIR / KEYS[alg][1]}\n"
    return src + f"yfs.yfs.jwt.verify.algorithms={alg}\nyfs.yfs.jwt.verify.tokencache.size=0\n"


if __name__ == "__main__":
    main()
