"""/meetings: the meetings I take part in (or organise), from yesterday to 30 days ahead, each with its tablet page."""

from __future__ import annotations

from datetime import timedelta

from nicegui import ui

from hub.meetings import access
from hub.meetings.models import MEETING_STATUS_LABELS
from hub.services import HubServices
from ui.components.format import local_time
from ui.components.states import empty_state
from ui.i18n import N_
from ui.pages.meetings.texts import pick
from ui.shell import PageContext, module_page

PATH = "/meetings"


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Cuộc họp của tôi"), icon="groups", action=access.ATTEND, order=80)
    def mine_page(ctx: PageContext) -> None:
        t = ctx.t
        now = ctx.services.now()
        found = ctx.services.meetings.my_meetings(ctx.principal, now - timedelta(days=1), now + timedelta(days=30))
        ui.label(t(N_("Cuộc họp của tôi"))).classes("text-2xl font-bold")
        if not found:
            empty_state(
                t(N_("Không có cuộc họp nào từ hôm qua đến 30 ngày tới.")), icon="event_busy", marker="mtg-mine-none"
            )
            return
        with ui.column().classes("w-full gap-2").mark("mtg-mine"):
            for m in found:
                with ui.card().classes("w-full").mark(f"mtg-mine-{m.id}"):
                    with ui.row().classes("w-full items-center justify-between gap-2"):
                        with ui.column().classes("gap-0"):
                            ui.label(m.title).classes("text-lg font-bold")
                            where = m.room_name or t(N_("Họp trực tuyến"))
                            status = pick(MEETING_STATUS_LABELS.get(m.status, (m.status, m.status)), ctx.lang)
                            ui.label(f"{local_time(m.starts_at, seconds=False)} · {where} · {status}").classes(
                                "text-grey-8"
                            )
                        with ui.row().classes("gap-2"):
                            ui.button(
                                t(N_("Vào phòng họp")),
                                icon="tablet",
                                on_click=lambda mid=m.id: ui.navigate.to(f"/meetings/tablet?id={mid}"),
                            )
                            ui.button(t(N_("Biên bản")), icon="description",
                                      on_click=lambda mid=m.id: ui.navigate.to(f"/meetings/minutes?id={mid}")).props(
                                "outline").mark(f"mtg-minutes-{m.id}")  # fmt: skip
