"""Devices (thiết bị): the fleet table, one device's page (telemetry, config, commands), enrolling a new one.

Office admins run the fleet of their own offices (thiết bị theo đơn vị: a device's office is mapped
to org units, and an admin reaches the offices of their units; a system admin every device). A
device outside them is refused like a page they may not open; a site can only be set, and a device
only enrolled, at one of their offices. The fleet refreshes itself every few seconds, so a terminal that
drops off shows as offline without a reload. Config and commands appear when the hub has them
(desired config and the command channel are separate parts of the hub).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from nicegui import run, ui
from pydantic import TypeAdapter, ValidationError

from hub.accounts.models import AccessDenied
from hub.accounts.principal import Role
from hub.devices.config import DesiredConfigChanges
from hub.devices.models import DeviceChanges, DeviceKind, DeviceRecord, DoorDirection, TelemetryPoint
from hub.devices.service import UnknownDevice
from hub.input_errors import said
from hub.inputs import JsonObject
from hub.services import HubServices
from protocol.topics import check_device_id
from ui.components.format import NOTHING, local_time
from ui.components.qr import qr_svg
from ui.i18n import register_texts
from ui.shell import PageContext, any_role, forbidden, module_page

JSON_OBJECT = TypeAdapter(JsonObject)  # command arguments, read by the rule the API reads them with

PAGE_SIZE = 50
TELEMETRY_POINTS = 720  # the charts' newest heartbeats (a day at one heartbeat every two minutes)
device_admin = any_role(Role.OFFICE_ADMIN)

register_texts(
    {
        "fleet": {"vi": "Thiết bị", "en": "Devices"},
        "device": {"vi": "Thiết bị", "en": "Device"},
        "site": {"vi": "Cơ quan / địa điểm", "en": "Office / site"},
        "room": {"vi": "Phòng / cửa", "en": "Room / door"},
        "direction": {"vi": "Hướng cửa", "en": "Door direction"},
        "direction_in": {"vi": "Vào", "en": "In"},
        "direction_out": {"vi": "Ra", "en": "Out"},
        "direction_both": {"vi": "Cả hai", "en": "Both"},
        "model_pack": {"vi": "Gói mô hình", "en": "Model pack"},
        "version": {"vi": "Phiên bản", "en": "Version"},
        "fps": {"vi": "Khung hình/giây", "en": "fps"},
        "status": {"vi": "Trạng thái", "en": "Status"},
        "enroll_device": {"vi": "Đăng ký thiết bị mới", "en": "Enroll a new device"},
        "unknown_device": {"vi": "Không có thiết bị mã {id}.", "en": "There is no device {id}."},
        "registered_at": {"vi": "Ngày đăng ký", "en": "Registered"},
        "status_since": {"vi": "Trạng thái từ", "en": "Status since"},
        "latest_metrics": {"vi": "Số liệu gần nhất", "en": "Latest figures"},
        "no_telemetry": {"vi": "Chưa nhận được tín hiệu nào.", "en": "No heartbeat received yet."},
        "telemetry": {"vi": "Tín hiệu 24 giờ qua", "en": "Heartbeats, last 24 hours"},
        "outbox_pending": {"vi": "Sự kiện chờ gửi", "en": "Events waiting to send"},
        "uptime_h": {"vi": "Thời gian chạy (giờ)", "en": "Uptime (hours)"},
        "edit_device": {"vi": "Sửa thông tin", "en": "Edit details"},
        "save": {"vi": "Lưu", "en": "Save"},
        "saved": {"vi": "Đã lưu.", "en": "Saved."},
        "config": {"vi": "Cấu hình", "en": "Configuration"},
        "desired": {"vi": "Cấu hình mong muốn", "en": "Desired"},
        "applied": {"vi": "Thiết bị đang dùng", "en": "Applied"},
        "edit_config": {"vi": "Sửa cấu hình nhận dạng", "en": "Change recognition settings"},
        "config_version": {"vi": "Phiên bản cấu hình", "en": "Config version"},
        "config_default": {"vi": "mặc định của thiết bị", "en": "device default"},
        "threshold": {"vi": "Ngưỡng nhận dạng (cosine)", "en": "Match threshold (cosine)"},
        "cooldown_s": {"vi": "Giãn cách chấm công (giây)", "en": "Per-person cooldown (s)"},
        "camera": {"vi": "Máy ảnh", "en": "Camera"},
        "gallery_version": {"vi": "Phiên bản thư viện khuôn mặt", "en": "Face gallery version"},
        "published_at": {"vi": "Đã phát lúc", "en": "Published"},
        "updated_by": {"vi": "Người sửa", "en": "Changed by"},
        "config_in_sync": {"vi": "Thiết bị đã áp dụng cấu hình.", "en": "The device applied the configuration."},
        "config_pending": {"vi": "Thiết bị chưa áp dụng cấu hình mới.", "en": "The device has not applied it yet."},
        "commands": {"vi": "Lệnh", "en": "Commands"},
        "command": {"vi": "Lệnh", "en": "Command"},
        "arguments": {"vi": "Tham số (JSON)", "en": "Arguments (JSON)"},
        "ttl_s": {"vi": "Hiệu lực (giây)", "en": "Valid for (seconds)"},
        "send": {"vi": "Gửi lệnh", "en": "Send"},
        "sent": {"vi": "Đã gửi lệnh {name}.", "en": "Sent {name}."},
        "command_failed": {"vi": "Không gửi được lệnh: {error}", "en": "The command was not sent: {error}"},
        "issued_at": {"vi": "Gửi lúc", "en": "Issued"},
        "issued_by": {"vi": "Người gửi", "en": "By"},
        "reply": {"vi": "Trả lời", "en": "Reply"},
        "command_attempts": {"vi": "Số lần gửi", "en": "Times sent"},
        "command_state_pending": {"vi": "Đang chờ trả lời", "en": "Waiting for a reply"},
        "command_state_replied": {"vi": "Đã trả lời", "en": "Replied"},
        "command_state_expired": {"vi": "Hết hạn, không có trả lời", "en": "Expired, no reply"},
        "bad_json": {
            "vi": "Tham số không phải JSON hợp lệ: {error}",
            "en": "The arguments are not valid JSON: {error}",
        },
        "kind_generic": {"vi": "Khác", "en": "Generic"},
        "kind_faceid": {"vi": "Cửa FaceID", "en": "FaceID door"},
        "kind_rfid": {"vi": "Đầu đọc RFID", "en": "RFID reader"},
        "kind_display": {"vi": "Màn hình phòng họp", "en": "Room display"},
        "invalid_device_id": {
            "vi": "Mã thiết bị «{value}» không hợp lệ: {rule}",
            "en": "Device id «{value}» is not valid: {rule}",
        },
        "valid_hours": {"vi": "Mã có hiệu lực (giờ)", "en": "Token valid for (hours)"},
        "create_token": {"vi": "Tạo mã đăng ký", "en": "Create enrollment token"},
        "device_id_help": {
            "vi": "3–64 ký tự: chữ thường, số, dấu gạch ngang (vd. door-hq-01)",
            "en": "3–64 characters: lower-case letters, digits, hyphens (e.g. door-hq-01)",
        },
        "token_ready": {
            "vi": "Quét mã QR trên thiết bị, hoặc chạy lệnh dưới đây. Mã chỉ dùng một lần, hết hạn lúc {until}.",
            "en": "Scan the QR code on the device, or run the command below. Single use; expires {until}.",
        },
        "no_sites": {
            "vi": "Chưa có cơ quan nào gắn với đơn vị của bạn; nhờ quản trị hệ thống gắn cơ quan với đơn vị.",
            "en": "No office is mapped to your units yet; ask a system admin to map one.",
        },
        "token_shown_once": {
            "vi": "Mã này chỉ hiển thị một lần: hệ thống chỉ lưu giá trị băm của nó.",
            "en": "This token is shown once: the hub keeps only its hash.",
        },
    }
)


KINDS = frozenset(k.value for k in DeviceKind)


def _kind_options(ctx: PageContext) -> dict[str, str]:
    return {k.value: ctx.t(f"kind_{k.value}") for k in DeviceKind}


def _kind_text(ctx: PageContext, kind: str) -> str:
    return ctx.t(f"kind_{kind}") if kind in KINDS else kind


def _fps(point: TelemetryPoint | None) -> str:
    if point is None:
        return NOTHING
    value = point.metrics.get("faceid.fps")
    return f"{value:g}" if isinstance(value, (int, float)) else NOTHING


def _state_badge(ctx: PageContext, online: bool) -> None:
    ui.badge(ctx.t("online" if online else "offline"), color="positive" if online else "negative").mark("device-state")


def register(services: HubServices) -> None:
    @module_page("/devices", text_key="fleet", icon="router", allowed=device_admin, order=50)
    def fleet(ctx: PageContext, kind: str = "", site: str = "", state: str = "", page: int = 1) -> None:
        _fleet(ctx, kind, site, state, max(1, page))

    @module_page("/devices/enroll", text_key="enroll_device", icon="qr_code_2", allowed=device_admin, order=51,
                 in_nav=False)  # fmt: skip
    def enroll(ctx: PageContext) -> None:
        _enroll(ctx)

    @module_page("/devices/{device_id}", text_key="device", icon="router", allowed=device_admin, order=52,
                 in_nav=False)  # fmt: skip
    def device(ctx: PageContext, device_id: str) -> None:
        _device(ctx, device_id)


def _site_field(ctx: PageContext, current: str | None) -> ui.input | ui.select:
    """Where a device is: a free label for a system admin; for an office admin, one of their offices
    (the hub refuses any other, this only spares them typing one)."""
    sites = ctx.services.device_sites(ctx.principal)
    if sites is None:
        return ui.input(ctx.t("site"), value=current or "").props("maxlength=128")
    if not sites:
        ui.label(ctx.t("no_sites")).classes("text-warning text-sm").mark("no-sites")
    options = sorted({*sites, *([current] if current else [])})
    return ui.select(options, value=current if current else (sites[0] if sites else None), label=ctx.t("site"))


# --- the fleet ---------------------------------------------------------------------------------


def _fleet(ctx: PageContext, kind: str, site: str, state: str, page: int) -> None:
    t = ctx.t
    filters = {
        "kind": kind or None,
        "site": site.strip() or None,
        "online": {"online": True, "offline": False}.get(state),
    }
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        ui.label(t("fleet")).classes("text-xl font-bold")
        ui.space()
        ui.button(t("enroll_device"), icon="qr_code_2", on_click=lambda: ui.navigate.to("/devices/enroll")).props(
            "unelevated"
        ).mark("enroll-device")
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        kind_select = ui.select({"": t("all"), **_kind_options(ctx)}, value=kind, label=t("kind")).classes("w-40")
        site_input = ui.input(t("site"), value=site).props("maxlength=128").classes("w-48").mark("filter-site")
        state_select = ui.select(
            {"": t("all"), "online": t("online"), "offline": t("offline")}, value=state, label=t("status")
        ).classes("w-40")

        def apply() -> None:
            query = {
                "kind": kind_select.value or "",
                "site": (site_input.value or "").strip(),
                "state": state_select.value,
            }
            ui.navigate.to("/devices?" + "&".join(f"{k}={v}" for k, v in query.items() if v))

        for element in (kind_select, state_select):
            element.on_value_change(apply)
        site_input.on("keydown.enter", apply)

    columns = [
        {"name": "device_id", "label": t("device_id"), "field": "device_id", "align": "left"},
        {"name": "state", "label": t("status"), "field": "state", "align": "left"},
        {"name": "last_seen", "label": t("last_seen"), "field": "last_seen", "align": "left"},
        {"name": "site", "label": t("site"), "field": "site", "align": "left"},
        {"name": "room", "label": t("room"), "field": "room", "align": "left"},
        {"name": "kind", "label": t("kind"), "field": "kind", "align": "left"},
        {"name": "model_pack", "label": t("model_pack"), "field": "model_pack", "align": "left"},
        {"name": "version", "label": t("version"), "field": "version", "align": "left"},
        {"name": "fps", "label": t("fps"), "field": "fps", "align": "right"},
    ]
    table = ui.table(columns=columns, rows=[], row_key="device_id").classes("w-full").props("flat bordered dense")
    table.mark("fleet")
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
    pager = ui.row().classes("items-center gap-2")

    def load() -> tuple[int, list[dict[str, Any]]]:
        """One page of the fleet with each terminal's latest heartbeat (database work only)."""
        total, devices = ctx.services.find_devices(
            ctx.principal, **filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        return total, [_fleet_row(ctx, d, ctx.services) for d in devices]

    def show(loaded: tuple[int, list[dict[str, Any]]]) -> None:
        total, rows = loaded
        table.rows = rows
        table.update()
        pages = max(1, -(-total // PAGE_SIZE))
        pager.clear()
        with pager:
            _pager(ctx, "/devices", {"kind": kind, "site": site, "state": state}, page, pages, total)

    async def refresh() -> None:
        show(await run.io_bound(load))

    show(load())
    ui.timer(5.0, refresh)


def _fleet_row(ctx: PageContext, d: DeviceRecord, services: HubServices) -> dict[str, Any]:
    latest = services.device_detail(ctx.principal, d.device_id).latest if d.kind == DeviceKind.FACEID.value else None
    return {
        "device_id": d.device_id,
        "online": d.online,
        "state": ctx.t("online" if d.online else "offline"),
        "last_seen": local_time(d.last_seen),
        "site": d.site or NOTHING,
        "room": d.room or NOTHING,
        "kind": _kind_text(ctx, d.kind),
        "model_pack": d.model_pack or NOTHING,
        "version": d.software_version or NOTHING,
        "fps": _fps(latest),
    }


def _pager(ctx: PageContext, path: str, query: dict[str, Any], page: int, pages: int, total: int) -> None:
    def url(p: int) -> str:
        parts = [f"{k}={v}" for k, v in query.items() if v not in ("", None)] + [f"page={p}"]
        return f"{path}?{'&'.join(parts)}"

    ui.button(ctx.t("previous"), icon="chevron_left", on_click=lambda: ui.navigate.to(url(page - 1))).props(
        "flat dense"
    ).set_enabled(page > 1)
    ui.label(ctx.t("page_of").format(page=page, pages=pages, total=total)).mark("pager")
    ui.button(ctx.t("next"), icon="chevron_right", on_click=lambda: ui.navigate.to(url(page + 1))).props(
        "flat dense"
    ).set_enabled(page < pages)


# --- one device --------------------------------------------------------------------------------


def _device(ctx: PageContext, device_id: str) -> None:
    t = ctx.t
    try:
        detail = ctx.services.device_detail(ctx.principal, device_id)
    except UnknownDevice:
        ui.label(t("unknown_device").format(id=device_id)).classes("text-negative").mark("unknown-device")
        return
    except AccessDenied:  # a device of another unit's office: nothing of it is drawn
        forbidden(ctx)
        return
    d = detail.device
    with ui.row().classes("items-center gap-3"):
        ui.link(t("fleet"), "/devices")
        ui.icon("chevron_right")
        ui.label(d.device_id).classes("text-xl font-bold")
        _state_badge(ctx, d.online)
    with ui.row().classes("w-full gap-4 flex-wrap items-start"):
        with ui.card().classes("min-w-72"):
            _facts(
                [
                    (t("kind"), _kind_text(ctx, d.kind)),
                    (t("site"), d.site or NOTHING),
                    (t("room"), d.room or NOTHING),
                    (t("direction"), t(f"direction_{d.direction}") if d.direction else t("direction_both")),
                    (t("status_since"), local_time(d.status_at)),
                    (t("last_seen"), local_time(d.last_seen)),
                    (t("model_pack"), d.model_pack or NOTHING),
                    (t("version"), d.software_version or NOTHING),
                    (t("registered_at"), local_time(d.created_at)),
                ]
            )
            _edit_form(ctx, d)
        with ui.card().classes("min-w-72 flex-1"):
            ui.label(t("latest_metrics")).classes("font-bold")
            if detail.latest is None:
                ui.label(t("no_telemetry")).classes("text-grey-7")
            else:
                latest = detail.latest
                figures = [
                    (t("last_seen"), local_time(latest.received_at)),
                    (t("uptime_h"), f"{latest.uptime_s / 3600:.1f}"),
                    (t("outbox_pending"), f"{latest.outbox_pending:,}"),
                    *((k, str(v)) for k, v in sorted(latest.metrics.items()) if v is not None),
                ]
                _facts(figures, mark="metrics")
    _telemetry_charts(ctx, d.device_id)
    _config_section(ctx, d.device_id)
    _commands_section(ctx, d.device_id)


def _facts(rows: list[tuple[str, str]], mark: str = "facts") -> None:
    with ui.grid(columns="auto 1fr").classes("gap-x-4 gap-y-1 text-sm").mark(mark):
        for label, value in rows:
            ui.label(label).classes("text-grey-7")
            ui.label(value).classes("break-all")


def _edit_form(ctx: PageContext, d: DeviceRecord) -> None:
    t = ctx.t
    with ui.expansion(t("edit_device"), icon="edit").classes("w-full").mark("edit-device"):
        kind = ui.select(_kind_options(ctx), value=d.kind if d.kind in KINDS else "generic", label=t("kind"))
        site = _site_field(ctx, d.site).mark("edit-site")
        room = ui.input(t("room"), value=d.room or "").props("maxlength=128").mark("edit-room")
        direction = ui.select(
            {"": t("direction_both"), **{x.value: t(f"direction_{x.value}") for x in DoorDirection}},
            value=d.direction or "",
            label=t("direction"),
        )

        def save() -> None:
            try:
                changes = DeviceChanges(
                    kind=kind.value, site=site.value, room=room.value, direction=direction.value or None
                )
                ctx.services.update_device(ctx.principal, d.device_id, changes, ctx.actor())
            except (ValueError, AccessDenied) as exc:
                ui.notify(str(exc), type="negative")
                return
            ui.notify(t("saved"), type="positive")
            ui.navigate.reload()

        ui.button(t("save"), on_click=save).props("unelevated").mark("save-device")


def _telemetry_charts(ctx: PageContext, device_id: str) -> None:
    """fps, backlog and uptime over the last day, from the stored heartbeats (oldest first on the axis)."""
    t = ctx.t
    _start, _end, points = ctx.services.device_telemetry(ctx.principal, device_id, limit=TELEMETRY_POINTS)
    ui.label(t("telemetry")).classes("text-base font-bold")
    if not points:
        ui.label(t("no_telemetry")).classes("text-grey-7").mark("no-telemetry")
        return
    points = list(reversed(points))

    def series(name: str, value: Callable[[TelemetryPoint], Any]) -> tuple[str, list[dict[str, Any]]]:
        data = [[p.ts.isoformat(), value(p)] for p in points]
        return name, [{"name": name, "type": "line", "showSymbol": False, "data": data}]

    charts = [
        series(t("outbox_pending"), lambda p: p.outbox_pending),
        series(t("uptime_h"), lambda p: round(p.uptime_s / 3600, 2)),
    ]
    if any(isinstance(p.metrics.get("faceid.fps"), (int, float)) for p in points):
        charts.insert(0, series(t("fps"), lambda p: p.metrics.get("faceid.fps")))
    with ui.row().classes("w-full gap-4 flex-wrap"):
        for title, data in charts:
            with ui.card().classes("w-full md:w-[calc(50%-0.5rem)]"):
                ui.echart(
                    {
                        "title": {"text": title, "textStyle": {"fontSize": 13}},
                        "tooltip": {"trigger": "axis"},
                        "grid": {"left": 48, "right": 16, "top": 36, "bottom": 28},
                        "xAxis": {"type": "time"},
                        "yAxis": {"type": "value"},
                        "series": data,
                    }
                ).classes("w-full h-56").mark("telemetry-chart")


def _config_section(ctx: PageContext, device_id: str) -> None:
    """Desired config (what admins set, its version) next to the version the device reports running."""
    t = ctx.t
    try:
        state = ctx.services.device_config_state(ctx.principal, device_id)
    except RuntimeError:  # this hub process runs no biometrics / device config (API-only node)
        return
    d = state.desired
    ui.label(t("config")).classes("text-base font-bold")
    with ui.card().classes("w-full").mark("device-config"):
        ui.label(t("config_in_sync") if state.in_sync else t("config_pending")).classes(
            "text-positive" if state.in_sync else "text-warning"
        ).mark("config-sync")
        with ui.row().classes("w-full gap-8 flex-wrap"):
            with ui.column().classes("min-w-64"):
                ui.label(t("desired")).classes("font-bold")
                _facts(
                    [
                        (t("config_version"), str(state.desired_version)),
                        (t("model_pack"), d.model_pack or t("config_default")),
                        (t("threshold"), f"{d.threshold:g}" if d.threshold is not None else t("config_default")),
                        (t("cooldown_s"), f"{d.cooldown_s:g}" if d.cooldown_s is not None else t("config_default")),
                        (t("camera"), json.dumps(d.camera, ensure_ascii=False) if d.camera else t("config_default")),
                        (t("gallery_version"), state.desired_gallery_version or NOTHING),
                        (t("published_at"), local_time(state.published_at)),
                        (t("updated_by"), f"{d.updated_by or NOTHING} · {local_time(d.updated_at)}"),
                    ],
                    mark="config-desired",
                )
            with ui.column().classes("min-w-64"):
                ui.label(t("applied")).classes("font-bold")
                _facts(
                    [
                        (t("config_version"), str(state.applied_version) if state.applied_version else NOTHING),
                        (t("gallery_version"), state.applied_gallery_version or NOTHING),
                    ],
                    mark="config-applied",
                )
        _config_form(ctx, device_id, d.threshold, d.cooldown_s)


def _config_form(ctx: PageContext, device_id: str, threshold: float | None, cooldown_s: float | None) -> None:
    """Change the match threshold and cooldown; empty means the device's default. Published at once."""
    t = ctx.t
    with ui.expansion(t("edit_config"), icon="tune").classes("w-full").mark("edit-config"):
        with ui.row().classes("items-end gap-2 flex-wrap"):
            threshold_in = ui.number(t("threshold"), value=threshold, min=-0.99, max=0.99, step=0.01, format="%.3f")
            threshold_in.classes("w-56").mark("config-threshold")
            cooldown_in = ui.number(t("cooldown_s"), value=cooldown_s, min=0, max=86_400, step=1)
            cooldown_in.classes("w-56").mark("config-cooldown")

            def save() -> None:
                try:
                    changes = DesiredConfigChanges(threshold=threshold_in.value, cooldown_s=cooldown_in.value)
                    ctx.services.update_device_config(ctx.principal, device_id, changes, ctx.actor())
                except (ValueError, AccessDenied) as exc:
                    ui.notify(str(exc), type="negative", multi_line=True)
                    return
                ui.notify(t("saved"), type="positive")
                ui.navigate.reload()

            ui.button(t("save"), on_click=save).props("unelevated").mark("save-config")


def _commands_section(ctx: PageContext, device_id: str) -> None:
    """Send a command and see the replies, when this hub node has the command channel."""
    if not hasattr(ctx.services, "send_command"):
        return
    from protocol.commands import COMMAND_ARGS, COMMAND_NAMES

    t = ctx.t
    ui.label(t("commands")).classes("text-base font-bold")
    with ui.card().classes("w-full").mark("device-commands"):
        with ui.row().classes("w-full items-end gap-2 flex-wrap"):
            name = ui.select(list(COMMAND_NAMES), value=COMMAND_NAMES[0], label=t("command")).classes("w-48")
            args = ui.input(t("arguments"), value="{}").props("maxlength=10000").classes("w-64").mark("command-args")
            ttl = ui.number(t("ttl_s"), value=300, min=1, max=86_400, step=1).classes("w-32")

            def defaults() -> None:
                model = COMMAND_ARGS[name.value]
                args.value = json.dumps(model().model_dump(mode="json") if not model.model_fields else _defaults(model))

            name.on_value_change(defaults)

            def send() -> None:
                try:
                    parsed = JSON_OBJECT.validate_python(json.loads(args.value or "{}"))
                except json.JSONDecodeError as exc:
                    ui.notify(t("bad_json").format(error=exc), type="negative")
                    return
                except ValidationError as exc:  # the API's rule for arguments: clean text, finite numbers
                    ui.notify(t("command_failed").format(error=said(exc.errors(), ctx.lang)), type="negative")
                    return
                try:
                    ctx.services.send_command(ctx.principal, device_id, name.value, parsed, int(ttl.value or 300))
                except (ValueError, LookupError, RuntimeError, AccessDenied) as exc:  # InvalidCommand, UnknownDevice, …
                    ui.notify(t("command_failed").format(error=exc), type="negative", multi_line=True)
                    return
                ui.notify(t("sent").format(name=name.value), type="positive")
                show_history(load_history())

            ui.button(t("send"), icon="send", on_click=send).props("unelevated").mark("send-command")

        history = (
            ui.table(
                columns=[
                    {"name": "issued_at", "label": t("issued_at"), "field": "issued_at", "align": "left"},
                    {"name": "name", "label": t("command"), "field": "name", "align": "left"},
                    {"name": "issued_by", "label": t("issued_by"), "field": "issued_by", "align": "left"},
                    {"name": "state", "label": t("status"), "field": "state", "align": "left"},
                    {"name": "attempts", "label": t("command_attempts"), "field": "attempts", "align": "right"},
                    {"name": "reply", "label": t("reply"), "field": "reply", "align": "left"},
                ],
                rows=[],
                row_key="id",
            )
            .classes("w-full")
            .props("flat dense")
            .mark("command-history")
        )

        def load_history() -> list[dict[str, Any]]:
            _total, commands = ctx.services.device_commands(ctx.principal, device_id, limit=20)
            return [
                {
                    "id": str(c.id),
                    "name": c.name,
                    "issued_at": local_time(c.issued_at),
                    "issued_by": c.issued_by,
                    "state": t(f"command_state_{c.state}"),
                    "attempts": c.attempts,
                    "reply": _reply_text(c),
                }
                for c in commands
            ]

        def show_history(rows: list[dict[str, Any]]) -> None:
            history.rows = rows
            history.update()

        async def refresh_history() -> None:  # every few seconds: the query runs off the event loop
            show_history(await run.io_bound(load_history))

        show_history(load_history())
        ui.timer(3.0, refresh_history)


def _defaults(model: Any) -> dict[str, Any]:
    return {k: f.default for k, f in model.model_fields.items() if f.default is not None and not f.is_required()}


def _reply_text(c: Any) -> str:
    if c.replied_at is None:
        return NOTHING
    if c.reply_ok:
        text = json.dumps(c.reply, ensure_ascii=False) if c.reply else "ok"
        return text if len(text) <= 160 else text[:157] + "…"
    return f"{c.reply_code}: {c.reply_error}"


# --- enrolling a device ------------------------------------------------------------------------


def _enroll(ctx: PageContext) -> None:
    t = ctx.t
    ui.label(t("enroll_device")).classes("text-xl font-bold")
    with ui.card().classes("w-full max-w-xl"):
        device_id = ui.input(t("device_id")).props(f'hint="{t("device_id_help")}" maxlength=64').classes("w-full")
        device_id.mark("enroll-device-id")
        kind = ui.select(_kind_options(ctx), value=DeviceKind.FACEID.value, label=t("kind")).classes("w-full")
        kind.mark("enroll-kind")
        site = _site_field(ctx, None).classes("w-full").mark("enroll-site")
        room = ui.input(t("room")).props("maxlength=64").classes("w-full").mark("enroll-room")
        hours = ui.number(t("valid_hours"), value=24, min=1, max=24 * 14, step=1).classes("w-48")
        error = ui.label().classes("text-negative").mark("enroll-error")
        result = ui.column().classes("w-full items-center")

        def create() -> None:
            error.text = ""
            result.clear()
            wanted = (device_id.value or "").strip()
            try:
                check_device_id(wanted)
            except ValueError:
                error.text = t("invalid_device_id").format(value=wanted, rule=t("device_id_help"))
                return
            try:
                token = ctx.services.create_enrollment_token(
                    ctx.principal,
                    wanted,
                    kind.value,
                    (site.value or "").strip() or None,
                    (room.value or "").strip() or None,
                    ctx.actor(),
                    timedelta(hours=int(hours.value or 24)),
                )
            except (ValueError, AccessDenied) as exc:
                error.text = str(exc)
                return
            with result:
                ui.label(t("token_ready").format(until=local_time(token.expires_at, seconds=False))).classes(
                    "text-center"
                )
                ui.html(qr_svg(token.qr_text), sanitize=False).mark("enroll-qr")
                ui.code(token.qr_text, language=None).classes("w-full break-all").mark("enroll-token")
                ui.code(f"cces agent enroll --hub <https://hub> --token '{token.qr_text}'", language="bash").classes(
                    "w-full"
                )
                ui.label(t("token_shown_once")).classes("text-grey-7 text-sm")

        ui.button(t("create_token"), icon="qr_code_2", on_click=create).props("unelevated").mark("create-token")
