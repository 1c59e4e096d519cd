"""ASGI middleware: authenticate each request with a jwtgate ``Gate``.

::

    from jwtgate import Gate
    from jwtgate.asgi import JwtGateMiddleware

    gate = Gate.from_file("customer_overrides.properties")
    app = JwtGateMiddleware(app, gate, endpoint="xapirest")

    # inside the app (Starlette/FastAPI: request.scope):
    identity = scope["jwtgate.identity"]

HTTP requests whose token is refused get ``401`` with the RFC 6750
``WWW-Authenticate`` header (``503`` when the key source is down); WebSocket
handshakes are closed with code 1008. Endpoints with JWT authentication off
pass through untouched, and so does the ``lifespan`` protocol.

Verification normally takes microseconds, but a cold key cache or an unknown
``kid`` may wait on the key server (bounded by ``verify.keyloader.timeout``),
so by default the call runs in the event loop's thread pool (``offload``)
and never blocks the loop. The GIL is released while it runs.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Awaitable, Callable, List, MutableMapping, Optional, Tuple

from jwtgate._errors import EndpointNotEnabled, JwtError
from jwtgate._http import DEFAULT_MAX_FORM_BODY, IDENTITY_KEY, Endpoint, choose_endpoint, is_form, refusal
from jwtgate._jwtgate import Gate, Identity

__all__ = ["JwtGateMiddleware", "IDENTITY_KEY", "request_url"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: WebSocket close code for a refused handshake (RFC 6455: policy violation).
WS_POLICY_VIOLATION = 1008


def request_url(scope: Scope) -> str:
    """The request's full URL, for Liberty's audience rule."""
    scheme = scope.get("scheme") or ("http" if scope["type"] == "http" else "ws")  # ASGI defaults
    host = None
    for name, value in scope.get("headers") or []:
        if name.lower() == b"host":
            host = value.decode("latin-1")
            break
    if host is None and scope.get("server"):
        h, port = scope["server"]
        host = f"{h}:{port}" if port else h
    path = scope.get("root_path", "") + scope.get("path", "/")
    query = scope.get("query_string") or b""
    return f"{scheme}://{host or 'localhost'}{path}" + (f"?{query.decode('latin-1')}" if query else "")


class JwtGateMiddleware:
    """Authenticates every HTTP and WebSocket request for ``endpoint``.

    ``endpoint`` is an endpoint name of the properties file, or a callable
    ``f(scope) -> name | None`` (None lets the request through
    unauthenticated). The verified ``Identity`` is put into a copy of the
    scope as ``scope["jwtgate.identity"]``. Form posts up to
    ``max_form_body`` bytes are read for an ``access_token`` field and
    replayed to the app.
    """

    def __init__(
        self,
        app: AsgiApp,
        gate: Gate,
        endpoint: Endpoint = "xapirest",
        *,
        offload: bool = True,
        max_form_body: int = DEFAULT_MAX_FORM_BODY,
    ) -> None:
        self.app = app
        self.gate = gate
        self.endpoint = endpoint
        self.offload = offload
        self.max_form_body = max_form_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        name = choose_endpoint(self.endpoint, scope)
        if name is None:
            await self.app(scope, receive, send)
            return
        headers: List[Tuple[bytes, bytes]] = list(scope.get("headers") or [])
        body, receive = await self._form_body(scope, headers, receive)
        try:
            identity = await self._authenticate(name, headers, request_url(scope), body)
        except EndpointNotEnabled:
            await self.app(scope, receive, send)
            return
        except JwtError as e:
            await self._refuse(scope, send, e)
            return
        scope = dict(scope)
        scope[IDENTITY_KEY] = identity
        await self.app(scope, receive, send)

    async def _authenticate(self, name: str, headers: Any, url: str, body: Optional[bytes]) -> Identity:
        call = functools.partial(self.gate.authenticate, name, headers, url, body)
        if not self.offload:
            return call()
        return await asyncio.get_running_loop().run_in_executor(None, call)

    async def _form_body(
        self, scope: Scope, headers: List[Tuple[bytes, bytes]], receive: Receive
    ) -> Tuple[Optional[bytes], Receive]:
        """Reads a small form body; returns it and a ``receive`` that replays it."""
        if scope["type"] != "http":
            return None, receive
        ctype = next((v.decode("latin-1") for n, v in headers if n.lower() == b"content-type"), None)
        length = next((v for n, v in headers if n.lower() == b"content-length"), b"")
        if not is_form(ctype) or not length.isdigit() or not 0 < int(length) <= self.max_form_body:
            return None, receive
        messages: List[Message] = []
        chunks: List[bytes] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # a disconnect: replay it, verify what arrived
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        return body, replay

    async def _refuse(self, scope: Scope, send: Send, e: JwtError) -> None:
        status, headers, body = refusal(e)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": WS_POLICY_VIOLATION, "reason": e.reason})
            return
        raw: List[Tuple[bytes, bytes]] = [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in headers]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

