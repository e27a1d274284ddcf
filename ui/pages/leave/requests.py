"""The leave page's lists (ui.pages.leave): the requests waiting for my decision, with the approver's buttons,
and my own requests, with their permits and a cancel button; mixed into `LeavePage`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from nicegui import ui

from hub.leave.models import LeaveRequest, Status
from ui.components.format import Translate, local_date
from ui.components.states import empty_state
from ui.i18n import N_
from ui.pages.leave.common import DECISION_BUTTONS, DONE, REFUSALS, STATUS_TEXTS, SUBSTITUTE, WORKING_DAYS
from ui.shell import PageContext


class RequestLists:
    """The lists of requests of `LeavePage` (which sets the attributes below and draws the areas)."""

    ctx: PageContext
    t: Translate
    leave: Any  # hub.leave.service.LeaveService
    today: date
    me: Any
    inbox_area: ui.column
    mine_area: ui.column

    # the page's own, and the team calendar's (ui.pages.leave.team), which these lists call
    name: Callable[[str], str]
    refresh: Callable[[], None]
    team: Callable[[], None]

    # --- the lists ----------------------------------------------------------------------------------

    def request_card(self, r: LeaveRequest, *, mine: bool) -> None:
        t = self.t
        with ui.card().classes("w-full").mark(f"leave-request-{r.id}"):
            with ui.row().classes("w-full items-center justify-between"):
                who = self.name(r.leave_type) if mine else f"{r.full_name} · {self.name(r.leave_type)}"
                ui.label(who).classes("font-bold")
                ui.badge(t(STATUS_TEXTS[r.status])).mark(f"leave-status-{r.id}")
            span = f"{local_date(r.first_day)}" + (f" – {local_date(r.last_day)}" if r.last_day != r.first_day else "")
            ui.label(f"{span} · {t(WORKING_DAYS).format(days=f'{r.working_days:g}')}").classes("text-sm")
            if r.reason:
                ui.label(r.reason).classes("text-sm text-grey-8")
            if r.substitute_name:
                ui.label(f"{t(SUBSTITUTE)}: {r.substitute_name}").classes("text-sm text-grey-8")
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
        ui.notify(self.t(DONE), type="positive")
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
