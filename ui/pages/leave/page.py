"""The leave page itself (ui.pages.leave): my balance with its explanation and the request form showing the
working days before sending; its lists of requests (ui.pages.leave.requests) and its team calendar and backup
approver (ui.pages.leave.team) are mixed in."""

from __future__ import annotations

from datetime import date

from nicegui import ui

from hub.accounts.principal import Role
from hub.leave.days import Part
from hub.leave.travel import MAX_TRAVEL_DAYS
from ui.components.periods import parse_day, today_local
from ui.components.states import empty_state
from ui.i18n import N_
from ui.pages.leave.common import PART_TEXTS, REFUSALS, SUBSTITUTE, WORKING_DAYS, type_name
from ui.pages.leave.requests import RequestLists
from ui.pages.leave.team import TeamCalendar
from ui.shell import PageContext


class LeavePage(RequestLists, TeamCalendar):
    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.t = ctx.t
        self.leave = ctx.services.leave
        self.types = {k.code: k for k in self.leave.leave_types()}
        self.today = today_local(ctx.services)
        self.me = self.leave.me(ctx.principal)

    def name(self, code: str) -> str:
        return type_name(self.types.get(code), code, self.ctx.lang)

    def draw(self) -> None:
        with ui.column().classes("w-full max-w-screen-md gap-4"):
            self.balance_area = ui.column().classes("w-full")
            if self.me is not None:
                self.form()
            self.inbox_area = ui.column().classes("w-full")
            self.mine_area = ui.column().classes("w-full")
            self.team_area = ui.column().classes("w-full")
            if self.ctx.principal.has_role(Role.MANAGER):
                self.delegation()
        self.refresh()
        self.team()

    def refresh(self) -> None:
        self.draw_balance()
        self.draw_inbox()
        self.draw_mine()

    # --- balance --------------------------------------------------------------------------------

    def draw_balance(self) -> None:
        self.balance_area.clear()
        with self.balance_area:
            if self.me is None:
                empty_state(
                    self.t(N_("Tài khoản này chưa gắn với cán bộ nào: không có số ngày phép.")),
                    icon="person_off",
                    marker="leave-no-employee",
                )
                return
            b = self.leave.balance(self.ctx.principal, self.me.code, self.today.year, self.today)
            with ui.card().classes("w-full").mark("leave-balance"):
                ui.label(self.t(N_("Số ngày phép năm {year}")).format(year=self.today.year)).classes(
                    "text-sm text-grey-7"
                )
                ui.label(self.t(N_("Còn lại {days} ngày")).format(days=f"{b.remaining_days:g}")).classes(
                    "text-2xl font-bold text-primary"
                ).mark("leave-remaining")
                with ui.expansion(self.t(N_("Cách tính"))).classes("w-full").mark("leave-explanation"):
                    for vi, en in b.explanation:
                        ui.label(vi if self.ctx.lang == "vi" else en).classes("text-sm")

    # --- the form -------------------------------------------------------------------------------

    def form(self) -> None:
        t = self.t
        valid = {c: k for c, k in self.types.items() if k.valid_on(self.today)}
        people = {e.code: e.full_name for e in self.leave.colleagues(self.ctx.principal)}
        parts = {p.value: t(PART_TEXTS[p]) for p in Part}
        with ui.card().classes("w-full").mark("leave-form"):
            ui.label(t(N_("Xin nghỉ"))).classes("text-lg font-bold")
            self.kind = ui.select({c: self.name(c) for c in valid}, value="annual", label=t(N_("Loại nghỉ")))
            self.kind.classes("w-full").mark("leave-type")
            with ui.row().classes("w-full gap-2 no-wrap"):
                self.first = ui.input(t(N_("Từ ngày")), value=self.today.isoformat()).props("type=date")
                self.first.classes("grow").mark("leave-from")
                self.last = ui.input(t(N_("Đến ngày")), value=self.today.isoformat()).props("type=date")
                self.last.classes("grow").mark("leave-to")
            with ui.row().classes("w-full gap-2 no-wrap"):
                self.first_part = ui.select(parts, value="full", label=t(N_("Ngày đầu"))).classes("grow")
                self.first_part.mark("leave-from-part")
                self.last_part = ui.select(parts, value="full", label=t(N_("Ngày cuối"))).classes("grow")
                self.last_part.mark("leave-to-part")
            self.reason = ui.textarea(t(N_("Lý do"))).props("autogrow maxlength=1000").classes("w-full")
            self.reason.mark("leave-reason")
            self.travel = ui.number(
                t(N_("Ngày đi đường, cả đi và về (đường bộ, sắt, thủy)")), value=0, min=0, max=MAX_TRAVEL_DAYS, step=0.5
            )
            self.travel.classes("w-full").mark("leave-travel")
            self.travel_note = ui.label("").classes("text-sm text-grey-7").mark("leave-travel-note")
            self.substitute = ui.select({"": t(N_("(không)"))} | people, value="", label=t(SUBSTITUTE))
            self.substitute.props("use-input").classes("w-full").mark("leave-substitute")
            self.count = (
                ui.label(t(N_("Chọn ngày để xem số ngày làm việc"))).classes("text-base font-bold").mark("leave-count")
            )
            self.skipped = ui.label("").classes("text-sm text-grey-7").mark("leave-skipped")
            self.problem = ui.label("").classes("text-negative").mark("leave-error")
            ui.button(t(N_("Gửi đơn")), icon="send", on_click=self.send).props("unelevated").classes("w-full").mark(
                "leave-send"
            )
        for field in (self.kind, self.first, self.last, self.first_part, self.last_part, self.travel):
            field.on_value_change(self.preview)
        self.preview()

    def _period(self) -> tuple[date, date, Part, Part] | None:
        first, last = parse_day(self.first.value or ""), parse_day(self.last.value or "")
        if first is None or last is None:
            return None
        return first, last, Part(self.first_part.value), Part(self.last_part.value)

    def travel_days(self) -> float:
        """The declared travel days (0 when the type adds none or the field is empty)."""
        kind = self.types.get(self.kind.value)
        if kind is None or kind.travel_days_free is None:
            return 0.0
        return float(self.travel.value or 0)

    def preview(self) -> None:
        self.problem.text = ""
        period = self._period()
        if period is None or self.me is None:
            self.count.text, self.skipped.text = self.t(N_("Chọn ngày để xem số ngày làm việc")), ""
            return
        try:
            p = self.leave.preview(self.ctx.principal, self.me.code, self.kind.value, *period, self.travel_days())
        except REFUSALS as exc:
            self.count.text, self.skipped.text, self.problem.text = "", "", str(exc)
            return
        self.travel.set_visibility(p.leave_type.travel_days_free is not None)
        note = (p.travel.note_vi if self.ctx.lang == "vi" else p.travel.note_en) if p.travel else ""
        self.travel_note.text = note
        self.count.text = self.t(WORKING_DAYS).format(days=f"{p.count.working_days:g}")
        skipped = ", ".join(f"{d.day:%d/%m}" + (f" ({d.name})" if d.name else "") for d in p.count.skipped)
        self.skipped.text = self.t(N_("không tính: {days}")).format(days=skipped) if skipped else ""

    def send(self) -> None:
        period = self._period()
        if period is None or self.me is None:
            self.problem.text = self.t(N_("Chọn ngày để xem số ngày làm việc"))
            return
        first, last, first_part, last_part = period
        try:
            made = self.leave.submit(
                self.ctx.principal, self.me.code, self.kind.value, first, last, first_part=first_part,
                last_part=last_part, reason=(self.reason.value or "").strip() or None,
                substitute_code=self.substitute.value or None, travel_days=self.travel_days(),
            )  # fmt: skip
        except REFUSALS as exc:
            self.problem.text = str(exc)
            return
        self.problem.text = ""
        ui.notify(self.t(N_("Đã gửi đơn số {id}")).format(id=made.id), type="positive")
        self.reason.value = ""
        self.refresh()
        self.team()
