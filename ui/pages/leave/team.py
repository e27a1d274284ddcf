"""The leave page's unit parts (ui.pages.leave): the team calendar of my unit by month (exportable as CSV) and,
for a manager, the backup approver while away; mixed into `LeavePage`."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from nicegui import ui

from ui.components.format import Translate
from ui.components.month_picker import MonthPicker, month_title
from ui.components.periods import Month, parse_day
from ui.components.states import empty_state
from ui.i18n import N_
from ui.pages.leave.common import DONE, REFUSALS
from ui.shell import PageContext

TEAM = N_("Lịch nghỉ của đơn vị")


class TeamCalendar:
    """The team calendar and the delegation of `LeavePage` (which sets the attributes below)."""

    ctx: PageContext
    t: Translate
    leave: Any  # hub.leave.service.LeaveService
    today: date
    me: Any
    team_area: ui.column

    # --- a backup approver ----------------------------------------------------------------------

    def delegation(self) -> None:
        t = self.t
        with ui.expansion(t(N_("Ủy quyền duyệt khi vắng")), icon="swap_horiz").classes("w-full").mark("leave-delegate"):
            backup = (
                ui.input(t(N_("Tài khoản người được ủy quyền")))
                .props("maxlength=64")
                .classes("w-full")
                .mark("leave-backup")
            )
            with ui.row().classes("w-full gap-2 no-wrap"):
                first = ui.input(t(N_("Từ ngày")), value=self.today.isoformat()).props("type=date").classes("grow")
                last = ui.input(t(N_("Đến ngày")), value=self.today.isoformat()).props("type=date").classes("grow")
            problem = ui.label("").classes("text-negative").mark("leave-delegate-error")

            def save() -> None:
                start, end = parse_day(first.value or ""), parse_day(last.value or "")
                if start is None or end is None:
                    problem.text = t(N_("Chọn ngày để xem số ngày làm việc"))
                    return
                try:
                    self.leave.delegate(
                        self.ctx.principal, self.ctx.principal.username, (backup.value or "").strip(), start, end
                    )
                except REFUSALS as exc:
                    problem.text = str(exc)
                    return
                problem.text = ""
                ui.notify(t(DONE), type="positive")

            ui.button(t(N_("Ủy quyền")), on_click=save).props("unelevated").mark("leave-delegate-save")

    # --- the team calendar ----------------------------------------------------------------------

    def team_unit(self) -> str | None:
        if self.me is not None:
            return self.me.unit_code
        return None

    def team(self, month: Month | None = None) -> None:
        self.month = month or getattr(self, "month", None) or Month.of(self.today)
        unit = self.team_unit()
        self.team_area.clear()
        if unit is None:
            return
        try:
            cal = self.leave.team_calendar(self.ctx.principal, unit, self.month.year, self.month.month)
        except REFUSALS:
            return
        t = self.t
        with self.team_area:
            with ui.row().classes("w-full items-center justify-between"):
                ui.label(f"{t(TEAM)} · {cal.unit_name}").classes("text-lg font-bold")
                MonthPicker(t, self.month, lambda m: self.team(m), marker="leave-month")
            away = [r for r in cal.rows if any(r.cells)]
            if not away:
                empty_state(t(N_("Không ai nghỉ trong tháng.")), icon="event_available", marker="leave-team-none")
                return
            columns = [{"name": "name", "label": t(N_("Họ tên")), "field": "name", "align": "left"}] + [
                {"name": f"d{d.day}", "label": str(d.day), "field": f"d{d.day}"} for d in cal.days
            ]
            rows = [
                {"name": r.full_name} | {f"d{d.day}": c for d, c in zip(cal.days, r.cells, strict=True)} for r in away
            ]
            ui.table(columns=columns, rows=rows, row_key="name").props("dense flat bordered").classes(
                "w-full overflow-x-auto"
            ).mark("leave-team")
            ui.label(
                t(
                    N_(
                        "P phép · Ô ốm · TS thai sản · R việc riêng · KL không lương · H học "
                        "tập · CT công tác · ? chờ duyệt · ½ nửa ngày"
                    )
                )
            ).classes("text-xs text-grey-7")

            def export() -> None:
                out = io.StringIO()
                writer = csv.writer(out)
                writer.writerow([t(N_("Họ tên")), *(d.isoformat() for d in cal.days)])
                for r in cal.rows:
                    writer.writerow([r.full_name, *r.cells])
                ui.download(
                    out.getvalue().encode("utf-8-sig"),
                    f"lich-nghi-{cal.unit_code}-{self.month.year}-{self.month.month:02d}.csv",
                )

            ui.button(t(N_("Tải CSV")), icon="download", on_click=export).props("flat").mark("leave-export")
            ui.label(month_title(t, self.month)).classes("hidden")
