"""The manager's correction form on a person's month: which day, the status and/or the real times,
and the reason (required). The correction is appended with its author; no event is changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time

from nicegui import ui
from pydantic import ValidationError

from hub.accounts.models import AccessDenied
from hub.input_errors import said
from hub.timekeeping.engine import DayResult, DayStatus
from hub.timekeeping.service import InvalidCorrection
from ui.components.format import LOCAL_TZ
from ui.components.periods import today_local
from ui.i18n import N_
from ui.pages.attendance.scope import CORRECTABLE
from ui.pages.attendance.texts import status_label, status_text, weekday
from ui.shell import PageContext

NOT_SAVED = N_("Chưa lưu")

#: days a correction cannot be about (nobody was expected at work)
NOT_CORRECTABLE = (DayStatus.NOT_EMPLOYED, DayStatus.HOLIDAY, DayStatus.DAY_OFF)


def local_instant(day: date, text: str) -> datetime | None:
    """'08:05' on `day` in Asia/Ho_Chi_Minh, as an aware UTC datetime; None for ''; ValueError when malformed."""
    text = (text or "").strip()
    if not text:
        return None
    return datetime.combine(day, time.fromisoformat(text), LOCAL_TZ).astimezone(UTC)


def correction_form(ctx: PageContext, employee_code: str, days: Sequence[DayResult], saved: Callable[[], None]) -> None:
    """Only days that are over and on which the person was expected can be chosen; `saved()` redraws the month."""
    t = ctx.t
    today = today_local(ctx.services)
    choosable = {
        r.day.isoformat(): f"{weekday(t, r.day)} {r.day:%d/%m/%Y} — {status_text(t, r)}"
        for r in days
        if r.day <= today and r.status not in NOT_CORRECTABLE
    }
    if not choosable:
        return
    with ui.card().classes("w-full max-w-xl mt-4").mark("correction-form"):
        ui.label(t(N_("Điều chỉnh chấm công"))).classes("text-lg font-bold")
        day_select = ui.select(choosable, label=t(N_("Ngày")), value=next(reversed(choosable))).classes("w-full")
        day_select.mark("correction-day")
        statuses = {"": t(N_("— giữ theo giờ vào/ra —"))} | {s.value: status_label(t, s) for s in CORRECTABLE}
        status_select = ui.select(statuses, label=t(N_("Trạng thái")), value="").classes("w-full")
        status_select.mark("correction-status")
        with ui.row().classes("w-full gap-4"):
            first_in = ui.input(t(N_("Giờ vào")), placeholder="08:00").props("mask=##:## dense")
            first_in.mark("correction-first-in")
            last_out = ui.input(t(N_("Giờ ra")), placeholder="17:00").props("mask=##:## dense")
            last_out.mark("correction-last-out")
        reason = ui.textarea(t(N_("Lý do"))).classes("w-full").props("autogrow maxlength=1000")
        reason.mark("correction-reason")
        problem = ui.label().classes("text-negative").mark("correction-problem")

        def refused(text: str) -> None:
            problem.text = text
            ui.notify(f"{t(NOT_SAVED)}: {text}", type="negative")

        def save() -> None:
            day = date.fromisoformat(day_select.value)
            try:
                arrival, departure = local_instant(day, first_in.value), local_instant(day, last_out.value)
            except ValueError:
                problem.text = t(N_("Giờ không hợp lệ (HH:MM)"))
                return
            try:
                ctx.services.timekeeping.record_correction(  # checks timekeeping.correct
                    ctx.principal,
                    employee_code,
                    day=day,
                    reason=reason.value or "",
                    status=DayStatus(status_select.value) if status_select.value else None,
                    first_in=arrival,
                    last_out=departure,
                )
            except ValidationError as exc:
                refused(said(exc.errors(include_url=False), ctx.lang))  # the rule, not the input
                return
            except (InvalidCorrection, AccessDenied) as exc:  # the rule book's refusal (own day) too
                refused(str(exc))
                return
            ui.notify(t(N_("Đã lưu điều chỉnh")), type="positive")
            saved()

        ui.button(t(N_("Lưu điều chỉnh")), on_click=save).props("color=primary").mark("correction-save")
