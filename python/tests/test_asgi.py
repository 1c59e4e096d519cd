"""The ASGI middleware, driven by a minimal hand-written ASGI client (the
protocol is a coroutine call; no server is needed)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Optional, Tuple

import pytest

import jwtgate
from jwtgate.asgi import IDENTITY_KEY, JwtGateMiddleware, request_url
from conftest import DEMO_CONFIG, DEMO_TOKEN


async def echo_app(scope, receive, send):
    """Echoes the identity the middleware stored and the body it replayed."""
    if scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
        return
    body = b""
    while True:
        m = await receive()
        body += m.get("body", b"")
        if not m.get("more_body"):
            break
    identity = scope.get(IDENTITY_KEY)
    out = json.dumps({"user": identity.user if identity else None, "body": body.decode()}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": out})


def request(app, path="/api", headers: Optional[List[Tuple[str, str]]] = None, body: bytes = b"",
            chunks: int = 1, kind: str = "http") -> Dict[str, Any]:
    """Runs one request through ``app``; returns status, headers and body
    (or the websocket messages)."""
    raw = [(n.lower().encode(), v.encode()) for n, v in (headers or [])]
    raw.append((b"host", b"shop.test"))
    if body:
        raw.append((b"content-length", str(len(body)).encode()))
    scope = {"type": kind, "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST" if body else "GET",
             "scheme": "https" if kind == "http" else "wss", "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": b"", "headers": raw, "server": ("127.0.0.1", 443)}
    size = max(1, -(-len(body) // chunks))
    parts = [body[i:i + size] for i in range(0, len(body), size)] or [b""]
    incoming = [{"type": "http.request", "body": p, "more_body": i < len(parts) - 1} for i, p in enumerate(parts)]
    if kind == "websocket":
        incoming = [{"type": "websocket.connect"}]
    sent: List[Dict[str, Any]] = []

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)  # a real client would wait for disconnect

    async def send(message):
        sent.append(message)

    asyncio.run(asyncio.wait_for(app(scope, receive, send), 10))
    if kind == "websocket":
        return {"messages": sent}
    start = next(m for m in sent if m["type"] == "http.response.start")
    data = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return {"status": start["status"], "headers": {k.decode(): v.decode() for k, v in start["headers"]},
            "json": json.loads(data)}


@pytest.fixture(scope="module")
def gate():
    with jwtgate.Gate.from_file(DEMO_CONFIG) as g:
        yield g


@pytest.fixture(params=[True, False], ids=["offload", "inline"])
def app(request, gate):
    def route(scope):
        return None if scope["path"] == "/health" else ("smcfs" if scope["path"].startswith("/legacy") else "xapirest")

    return JwtGateMiddleware(echo_app, gate, endpoint=route, offload=request.param)


def test_bearer_token_lets_the_request_in(app):
    r = request(app, headers=[("Authorization", f"Bearer {DEMO_TOKEN}")])
    assert r["status"] == 200 and r["json"]["user"] == "testuser"


def test_missing_token_is_401_with_challenge(app):
    r = request(app)
    assert r["status"] == 401
    assert r["headers"]["www-authenticate"] == 'Bearer realm="jwtgate"'
    assert r["json"] == {"error": "token_missing", "code": 20}


def test_expired_token_is_401_invalid_token(gate):
    late = jwtgate.Gate.from_file(DEMO_CONFIG, now=4102444800 + 3600)
    r = request(JwtGateMiddleware(echo_app, late), headers=[("Authorization", f"Bearer {DEMO_TOKEN}")])
    assert r["status"] == 401
    assert 'error="invalid_token"' in r["headers"]["www-authenticate"]
    assert r["json"]["error"] == "token_expired"


def test_form_token_in_chunks_is_read_and_replayed(app):
    form = f"a=1&access_token={DEMO_TOKEN}".encode()
    r = request(app, headers=[("Content-Type", "application/x-www-form-urlencoded")], body=form, chunks=3)
    assert r["status"] == 200 and r["json"] == {"user": "testuser", "body": form.decode()}


def test_disabled_endpoint_and_unrouted_paths_pass_through(app):
    for path in ("/legacy", "/health"):
        r = request(app, path=path, headers=[("Authorization", "Bearer junk")])
        assert r["status"] == 200 and r["json"]["user"] is None


def test_websocket_handshake_is_closed_on_refusal_and_accepted_with_a_token(app):
    refused = request(app, kind="websocket")["messages"]
    assert refused == [{"type": "websocket.close", "code": 1008, "reason": "token_missing"}]
    ok = request(app, kind="websocket", headers=[("Cookie", f"jwtToken={DEMO_TOKEN}")])["messages"]
    assert ok == [{"type": "websocket.accept"}]


def test_lifespan_passes_through(gate):
    seen = []

    async def inner(scope, receive, send):
        seen.append(scope["type"])

    asyncio.run(JwtGateMiddleware(inner, gate)({"type": "lifespan"}, None, None))
    assert seen == ["lifespan"]


def test_request_url_rebuilds_the_resource_url():
    scope = {"type": "http", "scheme": "https", "root_path": "/app", "path": "/orders",
             "query_string": b"id=1", "headers": [(b"host", b"shop.test:8443")]}
    assert request_url(scope) == "https://shop.test:8443/app/orders?id=1"
    assert request_url({"type": "http", "path": "/", "server": ("10.0.0.1", 80), "headers": []}) == "http://10.0.0.1:80/"
