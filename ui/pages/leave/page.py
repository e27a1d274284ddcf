"""Nghỉ phép (/leave), phone first: my balance with its explanation, the request form showing the
working days before sending, my requests, the requests waiting for my decision (approve, reject,
return with a comment), and the team calendar of my unit by month (exportable as CSV).

Everything goes through `HubServices.leave` (hub.leave.service): the same rules and refusals as the
API, said in Vietnamese and English.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from nicegui import ui

from hub.accounts.models import AccessDenied
from hub.accounts.principal import Role
from hub.leave import access as leave_access
from hub.leave.days import InvalidPeriod, Part
from hub.leave.models import LeaveError, LeaveRequest, LeaveType, Status
from hub.leave.travel import MAX_TRAVEL_DAYS
from hub.people.service import UnknownEmployee, UnknownUnit
from hub.services import HubServices
from ui.components.format import local_date
from ui.components.month_picker import MonthPicker, month_title
from ui.components.periods import Month, parse_day, today_local
from ui.components.states import empty_state
from ui.i18n import N_, register_texts
from ui.shell import PageContext, module_page

#: the approver's three buttons: the decision sent to the service, its label, its colour
DECISION_BUTTONS = (
    ("approve", N_("Duyệt"), "positive"),
    ("return", N_("Trả lại"), "warning"),
    ("reject", N_("Từ chối"), "negative"),
)

register_texts(
    {
        "leave": {"vi": "Nghỉ phép", "en": "Leave"},
        "leave.part.full": {"vi": "Cả ngày", "en": "Whole day"},
        "leave.part.morning": {"vi": "Buổi sáng", "en": "Morning"},
        "leave.part.afternoon": {"vi": "Buổi chiều", "en": "Afternoon"},
        "leave.substitute": {"vi": "Người thay thế", "en": "Substitute"},
        "leave.days": {"vi": "{days} ngày làm việc", "en": "{days} working days"},
        "leave.inbox_none": {"vi": "Không có đơn nào chờ duyệt.", "en": "Nothing to decide."},
        "leave.done": {"vi": "Đã ghi nhận", "en": "Done"},
        "leave.team": {"vi": "Lịch nghỉ của đơn vị", "en": "Team calendar"},
        "leave.status.draft": {"vi": "Nháp", "en": "Draft"},
        "leave.status.pending": {"vi": "Chờ duyệt", "en": "Waiting for approval"},
        "leave.status.returned": {"vi": "Bị trả lại", "en": "Returned for changes"},
        "leave.status.approved": {"vi": "Đã duyệt", "en": "Approved"},
        "leave.status.rejected": {"vi": "Từ chối", "en": "Rejected"},
        "leave.status.cancelled": {"vi": "Đã hủy", "en": "Cancelled"},
    }
)

REFUSALS = (LeaveError, InvalidPeriod, AccessDenied, UnknownEmployee, UnknownUnit)


def type_name(kind: LeaveType | None, code: str, lang: str) -> str:
    if kind is None:
        return code
    return kind.name_vi if lang == "vi" else kind.name_en


def register(services: HubServices) -> None:
    @module_page("/leave", text_key="leave", icon="beach_access", action=leave_access.REQUEST, order=30)
    def leave_page(ctx: PageContext, request: int | None = None) -> None:
        LeavePage(ctx).draw()


class LeavePage:
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
        parts = {p.value: t(f"leave.part.{p.value}") for p in Part}
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
            self.substitute = ui.select({"": t(N_("(không)"))} | people, value="", label=t("leave.substitute"))
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
        self.count.text = self.t("leave.days").format(days=f"{p.count.working_days:g}")
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

    # --- lists ----------------------------------------------------------------------------------

    def request_card(self, r: LeaveRequest, *, mine: bool) -> None:
        t = self.t
        with ui.card().classes("w-full").mark(f"leave-request-{r.id}"):
            with ui.row().classes("w-full items-center justify-between"):
                who = self.name(r.leave_type) if mine else f"{r.full_name} · {self.name(r.leave_type)}"
                ui.label(who).classes("font-bold")
                ui.badge(t(f"leave.status.{r.status.value}")).mark(f"leave-status-{r.id}")
            span = f"{local_date(r.first_day)}" + (f" – {local_date(r.last_day)}" if r.last_day != r.first_day else "")
            ui.label(f"{span} · {t('leave.days').format(days=f'{r.working_days:g}')}").classes("text-sm")
            if r.reason:
                ui.label(r.reason).classes("text-sm text-grey-8")
            if r.substitute_name:
                ui.label(f"{t('leave.substitute')}: {r.substitute_name}").classes("text-sm text-grey-8")
            decided = next((s for s in reversed(r.steps) if s.comment and s.decided_at), None)
            if decided is not None and r.status in (Status.RETURNED, Status.REJECTED):
                ui.label(
                    t(N_("Ý kiến của {who}: {comment}")).format(who=decided.approver, comment=decided.comment)
                ).classes("text-sm text-negative").mark(f"leave-decision-{r.id}")
            if r.permit_number:
                ui.button(
                    t(N_("Giấy nghỉ phép số {number}")).format(number=r.permit_number), icon="picture_as_pdf",
                    on_click=lambda r=r: self.download_permit(r.id),
                ).props("flat dense").mark(f"leave-permit-{r.id}")  # fmt: skip
            elif r.permit_due and r.status is Status.APPROVED:
                ui.label(t(N_("Giấy nghỉ phép: đang chờ cấp số"))).classes("text-xs text-grey-7")
            step = r.current_step
            if mine:
                if r.status is Status.PENDING or (r.status is Status.APPROVED and r.first_day > self.today):
                    cancel = ui.button(t(N_("Hủy đơn")), on_click=lambda r=r: self.cancel(r.id))
                    cancel.props("flat dense color=negative").mark(f"leave-cancel-{r.id}")
                return
            if step and step.acting_for:
                ui.label(t(N_("thay {name}")).format(name=step.acting_for)).classes("text-xs text-grey-7")
            comment = ui.input(t(N_("Ý kiến"))).props("maxlength=1000").classes("w-full").mark(f"leave-comment-{r.id}")
            with ui.row().classes("w-full gap-2"):
                for decision, label, colour in DECISION_BUTTONS:
                    ui.button(
                        t(label),
                        on_click=lambda d=decision, r=r, c=comment: self.act(
                            lambda: self.leave.decide(self.ctx.principal, r.id, d, (c.value or "").strip() or None)
                        ),
                    ).props(f"unelevated color={colour}").classes("grow").mark(f"leave-{decision}-{r.id}")

    def download_permit(self, request_id: int) -> None:
        try:
            found = self.leave.permit_pdf(self.ctx.principal, request_id)
        except REFUSALS as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        ui.download(found.content, found.filename, media_type=found.media_type)

    def cancel(self, request_id: int) -> None:
        self.act(lambda: self.leave.cancel(self.ctx.principal, request_id))

    def act(self, action: Any) -> None:
        try:
            action()
        except REFUSALS as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        ui.notify(self.t("leave.done"), type="positive")
        self.refresh()
        self.team()

    def draw_inbox(self) -> None:
        self.inbox_area.clear()
        waiting = self.leave.inbox(self.ctx.principal)
        if not waiting:
            return
        with self.inbox_area:
            ui.label(self.t(N_("Chờ tôi duyệt"))).classes("text-lg font-bold").mark("leave-inbox")
            for r in waiting:
                self.request_card(r, mine=False)

    def draw_mine(self) -> None:
        self.mine_area.clear()
        if self.me is None:
            return
        with self.mine_area:
            ui.label(self.t(N_("Đơn của tôi"))).classes("text-lg font-bold")
            found = self.leave.requests_of(self.ctx.principal, self.me.code, limit=30)
            if not found:
                empty_state(self.t(N_("Chưa có đơn nào.")), marker="leave-mine-none")
            for r in found:
                self.request_card(r, mine=True)

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
                ui.notify(t("leave.done"), type="positive")

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
                ui.label(f"{t('leave.team')} · {cal.unit_name}").classes("text-lg font-bold")
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
