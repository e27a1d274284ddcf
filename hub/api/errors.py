"""Domain errors as HTTP answers, by kind, with no per-domain table.

Every domain error derives from a kind in `hub.domain` (NotFound 404, Refused 403, Conflict 409,
Gone 410, Invalid 422, Unavailable 503); one handler, registered once, answers the kind's status with
the error's Vietnamese / English message as `detail` (and its `reason`, where it has one). Routers
raise the domain's own exceptions, and nothing is written when one is raised (the service validates
before it writes, in one transaction).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from hub.domain import DomainError
from hub.input_errors import problems_answer


def detail_answer(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    """An exception handler answering `status` with the exception's message as `detail`."""

    async def answer(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status)

    return answer


async def domain_answer(_request: Request, exc: Exception) -> JSONResponse:
    """Any domain error: its kind's status, its message as `detail` (and `reason` where it has one)."""
    assert isinstance(exc, DomainError)
    body: dict[str, object] = {"detail": str(exc)}
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str):
        body["reason"] = reason
    return JSONResponse(body, status_code=exc.status)


async def _invalid_model(_request: Request, exc: Exception) -> JSONResponse:
    """A domain model refused the input inside a service: the same answer as a refused request."""
    assert isinstance(exc, ValidationError)
    errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
    return JSONResponse(problems_answer(errors), status_code=422)


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI refused the request's path, query or body: each field and its rule in Vietnamese and
    English (hub.input_errors), never the input itself (FastAPI's own answer echoes it whole)."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(problems_answer(exc.errors()), status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_answer)
    app.add_exception_handler(ValidationError, _invalid_model)
    app.add_exception_handler(RequestValidationError, _invalid_request)
