"""The WSGI middleware behind a real wsgiref server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

import jwtgate
from jwtgate.wsgi import IDENTITY_KEY, JwtGateMiddleware
from conftest import DEMO_CONFIG, DEMO_TOKEN, mint


def app(environ, start_response):
    """Echoes who the middleware let in, and the form body it replayed."""
    identity = environ.get(IDENTITY_KEY)
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length).decode() if length else ""
    out = json.dumps({
        "user": identity.user if identity else None,
        "remote_user": environ.get("REMOTE_USER"),
        "groups": identity.groups if identity else None,
        "body": body,
    }).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
    return [out]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def route(environ):
    """xapirest for /api, the disabled smcfs endpoint for /legacy, none for /health."""
    path = environ.get("PATH_INFO", "")
    if path.startswith("/health"):
        return None
    return "smcfs" if path.startswith("/legacy") else "xapirest"


@pytest.fixture(scope="module")
def server():
    gate = jwtgate.Gate.from_file(DEMO_CONFIG)
    httpd = make_server("127.0.0.1", 0, JwtGateMiddleware(app, gate, endpoint=route),
                        server_class=WSGIServer, handler_class=QuietHandler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    gate.close()


def fetch(url, headers=None, data=None):
    req = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), json.loads(r.read())
    except urllib.error.HTTPError as e:
        with e:
            return e.code, dict(e.headers), json.loads(e.read())


def test_bearer_token_lets_the_request_in_with_its_identity(server):
    status, _, body = fetch(f"{server}/api/orders", {"Authorization": f"Bearer {DEMO_TOKEN}"})
    assert status == 200
    assert body["user"] == body["remote_user"] == "testuser"
    assert body["groups"] == ["admins", "csr"]


def test_cookie_token_lets_the_request_in(server):
    status, _, body = fetch(f"{server}/api", {"Cookie": f"jwtToken={DEMO_TOKEN}"})
    assert (status, body["user"]) == (200, "testuser")


def test_no_token_is_401_with_a_bare_challenge(server):
    status, headers, body = fetch(f"{server}/api")
    assert status == 401
    assert headers["WWW-Authenticate"] == 'Bearer realm="jwtgate"'
    assert body == {"error": "token_missing", "code": 20}


def test_bad_token_is_401_with_invalid_token_and_no_detail_leak(server):
    tampered = DEMO_TOKEN[:-4] + "AAAA"
    status, headers, body = fetch(f"{server}/api", {"Authorization": f"Bearer {tampered}"})
    assert status == 401
    assert headers["WWW-Authenticate"] == \
        'Bearer realm="jwtgate", error="invalid_token", error_description="signature_invalid"'
    assert body == {"error": "signature_invalid", "code": 32}
    assert headers["Cache-Control"] == "no-store"


def test_wrong_key_token_is_refused(server):
    status, _, body = fetch(f"{server}/api", {"Authorization": f"Bearer {mint(headers={'kid': 'demo-rsa-1'})}"})
    assert (status, body["error"]) == (401, "signature_invalid")


def test_form_access_token_is_read_and_replayed_to_the_app(server):
    form = f"q=1&access_token={DEMO_TOKEN}".encode()
    status, _, body = fetch(f"{server}/api", {"Content-Type": "application/x-www-form-urlencoded"}, form)
    assert (status, body["user"]) == (200, "testuser")
    assert body["body"] == form.decode()


def test_disabled_endpoint_and_unrouted_paths_pass_through_untouched(server):
    for path in ("/legacy/x", "/health"):
        status, _, body = fetch(f"{server}{path}", {"Authorization": "Bearer garbage"})
        assert status == 200 and body["user"] is None and body["remote_user"] is None
