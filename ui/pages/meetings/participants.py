"""/meetings/participants?id=…: the organiser changes a meeting's participants after calling it (issue 17): the
list with each one's part and check-in, staff found by name or code (without diacritics) and added, guests added
with their organisation, and anyone not checked in removed. The chair and the secretary stay; once the meeting is
over nothing changes. Every change goes through `HubServices.meetings`, which checks meetings.organise again and
says a refusal in Vietnamese and English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from hub.domain import DomainError
from hub.meetings import access
from hub.meetings.leads import LEADS
from hub.meetings.models import PARTICIPANT_ROLE_LABELS, Participant
from hub.meetings.participants import ended
from hub.services import HubServices
from ui.components.format import local_time
from ui.components.states import empty_state, show_problem
from ui.i18n import N_
from ui.pages.meetings.texts import pick
from ui.shell import PageContext, module_page

PATH = "/meetings/participants"


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Thành phần cuộc họp"), icon="groups", action=access.ORGANISE, order=82,
                 in_nav=False)  # fmt: skip
    def participants_page(ctx: PageContext, id: str = "") -> None:  # noqa: A002 - the link's query parameter
        try:
            mid = int(id)
        except ValueError:
            show_problem(ctx.t(N_("Địa chỉ cuộc họp không hợp lệ")), marker="mtg-problem")
            return
        try:
            ctx.services.meetings.meeting_for_organiser(ctx.principal, mid)
        except DomainError as exc:
            show_problem(str(exc), marker="mtg-problem")
            return
        Roster(ctx, mid).draw()


class Roster:
    def __init__(self, ctx: PageContext, meeting_id: int) -> None:
        self.ctx, self.t, self.mid = ctx, ctx.t, meeting_id
        self.svc = ctx.services.meetings
        self.query = ""
        self.found: list[dict] = []

    def draw(self) -> None:
        self.roster()
        self.leads()
        self.adding()

    @ui.refreshable_method
    def roster(self) -> None:
        _ = self.t
        detail = self.svc.meeting(self.ctx.principal, self.mid)
        m = detail.meeting
        over = ended(m, self.svc.now())
        ui.label(m.title).classes("text-2xl font-bold").mark("mtg-title")
        ui.link(_("Về trang cuộc họp"), f"/meetings/tablet?id={self.mid}").mark("mtg-back")
        if over:
            ui.label(_("Cuộc họp đã kết thúc: không thay đổi thành phần được nữa.")).classes("text-warning").mark(
                "mtg-roster-over"
            )
        with ui.card().classes("w-full gap-1").mark("mtg-roster"):
            ui.label(_("Thành phần ({n} người)").format(n=len(detail.participants))).classes("text-lg font-bold")
            for p in detail.participants:
                self.row(p, removable=not over and p.role in ("member", "guest") and p.present_at is None)

    def row(self, p: Participant, removable: bool) -> None:
        _ = self.t
        role = pick(PARTICIPANT_ROLE_LABELS.get(p.role, (p.role, p.role)), self.ctx.lang)
        with ui.row().classes("w-full items-center gap-2 no-wrap border-b py-1").mark(f"mtg-person-{p.id}"):
            with ui.column().classes("gap-0 grow min-w-0"):
                ui.label(p.name).classes("font-medium")
                ui.label(" · ".join(x for x in (role, p.organisation) if x)).classes("text-sm text-grey-8")
            if p.present_at is not None:
                ui.label(_("Đã điểm danh {time}").format(time=local_time(p.present_at, seconds=False)[-5:])).classes(
                    "text-positive text-sm"
                )
            if removable:
                ui.button(_("Bỏ khỏi thành phần"), icon="person_remove", color="negative",
                          on_click=lambda pid=p.id: self.remove(pid)).props("flat dense").mark(
                    f"mtg-remove-{p.id}"
                )  # fmt: skip

    @ui.refreshable_method
    def leads(self) -> None:
        """Replace the chair or the secretary (meetings.replace_lead: the chair, who called it, organisers over its
        unit), until the meeting ends: someone taking part, or staff found below."""
        _ = self.t
        detail = self.svc.meeting(self.ctx.principal, self.mid)
        if ended(detail.meeting, self.svc.now()) or not self.svc.may_replace_lead(
            self.ctx.principal, detail.meeting, detail.me
        ):
            return
        holders = {p.role: p for p in detail.participants if p.role in LEADS}
        choices = {p.employee_code: f"{p.name} ({p.employee_code})" for p in detail.participants
                   if p.employee_code and p.role not in LEADS}  # fmt: skip
        choices |= {c["code"]: f"{c['name']} ({c['code']}) — {c['unit']}" for c in self.found}
        with ui.card().classes("w-full gap-2").mark("mtg-leads"):
            ui.label(_("Thay chủ trì, thư ký")).classes("text-lg font-bold")
            for role, label in (("chair", _("Chủ trì")), ("secretary", _("Thư ký"))):
                now = holders.get(role)
                ui.label(f"{label}: {now.name if now else '—'}").mark(f"mtg-lead-{role}")
            role = ui.select({"chair": _("Chủ trì"), "secretary": _("Thư ký")}, value="chair",
                             label=_("Thay")).props("outlined dense").classes("w-48").mark("mtg-lead-role")  # fmt: skip
            who = (
                ui.select(choices, label=_("Bằng người dự họp (hoặc cán bộ tìm thấy bên dưới)"))
                .props("outlined dense")
                .classes("w-full")
                .mark("mtg-lead-who")
            )
            ui.button(_("Thay"), icon="swap_horiz", on_click=lambda: self.replace(role.value, who.value)).mark(
                "mtg-lead-replace"
            )

    def replace(self, role: str | None, code: str | None) -> None:
        _ = self.t
        if not role or not code:
            ui.notify(_("Hãy chọn người thay"), type="warning")
            return
        if self.act(lambda: self.svc.replace_lead(self.ctx.principal, self.ctx.actor(), self.mid, role, code)):
            self.leads.refresh()

    def adding(self) -> None:
        _ = self.t
        with ui.card().classes("w-full gap-2").mark("mtg-add-staff"):
            ui.label(_("Thêm cán bộ")).classes("text-lg font-bold")
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                q = ui.input(_("Họ tên hoặc mã cán bộ")).props("outlined dense maxlength=200").classes("grow")
                q.mark("mtg-staff-q").on("keydown.enter", lambda: self.find(q.value or ""))
                ui.button(_("Tìm"), icon="search", on_click=lambda: self.find(q.value or "")).mark("mtg-staff-find")
            self.choices()
        with ui.card().classes("w-full gap-2").mark("mtg-add-guest"):
            ui.label(_("Thêm khách mời")).classes("text-lg font-bold")
            name = ui.input(_("Họ tên khách mời")).props("outlined dense maxlength=200").classes("w-full")
            org = ui.input(_("Cơ quan, đơn vị")).props("outlined dense maxlength=200").classes("w-full")
            name.mark("mtg-guest-name")
            org.mark("mtg-guest-org")

            def add_guest() -> None:
                if self.act(lambda: self.svc.add_guest(self.ctx.principal, self.ctx.actor(), self.mid,
                                                       name.value or "", org.value or None)):  # fmt: skip
                    name.value, org.value = "", ""

            ui.button(_("Thêm khách mời"), icon="person_add", on_click=add_guest).mark("mtg-guest-add")

    @ui.refreshable_method
    def choices(self) -> None:
        _ = self.t
        if self.query and not self.found:
            empty_state(_("Không tìm thấy cán bộ nào chưa có trong thành phần."), icon="search",
                        marker="mtg-staff-none")  # fmt: skip
        for c in self.found:
            with ui.row().classes("w-full items-center gap-2 no-wrap").mark(f"mtg-staff-{c['code']}"):
                ui.label(f"{c['name']} ({c['code']}) — {c['unit']}").classes("grow")
                ui.button(_("Thêm"), icon="person_add", on_click=lambda code=c["code"]: self.add_staff(code)).props(
                    "dense"
                ).mark(f"mtg-staff-add-{c['code']}")

    # --- actions (the service checks each again) --------------------------------------------------------------

    def act(self, do: Callable[[], Any]) -> bool:
        try:
            do()
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return False
        ui.notify(self.t(N_("Đã thực hiện")), type="positive")
        self.roster.refresh()
        return True

    def find(self, query: str) -> None:
        self.query = query.strip()
        try:
            self.found = self.svc.staff_choices(self.ctx.principal, self.mid, self.query)
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        self.choices.refresh()
        self.leads.refresh()  # the staff found may also take the chair or the secretary's place

    def add_staff(self, code: str) -> None:
        if self.act(lambda: self.svc.add_staff(self.ctx.principal, self.ctx.actor(), self.mid, employee_code=code)):
            self.found = [c for c in self.found if c["code"] != code]
            self.choices.refresh()

    def remove(self, participant_id: int) -> None:
        self.act(lambda: self.svc.remove_participant(self.ctx.principal, self.ctx.actor(), self.mid, participant_id))
