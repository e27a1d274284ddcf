"""Domain errors as HTTP answers: unknown things are 404, broken rules 422 with a clear message.

Registered on the app once, so routers raise the domain's own exceptions and nothing is written
when one is raised (the service validates before it writes, in one transaction).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from hub.devices.service import InvalidTelemetryRange, UnknownDevice
from hub.input_errors import problems_answer
from hub.people.importing import ImportFileError
from hub.people.service import InvalidUnit, UnknownEmployee, UnknownUnit
from hub.timekeeping.service import InvalidCalendar, InvalidCorrection


def detail_answer(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    """An exception handler answering `status` with the exception's message as `detail`."""

    async def answer(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status)

    return answer


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
    for not_found in (UnknownUnit, UnknownEmployee, UnknownDevice):
        app.add_exception_handler(not_found, detail_answer(404))
    for bad in (InvalidUnit, InvalidCorrection, InvalidCalendar, ImportFileError, InvalidTelemetryRange):
        app.add_exception_handler(bad, detail_answer(422))
    app.add_exception_handler(ValidationError, _invalid_model)
    app.add_exception_handler(RequestValidationError, _invalid_request)
