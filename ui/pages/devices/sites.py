"""Where a device is: the site field of the edit form and of enrolling."""

from __future__ import annotations

from nicegui import ui

from ui.i18n import N_
from ui.shell import PageContext


def site_field(ctx: PageContext, current: str | None) -> ui.input | ui.select:
    """A free label for a system admin; for an office admin, one of their offices (the hub refuses
    any other, this only spares them typing one)."""
    sites = ctx.services.devices.sites(ctx.principal)
    if sites is None:
        return ui.input(ctx.t(N_("Cơ quan / địa điểm")), value=current or "").props("maxlength=128")
    if not sites:
        ui.label(
            ctx.t(N_("Chưa có cơ quan nào gắn với đơn vị của bạn; nhờ quản trị hệ thống gắn cơ quan với đơn vị."))
        ).classes("text-warning text-sm").mark("no-sites")
    options = sorted({*sites, *([current] if current else [])})
    return ui.select(
        options, value=current if current else (sites[0] if sites else None), label=ctx.t(N_("Cơ quan / địa điểm"))
    )
