"""What every HTTP request meets before any route: a body size limit (413) and no NUL in the URL (422).

- Bodies: at most `CCES_HTTP_MAX_BODY_BYTES` (10 MB); a route that takes files declares the larger
  `CCES_HTTP_MAX_UPLOAD_BYTES` itself (`max_body_size=limits.upload` on the route). Starlette's
  limiter does the counting: a declared Content-Length over the limit is refused before a byte is
  read, a chunked body the moment its running count passes it. Every 413 the app sends — from a
  route reading its body, from a route that never reads it, from the web UI's upload — is answered
  here with the same Vietnamese/English message.
- URLs: a NUL in the path or any query parameter (after percent-decoding) is refused with a 422
  naming the parameter, before routing: whatever a route does with it, it never reaches PostgreSQL
  (which refuses NUL in text) — defence in depth behind the shared input types of `hub.inputs`.
- Last line: a psycopg `DataError` or an `OverflowError` that still escapes a route is a 422 (and an
  error in the log), not a 500 with a traceback; the generated test over every route keeps the
  input types in front of it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.input_errors import MESSAGES, InputProblem, summary
from hub.settings import HttpSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """Request body limits in bytes: `default` for every route, `upload` for routes that take files."""

    default: int
    upload: int

    @classmethod
    def from_settings(cls, http: HttpSettings) -> BodyLimits:
        """From the settings' [http] section (`max_body_bytes`, `max_upload_bytes`)."""
        return cls(default=http.max_body_bytes, upload=http.max_upload_bytes)

    @classmethod
    def defaults(cls) -> BodyLimits:
        """The defaults HubSettings declares (for apps built without settings, as in tests)."""
        return cls.from_settings(HttpSettings())


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.3g} MB"


def too_large_answer(limits: BodyLimits) -> dict[str, Any]:
    """The body of every 413."""
    default, upload = _megabytes(limits.default), _megabytes(limits.upload)
    return {
        "detail": (
            f"Yêu cầu quá lớn: tối đa {default} (tải tệp lên: tối đa {upload}) /"
            f" Request body too large: at most {default} (file uploads: at most {upload})"
        ),
        "max_body_bytes": limits.default,
        "max_upload_bytes": limits.upload,
    }


def _nul_answer(where: tuple[str, ...]) -> dict[str, Any]:
    en, vi = MESSAGES["text_nul"]
    problem = InputProblem(where, "text_nul", en, vi)
    return {"detail": [problem.as_dict()], "message": summary([problem])}


def _path_parameter(templates: list[tuple[re.Pattern[str], str]], path: str) -> str | None:
    """The name of the path parameter holding a NUL, by the first route template the path matches."""
    for regex, _template in templates:
        found = regex.match(path)
        if found is not None:
            for name, value in found.groupdict().items():
                if "\x00" in value:
                    return name
    return None


def route_templates(routes: Sequence[BaseRoute]) -> list[tuple[re.Pattern[str], str]]:
    """(regex, template) of every route with path parameters (FastAPI's included routers unfolded)."""
    try:
        from fastapi.routing import iter_route_contexts

        contexts: list[Any] = list(iter_route_contexts(routes))
    except ImportError:  # pragma: no cover - older FastAPI lists included routes flat
        contexts = list(routes)
    found = []
    for route in contexts:
        template = getattr(route, "path", None)
        if isinstance(template, str) and "{" in template:
            found.append((compile_path(template)[0], template))
    return found


def nul_in_url(scope: Scope, templates: Callable[[], list[tuple[re.Pattern[str], str]]]) -> tuple[str, ...] | None:
    """Where a NUL is in the request's URL (('path', name) or ('query', name)), else None."""
    path = scope.get("path", "")
    if "\x00" in path:
        name = _path_parameter(templates(), path)
        return ("path", name) if name else ("path",)
    query = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in key or "\x00" in value:
                return ("query", key if "\x00" not in key and len(key) <= 64 else "…")
    return None


class RequestGuard:
    """ASGI middleware around the whole app (API and web UI): the two rules above."""

    def __init__(self, app: ASGIApp, limits: BodyLimits, routes: Callable[[], Sequence[BaseRoute]]) -> None:
        self.limits = limits
        self.app = RequestBodyLimitMiddleware(app, limits.default)
        self._routes = routes
        self._templates: list[tuple[re.Pattern[str], str]] | None = None

    def templates(self) -> list[tuple[re.Pattern[str], str]]:
        """The app's route templates, read at the first NUL in a path (every route is there by then)."""
        if self._templates is None:
            self._templates = route_templates(self._routes())
        return self._templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = nul_in_url(scope, self.templates)
        if where is not None:
            await _answer(send, 422, _nul_answer(where))
            return
        replaced = False

        async def send_413_in_words(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the body of the response we replaced
            if message["type"] == "http.response.start" and message["status"] == 413:
                replaced = True
                await _answer(send, 413, too_large_answer(self.limits), close=True)
                return
            await send(message)

        await self.app(scope, receive, send_413_in_words)


async def _answer(send: Send, status: int, body: dict[str, Any], close: bool = False) -> None:
    content = json.dumps(body, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())]
    if close:  # the unread rest of an over-size body is not worth reading: end the connection
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


async def _refused_by_the_database(request: Request, exc: Exception) -> JSONResponse:
    """The last line: a value the input types let through and PostgreSQL (DataError) or the date
    arithmetic (OverflowError) refused. A 422 rather than a 500; logged with its traceback, because it
    means a route or form reads an input without the shared types of hub.inputs."""
    log.error("%s %s: input refused past the boundary types", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        {
            "detail": (
                "Dữ liệu không hợp lệ: có giá trị nằm ngoài giới hạn cho phép /"
                " Invalid input: a value is outside the limits the hub can store"
            )
        },
        status_code=422,
    )


def install_boundary(app: FastAPI, limits: BodyLimits) -> None:
    """The guard around the whole app and the last-line handlers (registered once, by create_app)."""
    app.add_middleware(RequestGuard, limits=limits, routes=lambda: app.routes)
    app.add_exception_handler(psycopg.DataError, _refused_by_the_database)
    app.add_exception_handler(OverflowError, _refused_by_the_database)
