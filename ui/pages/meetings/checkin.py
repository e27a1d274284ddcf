"""/meetings/checkin?token=…: the page the room display's check-in QR opens on a participant's phone (issue 17 item 4).

Not signed in, the shell sends them to the sign-in form, which brings them back here. The page checks them in
through the meetings service (`check_in_qr`: the token's signature and age, that they are a participant, that the
meeting runs) and says so in large text: "Đã điểm danh: <meeting>, <time>", or, used again, when they were
checked in already (it counts once); a refusal is shown in Vietnamese and English.
"""

from __future__ import annotations

from nicegui import ui

from hub.domain import DomainError
from hub.meetings import access
from hub.meetings.checkin_link import CHECKIN_PATH
from hub.services import HubServices
from ui.components.format import clock_time
from ui.components.states import show_problem
from ui.i18n import N_
from ui.shell import PageContext, module_page


def register(services: HubServices) -> None:
    @module_page(CHECKIN_PATH, text_key=N_("Điểm danh cuộc họp"), icon="qr_code_2", action=access.ATTEND, order=83,
                 in_nav=False)  # fmt: skip
    def checkin_page(ctx: PageContext, token: str = "") -> None:
        t, svc = ctx.t, ctx.services.meetings
        before = ctx.services.now()
        try:
            me = svc.check_in_qr(ctx.principal, ctx.actor(), token)
            meeting = svc.meeting(ctx.principal, me.meeting_id).meeting
        except DomainError as exc:
            show_problem(str(exc), marker="mtg-checkin-problem").classes("text-2xl")
            return
        when = clock_time(me.present_at)
        with ui.column().classes("w-full items-center gap-4 p-4").mark("mtg-checkin-done"):
            ui.icon("check_circle", size="4rem").classes("text-positive")
            ui.label(t(N_("Đã điểm danh: {title}, {time}")).format(title=meeting.title, time=when)).classes(
                "text-3xl font-bold text-center"
            ).mark("mtg-checkin-text")
            if me.present_at is not None and me.present_at < before:
                again = t(N_("Bạn đã điểm danh lúc {time} — quét lại không tính thêm lần nào.")).format(time=when)
                ui.label(again).classes("text-xl text-grey-8").mark("mtg-checkin-again")
            if me.late:
                ui.label(t(N_("đến muộn"))).classes("text-xl text-warning")
            tablet = f"/meetings/tablet?id={meeting.id}"
            ui.button(t(N_("Vào phòng họp")), icon="tablet", on_click=lambda: ui.navigate.to(tablet)).classes("text-lg")
