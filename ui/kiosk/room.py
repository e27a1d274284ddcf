"""The meeting-room display (màn hình phòng họp): a placeholder until the meetings module exists.

Served by the hub at `/kiosk/room/{room_id}?key=…` with no sign-in, like the door screen: only
with the room's link (hub.kiosk.links). For now it
shows the room, a clock and the "no meeting" state; the meetings issue fills in the current and
next meeting, the agenda and check-in (fed by the retained `cces/v1/rooms/{room_id}/display`
state). It reads nothing from the database yet, so it cannot show more than a room's door sign.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from nicegui import context, run, ui

from protocol.topics import check_room_id
from ui.components.format import LOCAL_TZ
from ui.kiosk.access import admitted, refused_screen
from ui.kiosk.style import kiosk_frame
from ui.kiosk.texts import language, t

if TYPE_CHECKING:
    from hub.services import HubServices


class RoomScreen:
    def __init__(self, room_id: str, lang: str) -> None:
        self.lang = lang
        try:
            self.room_id: str | None = check_room_id(room_id)
        except ValueError:
            self.room_id = None
        with ui.column().classes("w-screen h-screen bg-slate-900 text-white p-10 gap-6 items-center justify-center"):
            self.title = ui.label().classes("text-3xl text-slate-300")
            self.room = ui.label().classes("text-6xl font-bold").mark("kiosk-room")
            self.clock = ui.label().classes("text-7xl font-mono").mark("kiosk-clock")
            self.status = ui.label().classes("text-4xl text-green-400").mark("kiosk-status")
            self.next = ui.label().classes("text-2xl text-slate-400")
            self.switch = ui.button(on_click=self.toggle_language).props("flat color=white")
        self.render()

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "vi" else "vi"
        self.render()

    def render(self) -> None:
        lang = self.lang
        self.switch.set_text("English" if lang == "vi" else "Tiếng Việt")
        self.clock.set_text(datetime.now(LOCAL_TZ).strftime("%H:%M"))
        if self.room_id is None:
            self.title.set_text("")
            self.room.set_text(t("kiosk_bad_room", lang))
            self.status.set_text("")
            self.next.set_text("")
            return
        self.title.set_text(t("kiosk_room", lang))
        self.room.set_text(self.room_id)
        self.status.set_text(t("kiosk_no_meeting", lang))
        self.next.set_text(t("kiosk_next_none", lang))


def register(services: HubServices, *, recheck_s: float = 10.0) -> None:
    from hub.kiosk.models import KioskKind  # (the hub process only)

    @ui.page("/kiosk/room/{room_id}")
    async def room_display(room_id: str, lang: str | None = None, key: str | None = None) -> None:
        """Only with the room's link (`?key=…`), re-checked every `recheck_s`: a revoked link blanks it."""
        ui.page_title("CCES — phòng họp")
        if not await admitted(services, KioskKind.ROOM, room_id, key):
            refused_screen(language(lang))
            return
        kiosk_frame()
        screen = RoomScreen(room_id, language(lang))
        ui.timer(1.0, screen.render)

        async def recheck() -> None:
            if not await run.io_bound(services.kiosk_admits, KioskKind.ROOM, room_id, key):
                context.client.content.clear()
                with context.client.content:
                    refused_screen(screen.lang)

        ui.timer(recheck_s, recheck)
