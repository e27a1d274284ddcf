"""The speaker's timer on the tablet page (issue 17 item 3): the time left of whoever has the floor, counted down
each second on the page from the floor's stored start and limit (hub.meetings.speaker_timer) — amber in the last
3 minutes (the council's alert), red once over — and the chair's controls: the minutes given with the floor
(default [meetings] speaker_minutes) and adding minutes to the current turn.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from nicegui import ui

from hub.meetings.speaker_timer import MAX_FLOOR_MINUTES

if TYPE_CHECKING:
    from ui.pages.meetings.tablet import Tablet

ALERT = timedelta(minutes=3)
EXTRA = (1, 3)  # the chair's "add minutes" buttons


def left_of(speaking: dict[str, Any], now: datetime) -> timedelta | None:
    """The time left of a turn (negative: over), None without a limit."""
    if speaking.get("limit_minutes") is None or speaking.get("speaking_at") is None:
        return None
    return speaking["speaking_at"] + timedelta(minutes=speaking["limit_minutes"]) - now


def clock_text(left: timedelta) -> str:
    seconds = abs(int(left.total_seconds()))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def countdown(tb: Tablet, speaking: dict[str, Any]) -> None:
    """The time left of the current turn, redrawn every second."""
    _ = tb.t
    label = ui.label().classes("text-2xl font-mono font-bold").mark("mtg-speaker-timer")

    def tick() -> None:
        left = left_of(speaking, tb.svc.now())
        if left is None:
            label.set_visibility(False)
            return
        if left.total_seconds() < 0:
            text, colour = _("Quá giờ {time}").format(time=clock_text(left)), "text-negative"
        elif left <= ALERT:
            text, colour = _("Sắp hết giờ — còn {time}").format(time=clock_text(left)), "text-warning"
        else:
            text, colour = _("Còn lại {time}").format(time=clock_text(left)), "text-positive"
        label.set_text(text)
        label.classes(remove="text-negative text-warning text-positive", add=colour)

    tick()
    ui.timer(1.0, tick)


def chair_extend(tb: Tablet) -> None:
    """The chair's buttons adding minutes to the current turn."""
    _ = tb.t
    with ui.row().classes("gap-1"):
        for n in EXTRA:
            ui.button(_("Thêm {n} phút").format(n=n), icon="more_time",
                      on_click=lambda n=n: tb.act(lambda: tb.svc.extend_floor(tb.ctx.principal, tb.ctx.actor(),
                                                                            tb.mid, n))).props(
                "flat dense"
            ).mark(f"mtg-extend-{n}")  # fmt: skip


def chair_minutes(tb: Tablet) -> None:
    """The minutes the chair gives with the floor (kept on the page across redraws)."""
    _ = tb.t
    box = ui.number(_("Thời gian phát biểu (phút)"), value=tb.floor_minutes, min=1, max=MAX_FLOOR_MINUTES, step=1,
                    precision=0)  # fmt: skip
    box.props("outlined dense").classes("w-56").mark("mtg-floor-minutes")
    box.on_value_change(lambda e: setattr(tb, "floor_minutes", int(e.value) if e.value else None))
