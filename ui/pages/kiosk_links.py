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
from ui.i18n import register_texts
from ui.shell import PageContext, module_page

register_texts(
    {
        "kiosk_links": {"vi": "Màn hình công cộng", "en": "Kiosk screens"},
        "kiosk_links_text": {
            "vi": "Màn hình cửa ra vào và màn hình phòng họp do máy chủ phục vụ chỉ mở được bằng liên kết riêng"
            " của từng màn hình. Liên kết chỉ hiển thị một lần khi tạo; thu hồi khi màn hình bị mất hoặc thay thế.",
            "en": "Door and meeting-room screens served by the hub open only with their own link. A link is shown"
            " once, when made; revoke it when a screen is lost or replaced.",
        },
        "kl_kind": {"vi": "Loại màn hình", "en": "Screen"},
        "kl_terminal": {"vi": "Cửa ra vào", "en": "Door"},
        "kl_room": {"vi": "Phòng họp", "en": "Meeting room"},
        "kl_device": {"vi": "Thiết bị", "en": "Device"},
        "kl_room_id": {"vi": "Mã phòng (a-z, 0-9, -)", "en": "Room id (a-z, 0-9, -)"},
        "kl_label": {"vi": "Ghi chú (vd. màn hình sảnh tầng 1)", "en": "Note (e.g. ground-floor lobby screen)"},
        "kl_create": {"vi": "Tạo liên kết", "en": "Make a link"},
        "kl_made": {
            "vi": "Liên kết mới — chỉ hiển thị lần này. Quét mã QR hoặc nhập địa chỉ vào trình duyệt của màn hình.",
            "en": "New link — shown this once. Scan the QR code or type the address into the screen's browser.",
        },
        "kl_target": {"vi": "Màn hình", "en": "Screen"},
        "kl_created": {"vi": "Tạo lúc", "en": "Made"},
        "kl_by": {"vi": "Người tạo", "en": "By"},
        "kl_used": {"vi": "Mở gần nhất", "en": "Last opened"},
        "kl_state": {"vi": "Trạng thái", "en": "State"},
        "kl_active": {"vi": "Đang dùng", "en": "Active"},
        "kl_revoked": {"vi": "Đã thu hồi {when} ({by})", "en": "Revoked {when} ({by})"},
        "kl_revoke": {"vi": "Thu hồi", "en": "Revoke"},
        "kl_none": {"vi": "Chưa có liên kết nào.", "en": "No links yet."},
        "kl_pick_device": {"vi": "Chọn một thiết bị.", "en": "Choose a device."},
    }
)


def register(services: HubServices) -> None:
    @module_page("/kiosk-links", text_key="kiosk_links", icon="tv", action=kiosk_access.MANAGE_LINKS, order=53)
    async def kiosk_links(ctx: PageContext) -> None:
        await _page(ctx)


async def _page(ctx: PageContext) -> None:
    t, services, principal = ctx.t, ctx.services, ctx.principal
    base = str(ui.context.client.request.base_url).rstrip("/")
    ui.label(t("kiosk_links")).classes("text-xl font-bold")
    ui.label(t("kiosk_links_text")).classes("text-grey-8")
    _, devices = await run.io_bound(lambda: services.find_devices(principal, limit=500))
    device_options = {d.device_id: f"{d.device_id} · {d.site or NOTHING}" for d in devices}

    with ui.card().classes("w-full"):
        with ui.row().classes("w-full items-end gap-3 flex-wrap"):
            kind = ui.toggle({"terminal": t("kl_terminal"), "room": t("kl_room")}, value="terminal").mark("kl-kind")
            device = ui.select(device_options, label=t("kl_device"), with_input=True).props("outlined dense")
            device.classes("w-72").mark("kl-device")
            room = ui.input(t("kl_room_id")).props("outlined dense").classes("w-56").mark("kl-room")
            label = ui.input(t("kl_label")).props("outlined dense").classes("w-72").mark("kl-label")
            create = ui.button(t("kl_create"), icon="add_link").props("unelevated").mark("kl-create")
        device.bind_visibility_from(kind, "value", value="terminal")
        room.bind_visibility_from(kind, "value", value="room")
        error = ui.label().classes("text-negative").mark("kl-error")
        made = ui.column().classes("w-full")

    @ui.refreshable
    def table() -> None:
        links = services.kiosk_links(principal)
        if not links:
            ui.label(t("kl_none")).classes("text-grey-7").mark("kl-none")
            return
        with ui.column().classes("w-full gap-1").mark("kl-list"):
            for link in links:
                _link_row(ctx, link, revoke)

    async def make() -> None:
        error.text = ""
        chosen = KioskKind(kind.value)
        target = (device.value if chosen is KioskKind.TERMINAL else (room.value or "").strip()) or ""
        if not target:
            error.text = t("kl_pick_device") if chosen is KioskKind.TERMINAL else t("kl_room_id")
            return
        try:
            new = await run.io_bound(services.make_kiosk_link, principal, chosen, target, label.value, ctx.actor())
        except (KioskLinkError, AccessDenied) as exc:
            error.text = str(exc)
            return
        _show_new(ctx, made, new, base)
        label.value = ""
        table.refresh()

    def revoke(link: KioskLink) -> None:
        try:
            services.revoke_kiosk_link(principal, link.id, ctx.actor())
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
            ui.label(ctx.t("kl_made"))
            ui.code(address, language=None).classes("w-full break-all").mark("kl-address")


def _link_row(ctx: PageContext, link: KioskLink, revoke: Any) -> None:
    t = ctx.t
    kind = t("kl_terminal") if link.kind is KioskKind.TERMINAL else t("kl_room")
    with ui.row().classes("w-full items-center gap-3 border-b py-1 flex-wrap").mark(f"kl-link-{link.id}"):
        ui.label(f"{kind}: {link.target}").classes("font-bold w-56")
        ui.label(link.label or NOTHING).classes("w-56 text-grey-8")
        ui.label(f"{t('kl_created')} {local_time(link.created_at, seconds=False)} · {link.created_by}")
        ui.label(f"{t('kl_used')}: {local_time(link.last_used_at, seconds=False)}").classes("text-grey-7")
        ui.space()
        if link.active:
            ui.label(t("kl_active")).classes("text-positive")
            ui.button(t("kl_revoke"), icon="link_off", on_click=lambda: revoke(link)).props(
                "flat dense color=negative"
            ).mark(f"kl-revoke-{link.id}")
        else:
            when = local_time(link.revoked_at, seconds=False)
            ui.label(t("kl_revoked").format(when=when, by=link.revoked_by)).classes("text-grey-7")
