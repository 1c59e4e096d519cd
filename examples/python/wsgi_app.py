"""A WSGI app behind jwtgate, served by the standard library's wsgiref.

    python examples/python/wsgi_app.py            # http://127.0.0.1:8000
    curl -H "Authorization: Bearer $(cat examples/demo.jwt)" http://127.0.0.1:8000/api/whoami
    curl -i http://127.0.0.1:8000/api/whoami      # 401 + WWW-Authenticate
    curl http://127.0.0.1:8000/health             # not authenticated

The endpoint `xapirest` is configured in examples/customer_overrides.properties
(JWT auth on, token also accepted from the `jwtToken` cookie). Set
JWTGATE_CONFIG to use another properties file.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from wsgiref.simple_server import make_server

import jwtgate
from jwtgate.wsgi import JwtGateMiddleware

CONFIG = os.environ.get("JWTGATE_CONFIG", str(Path(__file__).resolve().parents[1] / "customer_overrides.properties"))


def whoami(environ, start_response):
    """The protected application: it only ever sees authenticated requests."""
    identity = environ.get("jwtgate.identity")
    body = json.dumps(identity.to_dict() if identity else {"status": "ok"}, indent=2).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def route(environ):
    """Everything under /api needs a token; /health does not."""
    return "xapirest" if environ.get("PATH_INFO", "").startswith("/api") else None


gate = jwtgate.Gate.from_file(CONFIG)
app = JwtGateMiddleware(whoami, gate, endpoint=route)

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)  # jwtgate logs refusals and warnings here
    port = int(os.environ.get("PORT", "8000"))
    with make_server("127.0.0.1", port, app) as httpd:
        print(f"serving on http://127.0.0.1:{port} (Ctrl-C to stop)")
        httpd.serve_forever()
