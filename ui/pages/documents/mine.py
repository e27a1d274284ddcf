"""/documents/mine: the documents a handler has to deal with (themselves or through their unit), nearest
deadline first, each with its derived status. Who may: hub.documents.access.MINE (anyone signed in)."""

from __future__ import annotations

from nicegui import ui

from hub.documents import access
from hub.documents.handling.models import STATUS_LABELS
from hub.services import HubServices
from ui.components.format import local_date
from ui.components.states import empty_state
from ui.components.tables import columns, data_table, link_cell
from ui.i18n import N_, pgettext
from ui.pages.documents.texts import URGENCY, pick
from ui.shell import PageContext, module_page

PATH = "/documents/mine"


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Văn bản tôi xử lý"), icon="assignment", action=access.MINE, order=71)
    def mine_page(ctx: PageContext, finished: str = "") -> None:
        t, handling = ctx.t, ctx.services.documents.handling
        ui.label(t(N_("Văn bản tôi xử lý"))).classes("text-2xl font-bold")
        ui.label(t(N_("Văn bản đến giao cho bạn hoặc đơn vị của bạn, hạn gần nhất trước."))).classes(
            "text-sm text-grey-8"
        )
        show_all = finished == "1"
        ui.checkbox(
            t(N_("Hiện cả văn bản đã hoàn thành")), value=show_all,
            on_change=lambda e: ui.navigate.to(f"{PATH}?finished={'1' if e.value else ''}"),
        ).mark("docs-show-finished")  # fmt: skip
        items = handling.mine(ctx.principal, open_only=not show_all)
        if not items:
            empty_state(t(N_("Không có văn bản nào cần xử lý.")), marker="docs-mine-empty")
            return
        today = handling.today()
        cols = columns(
            t,
            [("number", N_("Số đến")), ("code", N_("Ký hiệu")), ("organ", N_("Cơ quan ban hành")),
             ("subject", N_("Trích yếu")), ("urgency", N_("Độ khẩn")), ("role", N_("Vai trò")),
             ("deadline", N_("Hạn xử lý")), ("status", pgettext("docs: status", "Trạng thái"))],
        )  # fmt: skip
        rows = [
            {
                "id": m.handler.id, "number": f"{m.number:02d} ({m.unit_code})",
                "href": f"/documents/entry?id={m.document_id}", "code": f"{m.code_number}/{m.code_notation}",
                "organ": m.organ_name, "subject": m.subject, "urgency": ctx.t(URGENCY[m.urgency]),
                "role": t(pgettext("docs: lead", "Chủ trì")) if m.handler.lead else t(N_("Phối hợp")),
                "deadline": local_date(m.handler.deadline),
                "status": pick(STATUS_LABELS[m.handler.status(today)], ctx.lang),
            }
            for m in items
        ]  # fmt: skip
        table = data_table(cols, rows, row_key="id", marker="docs-mine", wrap=True)
        link_cell(table, "number")
