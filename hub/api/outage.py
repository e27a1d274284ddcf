"""The database is away: every API route answers 503 with `Retry-After`, never a 500 traceback.

Registered on the app in one line (`install_outage_handler`). A lost connection, a database that
is stopped or unreachable, or a pool whose connections are all busy raise psycopg's
`OperationalError` (psycopg_pool's `PoolTimeout` is one); nothing was written, since a request's
changes commit in one transaction, so the client may simply try again. The hub itself needs no
restart: the pool makes new connections as soon as the database is back (hub.db.HubPool).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hub.db import UNAVAILABLE_ERRORS

log = logging.getLogger(__name__)

#: what clients are told to wait before trying again (the pool retries connecting meanwhile)
RETRY_AFTER_S = 5
MESSAGE = (
    "Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau ít phút."
    " / The database is unavailable right now; please try again in a moment."
)


async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """503 + Retry-After with a Vietnamese/English message; the driver's reason goes to the log only."""
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    log.warning("%s %s answered 503: database unavailable (%s)", request.method, request.url.path, reason)
    return JSONResponse({"detail": MESSAGE}, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})


def install_outage_handler(app: FastAPI) -> None:
    for error in UNAVAILABLE_ERRORS:
        app.add_exception_handler(error, database_unavailable)
