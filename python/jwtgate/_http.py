"""What the WSGI and ASGI middleware share: the endpoint choice, the form
body rule and the refusal answer."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any, Callable, List, Optional, Tuple, Union

from jwtgate._errors import JwtError

log = logging.getLogger("jwtgate")

#: Key under which the middleware stores the verified Identity
#: (``environ[IDENTITY_KEY]`` for WSGI, ``scope[IDENTITY_KEY]`` for ASGI).
IDENTITY_KEY = "jwtgate.identity"

#: Largest form body the middleware reads looking for ``access_token``.
DEFAULT_MAX_FORM_BODY = 64 * 1024

Endpoint = Union[str, Callable[[Any], Optional[str]]]


def choose_endpoint(endpoint: Endpoint, env: Any) -> Optional[str]:
    """The endpoint name for this request, or None to pass it through."""
    return endpoint(env) if callable(endpoint) else endpoint


def is_form(content_type: Optional[str]) -> bool:
    """Only form posts can carry ``access_token`` (RFC 6750 2.2)."""
    return bool(content_type) and content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"  # type: ignore[union-attr]


def refusal(e: JwtError) -> Tuple[int, List[Tuple[str, str]], bytes]:
    """Status, headers and body answering a refused request.

    The body names only the reason: the message is for operators (it can
    name issuers and key ids), so it goes to the ``jwtgate`` logger instead.
    A 401 carries the RFC 6750 challenge.
    """
    log.info("request refused: %s", e)
    status = e.http_status
    body = json.dumps({"error": e.reason, "code": e.code}).encode()
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ]
    if status == 401:
        headers.append(("WWW-Authenticate", e.www_authenticate))
    return status, headers, body


def status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"
