"""Domain errors as HTTP answers: unknown things are 404, broken rules 422 with a clear message.

Registered on the app once, so routers raise the domain's own exceptions and nothing is written
when one is raised (the service validates before it writes, in one transaction).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from hub.devices.service import InvalidTelemetryRange, UnknownDevice
from hub.people.importing import ImportFileError
from hub.people.service import InvalidUnit, UnknownEmployee, UnknownUnit
from hub.timekeeping.service import InvalidCalendar, InvalidCorrection


def detail_answer(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    """An exception handler answering `status` with the exception's message as `detail`."""

    async def answer(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status)

    return answer


async def _invalid_model(_request: Request, exc: Exception) -> JSONResponse:
    """A domain model refused the input inside a service: the same shape as FastAPI's own 422."""
    assert isinstance(exc, ValidationError)
    errors = [
        {"loc": ["body", *e["loc"]], "msg": e["msg"].removeprefix("Value error, "), "type": e["type"]}
        for e in exc.errors(include_url=False, include_context=False, include_input=False)
    ]
    return JSONResponse({"detail": errors}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    for not_found in (UnknownUnit, UnknownEmployee, UnknownDevice):
        app.add_exception_handler(not_found, detail_answer(404))
    for bad in (InvalidUnit, InvalidCorrection, InvalidCalendar, ImportFileError, InvalidTelemetryRange):
        app.add_exception_handler(bad, detail_answer(422))
    app.add_exception_handler(ValidationError, _invalid_model)
