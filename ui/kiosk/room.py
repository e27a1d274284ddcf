"""The meeting-room display (màn hình phòng họp) served by the hub, for a screen that is only a browser.

Served at `/kiosk/room/{room_id}?key=…` with no sign-in, like the door screen: only with the room's link
(hub.kiosk.links), re-checked every `recheck_s`. It draws the room's `RoomDisplayState` — the same state the
hub publishes retained on `cces/v1/rooms/{room_id}/display` to the agents' displays and answers at
`GET /api/v1/rooms/{room_id}/display` (`services.displays.room_state`, from the meetings service): the colour
(free / busy / starting soon), the meeting on now and the next one, the current agenda item and speaker (with
the chair's timer), vote results once shown, the check-in QR. Re-read every `reread_s`; when the read fails
(the database is down) the last state stays on screen under a notice. Vietnamese first, English one tap away.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from nicegui import context, run, ui

from protocol.display import MeetingShown, RoomDisplayState
from protocol.topics import check_room_id
from ui.components.format import LOCAL_TZ
from ui.kiosk import texts
from ui.kiosk.access import admitted, refused_screen
from ui.kiosk.style import kiosk_frame
from ui.kiosk.texts import language, t

if TYPE_CHECKING:
    from hub.services import HubServices

COLOURS = {"free": "bg-green-700", "busy": "bg-red-700", "starting_soon": "bg-amber-700"}


def _hm(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%H:%M")


def _when(meeting: MeetingShown) -> str:
    day = meeting.start.astimezone(LOCAL_TZ).date()
    text = f"{_hm(meeting.start)}–{_hm(meeting.end)}"
    return text if day == datetime.now(LOCAL_TZ).date() else f"{text}  {day:%d/%m}"


class RoomScreen:
    def __init__(self, services: HubServices | None, room_id: str, lang: str) -> None:
        self.services = services
        self.lang = lang
        self.state: RoomDisplayState | None = None
        self.error: str | None = None  # "unknown", "unavailable"
        self._qr: str | None = None
        try:
            self.room_id: str | None = check_room_id(room_id)
        except ValueError:
            self.room_id = None
        with ui.column().classes("w-screen h-screen bg-slate-900 text-white p-8 gap-4 no-wrap"):
            with ui.row().classes("w-full items-center justify-between no-wrap"):
                with ui.column().classes("gap-0"):
                    self.title = ui.label().classes("text-2xl text-slate-400")
                    self.room = ui.label().classes("text-5xl font-bold").mark("kiosk-room")
                with ui.row().classes("items-center gap-4 no-wrap"):
                    self.clock = ui.label().classes("text-5xl font-mono").mark("kiosk-clock")
                    self.switch = ui.button(on_click=self.toggle_language).props("flat color=white")
            self.notice = (
                ui.label().classes("text-2xl text-slate-900 bg-amber-400 px-4 py-2 rounded").mark("kiosk-notice")
            )
            self.status = (
                ui.label().classes("w-full text-6xl font-bold text-center py-4 rounded-xl").mark("kiosk-status")
            )
            with ui.row().classes("w-full grow no-wrap gap-8"):
                with ui.column().classes("grow gap-4"):
                    self.meeting = ui.label().classes("text-5xl font-bold").mark("kiosk-meeting")
                    self.meeting_time = ui.label().classes("text-3xl text-slate-300")
                    self.chair = ui.label().classes("text-3xl text-slate-300").mark("kiosk-chair")
                    self.agenda = ui.label().classes("text-3xl bg-slate-800 rounded-xl p-4").mark("kiosk-agenda")
                    self.speaker = ui.label().classes("text-3xl bg-slate-800 rounded-xl p-4").mark("kiosk-speaker")
                    self.vote = ui.label().classes("text-3xl bg-slate-800 rounded-xl p-4").mark("kiosk-vote")
                    self.next = ui.label().classes("text-2xl text-slate-300").mark("kiosk-next")
                with ui.column().classes("items-center gap-2"):
                    self.qr = ui.html("").mark("kiosk-qr")
                    self.qr_label = ui.label().classes("text-2xl text-slate-300")
        self.render()

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "vi" else "vi"
        self.render()

    async def refresh(self) -> None:
        if self.room_id is None or self.services is None:
            return
        from hub.displays.models import UnknownRoom  # (the hub process only)

        try:
            self.state, self.error = await run.io_bound(self.services.displays.room_state, self.room_id), None
        except UnknownRoom:
            self.state, self.error = None, "unknown"
        except Exception:  # the database is down: keep the last state, say so
            self.error = "unavailable"
        self.render()

    # -- drawing ----------------------------------------------------------------------------

    def _show(self, element: ui.label, text: str | None) -> None:
        element.set_text(text or "")
        element.set_visibility(bool(text))

    def render(self) -> None:
        lang, state = self.lang, self.state
        self.switch.set_text("English" if lang == "vi" else "Tiếng Việt")
        self.clock.set_text(datetime.now(LOCAL_TZ).strftime("%H:%M"))
        self.title.set_text(t(texts.ROOM, lang))
        if self.room_id is None:
            self.room.set_text(t(texts.BAD_ROOM, lang))
        elif self.error == "unknown":
            self.room.set_text(self.room_id)
        else:
            self.room.set_text(state.room_name if state is not None else self.room_id)
        notice = None
        if self.error == "unknown":
            notice = t(texts.UNKNOWN_ROOM, lang)
        elif self.error == "unavailable":
            notice = t(texts.ROOM_UNAVAILABLE, lang)
        self._show(self.notice, notice)
        if state is None:
            self._show(self.status, None)
            for element in (self.meeting, self.meeting_time, self.chair, self.agenda, self.speaker, self.vote):
                self._show(element, None)
            self._show(self.next, t(texts.NO_MEETING, lang) if self.room_id and not self.error else None)
            self._draw_qr(None)
            return
        self._show(self.status, t(texts.ROOM_STATES.get(state.colour, state.colour), lang))
        self.status.classes(replace="w-full text-6xl font-bold text-center py-4 rounded-xl " + COLOURS[state.colour])
        now = state.now
        self._show(self.meeting, now.title if now else t(texts.NO_MEETING, lang))
        self._show(self.meeting_time, _when(now) if now else None)
        self._show(self.chair, f"{t(texts.ROOM_CHAIR, lang)}: {now.chair}" if now and now.chair else None)
        item = state.agenda_item
        if item is not None:
            text = f"{t(texts.ROOM_AGENDA, lang)}: {item.number + '. ' if item.number else ''}{item.title}"
            if item.presenter:
                text += f" — {t(texts.ROOM_PRESENTER, lang)}: {item.presenter}"
            self._show(self.agenda, text)
        else:
            self._show(self.agenda, None)
        self._show(self.speaker, self._speaker_text(state))
        self._show(self.vote, self._vote_text(state))
        following = state.next
        self._show(
            self.next,
            f"{t(texts.ROOM_NEXT, lang)}: {_when(following)}  {following.title}"
            + (f" — {following.chair}" if following.chair else "")
            if following
            else t(texts.NEXT_NONE, lang),
        )
        self._draw_qr(state.checkin.payload if state.checkin else None)

    def _speaker_text(self, state: RoomDisplayState) -> str | None:
        speaker, lang = state.speaker, self.lang
        if speaker is None:
            return None
        text = f"{t(texts.ROOM_SPEAKER, lang)}: {speaker.name}"
        if speaker.until is not None:
            left = round((speaker.until - datetime.now(UTC)).total_seconds())
            word = t(texts.ROOM_REMAINING if left >= 0 else texts.ROOM_OVERTIME, lang)
            text += f"  {word} {abs(left) // 60}:{abs(left) % 60:02d}"
        return text

    def _vote_text(self, state: RoomDisplayState) -> str | None:
        vote, lang = state.vote, self.lang
        if vote is None:
            return None
        head = t(texts.ROOM_VOTE, lang) + (f" ({t(texts.ROOM_SECRET, lang)})" if vote.secret else "")
        options = "   ".join(f"{o.label}: {o.count}" for o in vote.options)
        result = f"{t(texts.ROOM_CAST, lang)} {vote.cast}/{vote.voters}"
        if vote.quorum_met is False:
            result += f" — {t(texts.ROOM_NO_QUORUM, lang)}"
        elif vote.passed is not None:
            result += f" — {t(texts.ROOM_PASSED if vote.passed else texts.ROOM_REJECTED, lang)}"
        return f"{head}: {vote.title}\n{options}\n{result}"

    def _draw_qr(self, payload: str | None) -> None:
        if payload == self._qr:
            self.qr_label.set_text(t(texts.ROOM_CHECKIN, self.lang) if payload else "")
            return
        self._qr = payload
        if payload is None:
            self.qr.set_content("")
            self.qr_label.set_text("")
            return
        from ui.components.qr import qr_svg

        self.qr.set_content(qr_svg(payload, size_px=280))
        self.qr_label.set_text(t(texts.ROOM_CHECKIN, self.lang))


def register(services: HubServices, *, recheck_s: float = 10.0, reread_s: float = 2.0) -> None:
    from hub.kiosk.models import KioskKind  # (the hub process only)

    @ui.page("/kiosk/room/{room_id}")
    async def room_display(room_id: str, lang: str | None = None, key: str | None = None) -> None:
        """Only with the room's link (`?key=…`), re-checked every `recheck_s`: a revoked link blanks it."""
        ui.page_title("CCES — phòng họp")
        if not await admitted(services, KioskKind.ROOM, room_id, key):
            refused_screen(language(lang))
            return
        kiosk_frame()
        screen = RoomScreen(services, room_id, language(lang))
        ui.timer(reread_s, screen.refresh, immediate=True)
        ui.timer(1.0, screen.render)  # the clock and the speaker's timer

        async def recheck() -> None:
            if not await run.io_bound(services.kiosk.admits, KioskKind.ROOM, room_id, key):
                context.client.content.clear()
                with context.client.content:
                    refused_screen(screen.lang)

        ui.timer(recheck_s, recheck)
