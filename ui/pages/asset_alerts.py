"""Door portal alerts (/asset-alerts): assets seen leaving through an exit without an approved movement, shown
live (checked every second) to the asset officers and managers of the portal's unit, each acknowledged with a note.

Who may: hub.assets.access.ALERTS. Vietnamese first."""

from __future__ import annotations

from nicegui import ui

from hub.assets import access
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.format import local_time
from ui.components.states import empty_state
from ui.i18n import N_
from ui.shell import PageContext, module_page

PATH = "/asset-alerts"


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Cảnh báo cổng kiểm soát"), icon="warning", action=access.ALERTS, order=63)
    def alerts_page(ctx: PageContext) -> None:
        ui.label(ctx.t(N_("Cảnh báo cổng kiểm soát"))).classes("text-2xl font-bold")
        ui.label(
            ctx.t(N_("Tài sản đi ra qua cổng mà không có phiếu cấp phát, điều chuyển, sửa chữa hay cho mượn đã duyệt."))
        ).classes("text-sm text-grey-8 max-w-4xl")
        body = ui.column().classes("w-full")
        shown: dict[str, object] = {"ids": None}

        def draw(force: bool = False) -> None:
            found = ctx.services.asset_portals.alerts(ctx.principal)
            ids = [a["id"] for a in found]
            if ids == shown["ids"] and not force:
                return
            shown["ids"] = ids
            body.clear()
            with body:
                if not found:
                    empty_state(ctx.t(N_("Không có cảnh báo nào chưa xử lý.")), marker="alerts-empty")
                for a in found:
                    with ui.card().classes("w-full").mark(f"alert-{a['id']}"):
                        ui.label(f"{a['asset_number']} — {a['asset_name']}").classes("font-bold text-negative")
                        ui.label(f"{a['portal_name']} · {local_time(a['passed_at'])}")
                        note = ui.input(ctx.t(N_("Ghi chú"))).props("maxlength=2000 dense").classes("w-full")

                        def ack(alert_id: int = a["id"], box: ui.input = note) -> None:
                            try:
                                ctx.services.asset_portals.acknowledge(ctx.principal, ctx.actor(), alert_id, box.value)
                            except DomainError as exc:
                                ui.notify(str(exc), type="negative", multi_line=True)
                                return
                            draw(force=True)

                        ui.button(ctx.t(N_("Đã xử lý")), on_click=ack).props("dense unelevated").mark(
                            f"alert-ack-{a['id']}"
                        )

        ui.timer(1.0, draw)
        draw()
