"""The door terminal's greeting screen (màn hình chào ở cửa): full screen, no sign-in, no touch needed.

Left, the live camera preview with the face boxes (drawn by the agent); right, the greeting —
"Xin chào" and the person's name, the time, "Đã chấm công vào" (or "ra", from the door's
direction) — for a few seconds after each recognition, or "Không nhận diện được, vui lòng liên
hệ quản trị" for an unknown face; below, the last few check-ins at this door. Vietnamese first,
English one tap away (or `?lang=en`).

One page, two feeds (`ui.kiosk.feeds`):
- on the device, `cces terminal` serves it at `/` from the local agent (`AgentFeed`): no hub is
  needed, the device recognises and names people itself;
- the hub serves it at `/kiosk/terminal/{device_id}` from its records (`HubDoorFeed`): a thin
  client by the door shows the same greetings, without the preview (frames never leave the device).
Neither shows more than the door's own screen does: names and times of the last few people at
that door.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from fastapi import Response
from nicegui import app, context, ui

from protocol.terminal import Greeting, TerminalState
from ui.components.format import LOCAL_TZ
from ui.kiosk import texts
from ui.kiosk.access import admitted, refused_screen
from ui.kiosk.feeds import AgentFeed, FeedError, HubDoorFeed, ScreenRefused, TerminalFeed
from ui.kiosk.style import kiosk_frame
from ui.kiosk.texts import checked_text, language, t

if TYPE_CHECKING:
    from hub.services import HubServices

RECENT_SHOWN = 5


class TerminalScreen:
    """The page's elements and the one refresh that updates them from the feed's state."""

    def __init__(self, feed: TerminalFeed, lang: str) -> None:
        self.feed = feed
        self.lang = lang
        self.state: TerminalState | None = None
        self.error: str | None = None
        self._shown_frame = 0
        self._recent_key: tuple[str, tuple[int, ...]] | None = None
        kiosk_frame()
        with ui.column().classes("w-screen h-screen bg-slate-900 text-white p-6 gap-4 no-wrap"):
            with ui.row().classes("w-full items-center justify-between no-wrap"):
                self.door = ui.label().classes("text-xl text-slate-300").mark("kiosk-door")
                self.link = ui.label().classes("text-lg").mark("kiosk-link")
                with ui.row().classes("items-center gap-4 no-wrap"):
                    self.clock = ui.label().classes("text-3xl font-mono").mark("kiosk-clock")
                    self.switch = ui.button(on_click=self.toggle_language).props("flat color=white")
            with ui.column().classes("w-full bg-red-700 rounded-lg p-4 gap-1").mark("kiosk-notice") as self.notice:
                self.notice_title = ui.label().classes("text-4xl font-bold").mark("kiosk-notice-title")
                self.notice_text = ui.label().classes("text-2xl")
            self.notice.set_visibility(False)
            with ui.row().classes("w-full grow no-wrap gap-6"):
                self.preview_box = ui.column().classes("w-3/5 h-full items-center justify-center")
                with self.preview_box:
                    self.preview = ui.interactive_image().classes("w-full rounded-lg").mark("kiosk-preview")
                    self.preview_note = ui.label().classes("text-2xl text-slate-400")
                if feed.frame_path is None:
                    self.preview_box.set_visibility(False)
                with ui.column().classes("grow h-full items-center justify-center text-center gap-3"):
                    self.hello = ui.label().classes("text-3xl text-slate-300")
                    self.name = ui.label().classes("text-6xl font-bold").mark("kiosk-name")
                    self.time = ui.label().classes("text-5xl font-mono").mark("kiosk-time")
                    self.message = ui.label().classes("text-4xl font-semibold").mark("kiosk-message")
            with ui.column().classes("w-full gap-1"):
                self.recent_title = ui.label().classes("text-xl text-slate-400")
                self.recent = ui.row().classes("w-full gap-6 text-2xl").mark("kiosk-recent")
        self.render()

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "vi" else "vi"
        self.render()

    async def refresh(self) -> None:
        try:
            self.state, self.error = await self.feed.state(), None
        except FeedError as exc:
            self.error = str(exc)
        except LookupError:
            self.state, self.error = None, "unknown-device"
        except ScreenRefused:
            self.state, self.error = None, "refused"
        self.render()

    # -- drawing ----------------------------------------------------------------------------

    def render(self) -> None:
        lang, state = self.lang, self.state
        self.switch.set_text("English" if lang == "vi" else "Tiếng Việt")
        now = state.ts if state is not None else None
        self.clock.set_text((now.astimezone(LOCAL_TZ) if now else _now()).strftime("%H:%M:%S  %d/%m/%Y"))
        self.door.set_text((state.device_id or "") if state is not None else "")
        self._render_link()
        self._render_preview()
        greeting = state.showing() if state is not None and self.error is None else None
        self._render_greeting(greeting)
        self._render_recent()
        self._render_notice()

    def _render_notice(self) -> None:
        """The hub's alert (a door portal's: an asset leaving without a movement), while it holds."""
        state = self.state
        notice = state.notice if state is not None and self.error is None else None
        if notice is not None and notice.until <= state.ts:  # type: ignore[union-attr]
            notice = None
        self.notice.set_visibility(notice is not None)
        if notice is not None:
            en = self.lang == "en" and notice.title_en
            self.notice_title.set_text(notice.title_en if en else notice.title_vi)
            self.notice_text.set_text((notice.text_en or notice.text_vi) if en else notice.text_vi)

    def _render_link(self) -> None:
        state, lang = self.state, self.lang
        if self.error is not None:
            self.link.set_text("")
        elif state is None or state.hub_link == "unknown":
            self.link.set_text("")
        elif state.source == "agent":
            online = state.hub_link == "online"
            self.link.set_text(t(texts.HUB_ONLINE if online else texts.HUB_OFFLINE, lang))
            self.link.classes(replace="text-lg " + ("text-green-400" if online else "text-amber-400"))
        else:
            online = state.hub_link == "online"
            self.link.set_text(t(texts.DOOR_ONLINE if online else texts.DOOR_OFFLINE, lang))
            self.link.classes(replace="text-lg " + ("text-green-400" if online else "text-amber-400"))

    def _render_preview(self) -> None:
        if self.feed.frame_path is None:
            return
        state = self.state
        if self.error is not None or state is None or state.frame == 0:
            self.preview.set_visibility(False)
            self.preview_note.set_text(t(texts.NO_FEED if self.error else texts.NO_CAMERA, self.lang))
            return
        self.preview.set_visibility(True)
        self.preview_note.set_text(t(texts.CAMERA_RECONNECTING, self.lang) if state.camera == "reconnecting" else "")
        if state.frame != self._shown_frame:
            self._shown_frame = state.frame
            self.preview.set_source(f"{self.feed.frame_path}?n={state.frame}")

    def _render_greeting(self, greeting: Greeting | None) -> None:
        lang = self.lang
        if self.error == "unknown-device":
            self._greeting_texts("", t(texts.UNKNOWN_DEVICE, lang), "", "", "text-amber-400")
        elif self.error == "refused":
            self._greeting_texts("", "", "", t(texts.REFUSED, lang), "text-amber-400")
        elif self.error is not None:
            self._greeting_texts("", "", "", t(texts.NO_FEED, lang), "text-amber-400")
        elif greeting is None:
            self._greeting_texts("", "", "", t(texts.LOOK, lang), "text-slate-300")
        elif greeting.kind == "unknown":
            self._greeting_texts("", "", _hhmmss(greeting), t(texts.UNKNOWN, lang), "text-red-400")
        else:
            name = greeting.display_name or t(texts.UNKNOWN_PERSON, lang)
            direction = greeting.direction or (self.state.direction if self.state else None)
            message = checked_text(direction, lang)
            self._greeting_texts(t(texts.HELLO, lang), name, _hhmmss(greeting), message, "text-green-400")

    def _greeting_texts(self, hello: str, name: str, time: str, message: str, colour: str) -> None:
        self.hello.set_text(hello)
        self.name.set_text(name)
        self.time.set_text(time)
        self.message.set_text(message)
        self.message.classes(replace="text-4xl font-semibold " + colour)

    def _render_recent(self) -> None:
        state = self.state
        people: list[Greeting] = []
        for greeting in state.recent if state is not None and self.error is None else []:
            if greeting.kind == "recognised" and all(g.person_id != greeting.person_id for g in people):
                people.append(greeting)  # each person once, at their latest greeting
        people = people[:RECENT_SHOWN]
        key = (self.lang, tuple(g.seq for g in people))
        if key == self._recent_key:
            return  # unchanged: do not rebuild the strip five times a second
        self._recent_key = key
        self.recent_title.set_text(t(texts.RECENT, self.lang) if people else "")
        self.recent.clear()
        with self.recent:
            for greeting in people:
                ui.label(f"{_hhmm(greeting)}  {greeting.display_name}").classes("text-slate-200")


def _now() -> datetime:
    return datetime.now(LOCAL_TZ)


def _hhmmss(greeting: Greeting) -> str:
    return greeting.ts.astimezone(LOCAL_TZ).strftime("%H:%M:%S")


def _hhmm(greeting: Greeting) -> str:
    return greeting.ts.astimezone(LOCAL_TZ).strftime("%H:%M")


def terminal_page(feed: TerminalFeed, lang: str | None) -> TerminalScreen:
    """Draw the screen into the current page and keep it refreshed from `feed`."""
    screen = TerminalScreen(feed, language(lang))
    ui.timer(feed.poll_s, screen.refresh, immediate=True)
    return screen


# -- the two places it is served --------------------------------------------------------------


def register_standalone(agent_url: str) -> AgentFeed:
    """The device's own screen at `/`, fed by its local agent (`cces terminal`)."""
    feed = AgentFeed(agent_url)

    @ui.page("/")
    def door_screen(lang: str | None = None) -> None:
        ui.page_title("CCES — chấm công")
        terminal_page(feed, lang)

    @app.get(AgentFeed.frame_path, include_in_schema=False)
    async def agent_frame() -> Response:
        """The agent's preview JPEG, relayed: the agent stays bound to 127.0.0.1 even for a remote browser."""
        fetched = await feed.frame()
        if fetched is None:
            return Response(status_code=503, content=b"agent unreachable", media_type="text/plain")
        status, body = fetched
        media = "image/jpeg" if status == 200 else "application/json"
        return Response(status_code=status, content=body, media_type=media, headers={"Cache-Control": "no-store"})

    app.on_shutdown(feed.aclose)
    return feed


def register_hub(services: HubServices, *, reread_s: float = 3.0) -> None:
    """The hub-served screen of one door: `/kiosk/terminal/{device_id}` (no sign-in, no preview)."""

    from hub.kiosk.models import KioskKind  # (the hub process only)

    @ui.page("/kiosk/terminal/{device_id}")
    async def hub_door_screen(device_id: str, lang: str | None = None, key: str | None = None) -> None:
        """Only with the screen's link (`?key=…`, from the kiosk links page); otherwise 403, nothing of the door."""
        ui.page_title("CCES — chấm công")
        if not await admitted(services, KioskKind.TERMINAL, device_id, key):
            refused_screen(language(lang))
            return
        feed = HubDoorFeed(services, device_id, key=key, reread_s=reread_s)
        context.client.on_delete(feed.close)
        terminal_page(feed, lang)
