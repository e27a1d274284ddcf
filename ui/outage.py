"""The database is away: pages say so, in Vietnamese and English, instead of an error page.

A page whose builder meets the outage is answered 503 (with `Retry-After`) by a page that only
says the database is unavailable and to reload in a moment; an action on an open page (a button,
a timer) shows the same as a notification, at most once per `NOTIFY_EVERY_S` per browser tab.
Nothing else is needed to recover: the hub reconnects by itself (hub.db.HubPool), and the next
load or click works again.
"""

from __future__ import annotations

import logging
import time

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from nicegui import app, ui
from nicegui.client import Client
from nicegui.page import page

from hub.api.outage import MESSAGE, RETRY_AFTER_S
from hub.db import UNAVAILABLE_ERRORS, is_database_unavailable
from ui.i18n import N_, t

log = logging.getLogger(__name__)

NOTIFY_EVERY_S = 30.0  # a refreshing page would otherwise repeat the notice at every tick
_NOTIFIED_KEY = "cces_database_unavailable_notified"


def install() -> None:
    """Register the outage answers on NiceGUI's app (its pages and routes are served by it)."""
    for error in UNAVAILABLE_ERRORS:
        app.add_exception_handler(error, _unavailable_page)
    app.on_exception(_notify_unavailable)


async def _unavailable_page(request: Request, exc: Exception) -> Response:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    log.warning("%s answered 503: database unavailable (%s)", request.url.path, reason)
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    if not request.scope.get("nicegui_page_path"):  # a plain route of the UI (e.g. after sign-in): JSON
        return JSONResponse({"detail": MESSAGE}, status_code=503, headers=headers)
    with Client(page(""), request=request) as client:
        notice()
    response = client.build_response(request, 503)
    response.headers.update(headers)
    return response


def notice() -> None:
    """The notice itself, both languages (the page cannot know the reader's choice without the database)."""
    with ui.card().classes("w-full max-w-lg mx-auto mt-8 items-center text-center gap-2").mark("database-unavailable"):
        ui.icon("cloud_off").classes("text-5xl text-negative")
        for lang in ("vi", "en"):
            ui.label(t(N_("Cơ sở dữ liệu tạm thời không truy cập được"), lang)).classes("text-xl font-bold")
            ui.label(t(N_("Hệ thống sẽ tự kết nối lại. Vui lòng tải lại trang sau ít phút."), lang))


def _notify_unavailable(exc: Exception) -> None:
    """An action on an open page met the outage: tell the person (NiceGUI logs the exception)."""
    if not is_database_unavailable(exc):
        return
    try:
        client = ui.context.client
    except RuntimeError:  # not in a page (a background task): the log is all there is
        return
    now = time.monotonic()
    if now - client.storage.get(_NOTIFIED_KEY, -NOTIFY_EVERY_S) < NOTIFY_EVERY_S:
        return
    client.storage[_NOTIFIED_KEY] = now
    title = N_("Cơ sở dữ liệu tạm thời không truy cập được")
    ui.notify(
        f"{t(title, 'vi')}. {t(title, 'en')}.",
        type="negative",
        position="top",
    )
