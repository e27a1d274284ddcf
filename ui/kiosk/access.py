"""Who may see a hub-served kiosk screen: the holder of that screen's link (`?key=…`), nobody else.

The screens need no sign-in (a door's thin client, a room's display), so the link's key is the
authority (hub.kiosk.links). Without a live one the page answers 403 and draws only a notice,
never the door's names. Imported by the device's own terminal app too, which has no hub: the hub
is only reached through the services handed in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import context, run, ui

from ui.kiosk import texts
from ui.kiosk.style import kiosk_frame
from ui.kiosk.texts import t

if TYPE_CHECKING:
    from hub.kiosk.models import KioskKind
    from hub.services import HubServices


async def admitted(services: HubServices, kind: KioskKind, target: str, key: str | None) -> bool:
    """Whether `key` opens this screen now (the use is recorded); the look-up runs off the event loop."""
    if not key:
        return False
    return await run.io_bound(lambda: services.kiosk.admits(kind, target, key, touch=True))


def refused_screen(lang: str) -> None:
    """The whole page of a screen without a valid link, answered with HTTP 403."""
    if not context.client.has_socket_connection:
        context.client.status_code = 403
    kiosk_frame()
    with ui.column().classes("w-screen h-screen bg-slate-900 text-white p-10 items-center justify-center"):
        ui.icon("link_off").classes("text-8xl text-amber-400")
        ui.label(t(texts.REFUSED, lang)).classes("text-4xl text-center text-amber-400").mark("kiosk-refused")
