"""An ASGI app behind jwtgate, for any ASGI server (uvicorn, hypercorn, ...).

    pip install uvicorn
    cd examples/python && uvicorn asgi_app:app --port 8000
    curl -H "Authorization: Bearer $(cat ../demo.jwt)" http://127.0.0.1:8000/api/whoami
    curl -i http://127.0.0.1:8000/api/whoami      # 401 + WWW-Authenticate

With FastAPI or Starlette, wrap the application the same way
(`app.add_middleware(JwtGateMiddleware, gate=gate, endpoint="xapirest")`) and
read `request.scope["jwtgate.identity"]`. Set JWTGATE_CONFIG to use another
properties file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jwtgate
from jwtgate.asgi import JwtGateMiddleware

CONFIG = os.environ.get("JWTGATE_CONFIG", str(Path(__file__).resolve().parents[1] / "customer_overrides.properties"))


async def whoami(scope, receive, send):
    """The protected application: it only ever sees authenticated requests."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    identity = scope.get("jwtgate.identity")
    body = json.dumps(identity.to_dict() if identity else {"status": "ok"}, indent=2).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


def route(scope):
    """Everything under /api needs a token; /health does not."""
    return "xapirest" if scope.get("path", "").startswith("/api") else None


gate = jwtgate.Gate.from_file(CONFIG)
app = JwtGateMiddleware(whoami, gate, endpoint=route)
