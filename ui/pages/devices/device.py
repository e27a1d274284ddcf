"""One device (/devices/{id}): its details and their edit form, its latest figures, the heartbeat
charts, its configuration and its commands (the last two when this hub process has them)."""

from __future__ import annotations

from nicegui import ui

from hub.accounts.models import AccessDenied
from hub.devices.models import DeviceChanges, DeviceRecord, TelemetryPoint
from hub.devices.service import UnknownDevice
from ui.components.facts import facts
from ui.components.format import NOTHING, local_time
from ui.components.labels.devices import KINDS, ONLINE, direction_label, direction_options, kind_label, kind_options
from ui.components.labels.telemetry import metric_label, metric_value
from ui.components.states import empty_state
from ui.i18n import N_, pgettext
from ui.pages.devices.commands import commands_section
from ui.pages.devices.config import config_section
from ui.pages.devices.sites import site_field
from ui.pages.devices.telemetry import telemetry_charts
from ui.shell import PageContext, forbidden


def render_device(ctx: PageContext, device_id: str) -> None:
    t = ctx.t
    try:
        detail = ctx.services.devices.detail(ctx.principal, device_id)
    except UnknownDevice:
        ui.label(t(N_("Không có thiết bị mã {id}.")).format(id=device_id)).classes("text-negative").mark(
            "unknown-device"
        )
        return
    except AccessDenied:  # a device of another unit's office: nothing of it is drawn
        forbidden(ctx)
        return
    d = detail.device
    with ui.row().classes("items-center gap-3"):
        ui.link(t(pgettext("menu", "Thiết bị")), "/devices")
        ui.icon("chevron_right")
        ui.label(d.device_id).classes("text-xl font-bold")
        ui.badge(t(ONLINE[d.online]), color="positive" if d.online else "negative").mark("device-state")
    with ui.row().classes("w-full gap-4 flex-wrap items-start"):
        with ui.card().classes("min-w-72"):
            facts(
                [
                    (t(N_("Loại")), kind_label(t, d.kind)),
                    (t(N_("Cơ quan / địa điểm")), d.site or NOTHING),
                    (t(N_("Phòng / cửa")), d.room or NOTHING),
                    (t(N_("Hướng cửa")), direction_label(t, d.direction)),
                    (t(N_("Trạng thái từ")), local_time(d.status_at)),
                    (t(N_("Lần cuối")), local_time(d.last_seen)),
                    (t(N_("Gói mô hình")), d.model_pack or NOTHING),
                    (t(N_("Phiên bản")), d.software_version or NOTHING),
                    (t(N_("Ngày đăng ký")), local_time(d.created_at)),
                ]
            )
            _edit_form(ctx, d)
        with ui.card().classes("min-w-72 flex-1"):
            ui.label(t(N_("Số liệu gần nhất"))).classes("font-bold")
            if detail.latest is None:
                empty_state(t(N_("Chưa nhận được tín hiệu nào.")), icon="monitor_heart")
            else:
                facts(latest_figures(ctx, detail.latest), marker="metrics")
    telemetry_charts(ctx, d.device_id)
    config_section(ctx, d.device_id, d.kind)
    commands_section(ctx, d.device_id)


def latest_figures(ctx: PageContext, latest: TelemetryPoint) -> list[tuple[str, str]]:
    """The newest heartbeat as (label, value) pairs, each metric said in words, in label order."""
    t = ctx.t
    metrics = sorted(
        ((metric_label(t, k), metric_value(t, k, v)) for k, v in latest.metrics.items() if v is not None),
        key=lambda pair: pair[0].casefold(),
    )
    return [
        (t(N_("Lần cuối")), local_time(latest.received_at)),
        (t(N_("Thời gian chạy (giờ)")), f"{latest.uptime_s / 3600:.1f}"),
        (t(N_("Sự kiện chờ gửi")), f"{latest.outbox_pending:,}"),
        *metrics,
    ]


def _edit_form(ctx: PageContext, d: DeviceRecord) -> None:
    t = ctx.t
    with ui.expansion(t(N_("Sửa thông tin")), icon="edit").classes("w-full").mark("edit-device"):
        kind = ui.select(kind_options(t), value=d.kind if d.kind in KINDS else "generic", label=t(N_("Loại")))
        site = site_field(ctx, d.site).mark("edit-site")
        room = ui.input(t(N_("Phòng / cửa")), value=d.room or "").props("maxlength=128").mark("edit-room")
        direction = ui.select(direction_options(t), value=d.direction or "", label=t(N_("Hướng cửa")))

        def save() -> None:
            try:
                changes = DeviceChanges(
                    kind=kind.value, site=site.value, room=room.value, direction=direction.value or None
                )
                ctx.services.devices.update(ctx.principal, d.device_id, changes, ctx.actor())
            except (ValueError, AccessDenied) as exc:
                ui.notify(str(exc), type="negative")
                return
            ui.notify(t(N_("Đã lưu.")), type="positive")
            ui.navigate.reload()

        ui.button(t(N_("Lưu")), on_click=save).props("unelevated").mark("save-device")
