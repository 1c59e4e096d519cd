"""The example apps of examples/python/ work as documented."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from wsgiref.util import setup_testing_defaults

from conftest import DEMO_TOKEN, EXAMPLES
from test_asgi import request


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / "python" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def call_wsgi(app, path, headers=None):
    environ = {"PATH_INFO": path, "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    environ.update(headers or {})
    seen = {}

    def start_response(status, hdrs):
        seen.update(status=status, headers=dict(hdrs))

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], json.loads(body)


def test_wsgi_example_protects_api_and_not_health():
    ex = load("wsgi_app")
    status, _, body = call_wsgi(ex.app, "/api/whoami", {"HTTP_AUTHORIZATION": f"Bearer {DEMO_TOKEN}"})
    assert status == "200 OK" and body["user"] == "testuser" and body["email"] == "test@foo.com"
    status, headers, _ = call_wsgi(ex.app, "/api/whoami")
    assert status == "401 Unauthorized" and headers["WWW-Authenticate"].startswith("Bearer")
    assert call_wsgi(ex.app, "/health")[0] == "200 OK"
    ex.gate.close()


def test_asgi_example_protects_api_and_not_health():
    ex = load("asgi_app")
    r = request(ex.app, path="/api/whoami", headers=[("Cookie", f"jwtToken={DEMO_TOKEN}")])
    assert r["status"] == 200 and r["json"]["groups"] == ["admins", "csr"]
    assert request(ex.app, path="/api/whoami")["status"] == 401
    assert request(ex.app, path="/health")["status"] == 200
    ex.gate.close()
