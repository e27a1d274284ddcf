"""Kiosk screen links (liên kết màn hình công cộng): the keys that let a door's or a room's screen open.

A hub-served door screen shows the names of the last people at that door, so it opens only with
its own link (hub.kiosk.links). An office admin makes one here for a door of their offices (or a
meeting room), sees it once — the address and its QR code, to scan or type into the screen's
browser — and revokes it when a screen is lost or replaced; the screen blanks within seconds.
"""

from __future__ import annotations

from typing import Any

from nicegui import run, ui

from hub.accounts.models import AccessDenied
from hub.kiosk import access as kiosk_access
from hub.kiosk.models import KioskKind, KioskLink, KioskLinkError, NewKioskLink
from hub.services import HubServices
from ui.components.format import NOTHING, local_time
from ui.components.qr import qr_svg
from ui.i18n import N_
from ui.shell import PageContext, module_page


def register(services: HubServices) -> None:
    @module_page(
        "/kiosk-links", text_key=N_("Màn hình công cộng"), icon="tv", action=kiosk_access.MANAGE_LINKS, order=53
    )
    async def kiosk_links(ctx: PageContext) -> None:
        await _page(ctx)


async def _page(ctx: PageContext) -> None:
    t, services, principal = ctx.t, ctx.services, ctx.principal
    base = str(ui.context.client.request.base_url).rstrip("/")
    ui.label(t(N_("Màn hình công cộng"))).classes("text-xl font-bold")
    ui.label(
        t(
            N_(
                "Màn hình cửa ra vào và màn hình phòng họp do máy chủ phục vụ chỉ mở được bằng liên kết riêng của "
                "từng màn hình. Liên kết chỉ hiển thị một lần khi tạo; thu hồi khi màn hình bị mất hoặc thay thế."
            )
        )
    ).classes("text-grey-8")
    _, devices = await run.io_bound(lambda: services.devices.find(principal, limit=500))
    device_options = {d.device_id: f"{d.device_id} · {d.site or NOTHING}" for d in devices}

    with ui.card().classes("w-full"):
        with ui.row().classes("w-full items-end gap-3 flex-wrap"):
            kind = ui.toggle({"terminal": t(N_("Cửa ra vào")), "room": t(N_("Phòng họp"))}, value="terminal").mark(
                "kl-kind"
            )
            device = ui.select(device_options, label=t(N_("Thiết bị")), with_input=True).props("outlined dense")
            device.classes("w-72").mark("kl-device")
            room = ui.input(t(N_("Mã phòng (a-z, 0-9, -)"))).props("outlined dense").classes("w-56").mark("kl-room")
            label = (
                ui.input(t(N_("Ghi chú (vd. màn hình sảnh tầng 1)")))
                .props("outlined dense")
                .classes("w-72")
                .mark("kl-label")
            )
            create = ui.button(t(N_("Tạo liên kết")), icon="add_link").props("unelevated").mark("kl-create")
        device.bind_visibility_from(kind, "value", value="terminal")
        room.bind_visibility_from(kind, "value", value="room")
        error = ui.label().classes("text-negative").mark("kl-error")
        made = ui.column().classes("w-full")

    @ui.refreshable
    def table() -> None:
        links = services.kiosk.links(principal)
        if not links:
            ui.label(t(N_("Chưa có liên kết nào."))).classes("text-grey-7").mark("kl-none")
            return
        with ui.column().classes("w-full gap-1").mark("kl-list"):
            for link in links:
                _link_row(ctx, link, revoke)

    async def make() -> None:
        error.text = ""
        chosen = KioskKind(kind.value)
        target = (device.value if chosen is KioskKind.TERMINAL else (room.value or "").strip()) or ""
        if not target:
            error.text = (
                t(N_("Chọn một thiết bị.")) if chosen is KioskKind.TERMINAL else t(N_("Mã phòng (a-z, 0-9, -)"))
            )
            return
        try:
            new = await run.io_bound(services.kiosk.make_link, principal, chosen, target, label.value, ctx.actor())
        except (KioskLinkError, AccessDenied) as exc:
            error.text = str(exc)
            return
        _show_new(ctx, made, new, base)
        label.value = ""
        table.refresh()

    def revoke(link: KioskLink) -> None:
        try:
            services.kiosk.revoke_link(principal, link.id, ctx.actor())
        except (KioskLinkError, AccessDenied) as exc:
            ui.notify(str(exc), type="negative")
            return
        made.clear()  # a link shown a moment ago may be the one just revoked
        table.refresh()

    create.on_click(make)
    table()


def _show_new(ctx: PageContext, made: ui.column, new: NewKioskLink, base: str) -> None:
    address = f"{base}{new.path_with_key}"
    made.clear()
    with made, ui.row().classes("w-full items-center gap-4 bg-blue-1 p-3 rounded").mark("kl-made"):
        ui.html(qr_svg(address, size_px=200), sanitize=False).mark("kl-qr")
        with ui.column().classes("grow gap-1"):
            ui.label(
                ctx.t(
                    N_(
                        "Liên kết mới — chỉ hiển thị lần này. Quét mã QR hoặc nhập địa chỉ vào trình duyệt của màn "
                        "hình."
                    )
                )
            )
            ui.code(address, language=None).classes("w-full break-all").mark("kl-address")


def _link_row(ctx: PageContext, link: KioskLink, revoke: Any) -> None:
    t = ctx.t
    kind = t(N_("Cửa ra vào")) if link.kind is KioskKind.TERMINAL else t(N_("Phòng họp"))
    with ui.row().classes("w-full items-center gap-3 border-b py-1 flex-wrap").mark(f"kl-link-{link.id}"):
        ui.label(f"{kind}: {link.target}").classes("font-bold w-56")
        ui.label(link.label or NOTHING).classes("w-56 text-grey-8")
        created, used = t(N_("Tạo lúc")), t(N_("Mở gần nhất"))
        ui.label(f"{created} {local_time(link.created_at, seconds=False)} · {link.created_by}")
        ui.label(f"{used}: {local_time(link.last_used_at, seconds=False)}").classes("text-grey-7")
        ui.space()
        if link.active:
            ui.label(t(N_("Đang dùng"))).classes("text-positive")
            ui.button(t(N_("Thu hồi")), icon="link_off", on_click=lambda: revoke(link)).props(
                "flat dense color=negative"
            ).mark(f"kl-revoke-{link.id}")
        else:
            when = local_time(link.revoked_at, seconds=False)
            ui.label(t(N_("Đã thu hồi {when} ({by})")).format(when=when, by=link.revoked_by)).classes("text-grey-7")
