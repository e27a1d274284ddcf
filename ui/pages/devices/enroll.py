"""Enrolling a device (/devices/enroll): a one-time token for a device id, as a QR code to scan on
the device and as the command to run there; the hub keeps only the token's hash."""

from __future__ import annotations

from datetime import timedelta

from nicegui import ui

from hub.accounts.models import AccessDenied
from hub.devices.models import DeviceKind
from protocol.topics import check_device_id
from ui.components.format import local_time
from ui.components.labels.devices import kind_options
from ui.components.qr import qr_svg
from ui.i18n import N_
from ui.pages.devices.sites import site_field
from ui.shell import PageContext

#: how long a token may stay valid, hours (a fortnight: an installer's trip to a remote office)
MAX_VALID_HOURS = 24 * 14


def render_enroll(ctx: PageContext) -> None:
    t = ctx.t
    ui.label(t(N_("Đăng ký thiết bị mới"))).classes("text-xl font-bold")
    with ui.card().classes("w-full max-w-xl"):
        device_id = (
            ui.input(t(N_("Mã thiết bị")))
            .props(f'hint="{t(N_("3–64 ký tự: chữ thường, số, dấu gạch ngang (vd. door-hq-01)"))}" maxlength=64')
            .classes("w-full")
        )
        device_id.mark("enroll-device-id")
        kind = ui.select(kind_options(t), value=DeviceKind.FACEID.value, label=t(N_("Loại"))).classes("w-full")
        kind.mark("enroll-kind")
        site = site_field(ctx, None).classes("w-full").mark("enroll-site")
        room = ui.input(t(N_("Phòng / cửa"))).props("maxlength=64").classes("w-full").mark("enroll-room")
        hours = ui.number(t(N_("Mã có hiệu lực (giờ)")), value=24, min=1, max=MAX_VALID_HOURS, step=1).classes("w-48")
        error = ui.label().classes("text-negative").mark("enroll-error")
        result = ui.column().classes("w-full items-center")

        def create() -> None:
            error.text = ""
            result.clear()
            wanted = (device_id.value or "").strip()
            try:
                check_device_id(wanted)
            except ValueError:
                error.text = t(N_("Mã thiết bị «{value}» không hợp lệ: {rule}")).format(
                    value=wanted, rule=t(N_("3–64 ký tự: chữ thường, số, dấu gạch ngang (vd. door-hq-01)"))
                )
                return
            try:
                token = ctx.services.devices.create_enrollment_token(
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
                ui.label(
                    t(
                        N_(
                            "Quét mã QR trên thiết bị, hoặc chạy lệnh dưới đây."
                            " Mã chỉ dùng một lần, hết hạn lúc {until}."
                        )
                    ).format(until=local_time(token.expires_at, seconds=False))
                ).classes("text-center")
                ui.html(qr_svg(token.qr_text), sanitize=False).mark("enroll-qr")
                ui.code(token.qr_text, language=None).classes("w-full break-all").mark("enroll-token")
                ui.code(f"cces agent enroll --hub <https://hub> --token '{token.qr_text}'", language="bash").classes(
                    "w-full"
                )
                ui.label(t(N_("Mã này chỉ hiển thị một lần: hệ thống chỉ lưu giá trị băm của nó."))).classes(
                    "text-grey-7 text-sm"
                )

        ui.button(t(N_("Tạo mã đăng ký")), icon="qr_code_2", on_click=create).props("unelevated").mark("create-token")
