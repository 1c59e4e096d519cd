"""WSGI middleware: authenticate each request with a jwtgate ``Gate``.

::

    from jwtgate import Gate
    from jwtgate.wsgi import JwtGateMiddleware

    gate = Gate.from_file("customer_overrides.properties")
    app = JwtGateMiddleware(app, gate, endpoint="xapirest")

    # inside the app:
    identity = environ["jwtgate.identity"]      # also environ["REMOTE_USER"]

A request whose token is refused gets ``401`` with the RFC 6750
``WWW-Authenticate`` header (``503`` when the key source is down). When the
endpoint has JWT authentication off (``<endpoint>.servlet.jwt.auth.enabled``
unset or false) requests pass through untouched.
"""

from __future__ import annotations

import io
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from wsgiref.util import request_uri

from jwtgate._errors import EndpointNotEnabled, JwtError
from jwtgate._http import (
    DEFAULT_MAX_FORM_BODY,
    IDENTITY_KEY,
    Endpoint,
    choose_endpoint,
    is_form,
    refusal,
    status_line,
)
from jwtgate._jwtgate import Gate

__all__ = ["JwtGateMiddleware", "IDENTITY_KEY", "request_headers"]

Environ = Dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


def request_headers(environ: Environ) -> List[Tuple[str, str]]:
    """The request's headers as ``(name, value)`` pairs, from a WSGI environ."""
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append((key[5:].replace("_", "-").title(), value))
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            headers.append((name, environ[key]))
    return headers


class JwtGateMiddleware:
    """Authenticates every request for ``endpoint`` before ``app`` sees it.

    ``endpoint`` is an endpoint name of the properties file, or a callable
    ``f(environ) -> name | None`` (None lets the request through
    unauthenticated, e.g. for a health check). The verified ``Identity`` is
    stored as ``environ["jwtgate.identity"]`` and its user as
    ``environ["REMOTE_USER"]``. Form posts up to ``max_form_body`` bytes are
    read for an ``access_token`` field and replayed to the app.
    """

    def __init__(
        self,
        app: WsgiApp,
        gate: Gate,
        endpoint: Endpoint = "xapirest",
        *,
        max_form_body: int = DEFAULT_MAX_FORM_BODY,
    ) -> None:
        self.app = app
        self.gate = gate
        self.endpoint = endpoint
        self.max_form_body = max_form_body

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        name = choose_endpoint(self.endpoint, environ)
        if name is None:
            return self.app(environ, start_response)
        try:
            identity = self.gate.authenticate(
                name, request_headers(environ), request_uri(environ), self._form_body(environ)
            )
        except EndpointNotEnabled:
            return self.app(environ, start_response)
        except JwtError as e:
            status, headers, body = refusal(e)
            start_response(status_line(status), headers)
            return [body]
        environ[IDENTITY_KEY] = identity
        environ["REMOTE_USER"] = identity.user
        return self.app(environ, start_response)

    def _form_body(self, environ: Environ) -> Optional[bytes]:
        """Reads a small form body and puts it back for the app."""
        if not is_form(environ.get("CONTENT_TYPE")):
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length <= 0 or length > self.max_form_body:
            return None
        body: bytes = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return body
