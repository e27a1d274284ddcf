"""The fleet (/devices): every device one runs, its state, place, pack, version and frame rate.

It refreshes itself every few seconds, so a terminal that drops off shows as offline without a
reload. Filters and the page are in the address (`?kind=faceid&state=offline&page=2`), so a
filtered list can be bookmarked or sent to a colleague.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from nicegui import run, ui

from hub.devices.models import DeviceKind, DeviceRecord, TelemetryPoint
from hub.services import HubServices
from ui import shell
from ui.components.format import NOTHING, local_time
from ui.components.labels.devices import ONLINE, kind_label, kind_options
from ui.components.pager import Pager
from ui.components.states import empty_state
from ui.components.tables import columns, data_table
from ui.i18n import N_, pgettext
from ui.shell import PageContext

PAGE_SIZE = 50
#: how often the fleet asks the database again (a door that drops off turns red without a reload)
REFRESH_S = 5.0


def fleet_url(kind: str, site: str, state: str, page: int = 1) -> str:
    query = {"kind": kind, "site": site, "state": state, "page": page if page > 1 else ""}
    return "/devices?" + urlencode({k: v for k, v in query.items() if v not in ("", None)})


def fps_text(point: TelemetryPoint | None) -> str:
    if point is None:
        return NOTHING
    value = point.metrics.get("faceid.fps")
    return f"{value:g}" if isinstance(value, (int, float)) else NOTHING


def render_fleet(ctx: PageContext, kind: str, site: str, state: str, page: int) -> None:
    t = ctx.t
    filters = {
        "kind": kind or None,
        "site": site.strip() or None,
        "online": {"online": True, "offline": False}.get(state),
    }
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        ui.label(t(pgettext("menu", "Thiết bị"))).classes("text-xl font-bold")
        ui.space()
        ui.button(
            t(N_("Đăng ký thiết bị mới")), icon="qr_code_2", on_click=lambda: ui.navigate.to("/devices/enroll")
        ).props("unelevated").mark("enroll-device")
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        kinds = {"": t(shell.ALL), **kind_options(t)}
        kind_select = ui.select(kinds, value=kind if kind in kinds else "", label=t(N_("Loại"))).classes("w-40")
        site_input = (
            ui.input(t(N_("Cơ quan / địa điểm")), value=site).props("maxlength=128").classes("w-48").mark("filter-site")
        )
        state_select = ui.select(
            {"": t(shell.ALL), "online": t(N_("Trực tuyến")), "offline": t(N_("Mất kết nối"))},
            value=state if state in ("online", "offline") else "",
            label=t(pgettext("devices: status", "Trạng thái")),
        ).classes("w-40")

        def apply() -> None:
            ui.navigate.to(fleet_url(kind_select.value or "", (site_input.value or "").strip(), state_select.value))

        for element in (kind_select, state_select):
            element.on_value_change(apply)
        site_input.on("keydown.enter", apply)

    cols = columns(
        t,
        [
            ("device_id", N_("Mã thiết bị")),
            ("state", pgettext("devices: status", "Trạng thái")),
            ("last_seen", N_("Lần cuối")),
            ("site", N_("Cơ quan / địa điểm")),
            ("room", N_("Phòng / cửa")),
            ("kind", N_("Loại")),
            ("model_pack", N_("Gói mô hình")),
            ("version", N_("Phiên bản")),
            ("fps", N_("Khung hình/giây"), "right"),
        ],
    )
    table = data_table(cols, [], row_key="device_id", marker="fleet")
    table.add_slot(
        "body-cell-device_id",
        '<q-td :props="props"><a class="text-primary font-bold" :href="\'/devices/\' + props.value">'
        "{{ props.value }}</a></q-td>",
    )
    table.add_slot(
        "body-cell-state",
        "<q-td :props=\"props\"><q-badge :color=\"props.row.online ? 'positive' : 'negative'\">"
        "{{ props.value }}</q-badge></q-td>",
    )
    empty = empty_state(t(N_("Không có thiết bị nào.")), icon="router", marker="fleet-empty")
    pager = Pager(t, lambda step: ui.navigate.to(fleet_url(kind, site, state, max(1, page + step))), marker="fleet")

    def load() -> tuple[int, list[dict[str, Any]]]:
        """One page of the fleet with each terminal's latest heartbeat (database work only)."""
        total, devices = ctx.services.devices.find(
            ctx.principal, **filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        return total, [fleet_row(ctx, d, ctx.services) for d in devices]

    def show(loaded: tuple[int, list[dict[str, Any]]]) -> None:
        total, rows = loaded
        table.rows = rows
        table.update()
        empty.visible = not rows
        pager.show(page, total, PAGE_SIZE)

    async def refresh() -> None:
        show(await run.io_bound(load))

    show(load())
    ui.timer(REFRESH_S, refresh)


def fleet_row(ctx: PageContext, d: DeviceRecord, services: HubServices) -> dict[str, Any]:
    latest = services.devices.detail(ctx.principal, d.device_id).latest if d.kind == DeviceKind.FACEID.value else None
    return {
        "device_id": d.device_id,
        "online": d.online,
        "state": ctx.t(ONLINE[d.online]),
        "last_seen": local_time(d.last_seen),
        "site": d.site or NOTHING,
        "room": d.room or NOTHING,
        "kind": kind_label(ctx.t, d.kind),
        "model_pack": d.model_pack or NOTHING,
        "version": d.software_version or NOTHING,
        "fps": fps_text(latest),
    }
