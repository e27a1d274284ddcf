"""Offices and units (trụ sở và đơn vị): which org units each office serves.

The `site_units` map decides which people an office's door gallery holds and which devices an
office admin reaches, so only a system admin edits it here (each office's units, and a new office
before its first device arrives); an office admin sees their own offices, read only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from nicegui import run, ui

from hub.accounts.models import AccessDenied
from hub.galleries import access as offices_access
from hub.galleries.offices import MAX_SITE_LENGTH, InvalidGalleryChange, Office
from hub.services import HubServices
from ui.components.format import NOTHING
from ui.components.units import unit_label
from ui.i18n import N_
from ui.shell import PageContext, module_page


def register(services: HubServices) -> None:
    @module_page("/offices", text_key=N_("Trụ sở và đơn vị"), icon="domain", action=offices_access.VIEW, order=54)
    async def offices(ctx: PageContext) -> None:
        await _page(ctx)


async def _page(ctx: PageContext) -> None:
    t, services, principal = ctx.t, ctx.services, ctx.principal
    editor = principal.is_system_admin
    ui.label(t(N_("Trụ sở và đơn vị"))).classes("text-xl font-bold")
    ui.label(
        t(
            N_(
                "Mỗi trụ sở phục vụ một số đơn vị (kèm các đơn vị cấp dưới): thiết bị tại trụ sở nhận diện người của "
                "các đơn vị đó, và quản trị của các đơn vị đó quản lý thiết bị tại trụ sở."
            )
        )
    ).classes("text-grey-8")
    if not editor:
        ui.label(t(N_("Chỉ quản trị hệ thống được thay đổi đơn vị của trụ sở."))).classes("text-grey-7").mark(
            "of-read-only"
        )
    found = await run.io_bound(services.offices.offices, principal)
    units = await run.io_bound(services.people.units, principal, offices_access.ASSIGN_UNITS) if editor else []
    options = {u.code: unit_label(u) for u in units}
    error = ui.label().classes("text-negative").mark("of-error")

    async def save(site: str, codes: Sequence[str]) -> bool:
        error.text = ""
        try:
            await run.io_bound(services.offices.set_site_units, principal, site, list(codes), ctx.actor())
        except (InvalidGalleryChange, AccessDenied) as exc:
            error.text = str(exc)
            return False
        ui.notify(t(N_("Đã lưu đơn vị của {site}.")).format(site=site.strip()), type="positive")
        body.refresh(await run.io_bound(services.offices.offices, principal))
        return True

    @ui.refreshable
    def body(found: list[Office]) -> None:
        _table(ctx, found)
        if editor:
            _editors(ctx, found, options, save)

    body(found)
    if editor:
        _add_office(ctx, options, save)


def _table(ctx: PageContext, found: list[Office]) -> None:
    t = ctx.t
    if not found:
        ui.label(t(N_("Chưa có trụ sở nào."))).classes("text-grey-7").mark("of-none")
        return
    columns = [
        {"name": "site", "label": t(N_("Trụ sở")), "field": "site", "align": "left"},
        {"name": "units", "label": t(N_("Đơn vị phục vụ")), "field": "units", "align": "left"},
        {"name": "devices", "label": t(N_("Thiết bị (trực tuyến/tổng)")), "field": "devices", "align": "right"},
        {"name": "allowances", "label": t(N_("Người được phép thêm")), "field": "allowances", "align": "right"},
    ]
    rows = [
        {
            "site": o.site,
            "units": "; ".join(f"{u.name} ({u.code})" for u in o.units) or NOTHING,
            "devices": f"{o.online}/{o.devices}",
            "allowances": o.allowances,
        }
        for o in found
    ]
    ui.table(columns=columns, rows=rows, row_key="site").classes("w-full").props("flat bordered dense").mark("of-table")


Save = Callable[[str, Sequence[str]], Awaitable[bool]]


def _editors(ctx: PageContext, found: list[Office], options: dict[str, str], save: Save) -> None:
    """One row per office: its units as a multi-select, and Save (markers by the office's place in the list)."""
    if not found:
        return
    ui.label(ctx.t(N_("Sửa đơn vị của trụ sở"))).classes("text-lg font-bold mt-4")
    with ui.column().classes("w-full gap-1"):
        for n, office in enumerate(found):
            with ui.row().classes("w-full items-center gap-3 border-b py-1").mark(f"of-row-{n}"):
                ui.label(office.site).classes("font-bold w-64")
                picked = _unit_select(ctx, options, [u.code for u in office.units]).mark(f"of-units-{n}")
                ui.button(ctx.t(N_("Lưu")), icon="save", on_click=_saver(save, office.site, picked)).props(
                    "unelevated dense"
                ).mark(f"of-save-{n}")


def _add_office(ctx: PageContext, options: dict[str, str], save: Save) -> None:
    with ui.card().classes("w-full mt-4"):
        ui.label(ctx.t(N_("Thêm trụ sở"))).classes("text-lg font-bold")
        with ui.row().classes("w-full items-end gap-3 flex-wrap"):
            site = (
                ui.input(ctx.t(N_("Tên trụ sở"))).props(f"outlined dense maxlength={MAX_SITE_LENGTH}").classes("w-72")
            )
            site.mark("of-new-site")
            picked = _unit_select(ctx, options, []).mark("of-new-units")

            async def add() -> None:
                if await save(site.value or "", picked.value or []):
                    site.value = ""
                    picked.value = []

            ui.button(ctx.t(N_("Thêm trụ sở")), icon="add", on_click=add).props("unelevated").mark("of-add")


def _unit_select(ctx: PageContext, options: dict[str, str], value: list[str]) -> ui.select:
    return (
        ui.select(options, multiple=True, value=value, label=ctx.t(N_("Đơn vị phục vụ")), with_input=True)
        .props("outlined dense use-chips")
        .classes("grow min-w-72")
    )


def _saver(save: Save, site: str, picked: ui.select) -> Callable[[], Awaitable[None]]:
    async def go() -> None:
        await save(site, picked.value or [])

    return go
