"""The organisation page's files: a list of units, and a staff list naming units that do not exist yet.

Both go through the hub's own readers and services (the same caps, checks and audit as the API and
the CLI); a staff file is first checked without writing anything, so the page can say which units
are missing and offer to create them with the import.
"""

from __future__ import annotations

from typing import Any

from nicegui import run, ui
from nicegui.events import UploadEventArguments

from hub.accounts.models import AccessDenied
from hub.org.importing import ORG_COLUMNS
from hub.org.models import OrgError, Unit
from hub.people.sheet_process import read_upload
from hub.people.sheets import ImportFileError, SourceRow
from ui.i18n import N_
from ui.shell import PageContext

MISSING_UNITS = N_("Đơn vị chưa có trong hệ thống")


def _rejected_table(ctx: PageContext, rejected: list[Any], marker: str) -> None:
    if not rejected:
        return
    columns = [
        {"name": "row", "label": ctx.t(N_("Dòng")), "field": "row", "align": "right"},
        {"name": "column", "label": ctx.t(N_("Cột")), "field": "column", "align": "left"},
        {"name": "reason", "label": ctx.t(N_("Lý do")), "field": "reason", "align": "left"},
    ]
    rows = [{"key": i, "row": e.row, "column": e.column, "reason": e.reason} for i, e in enumerate(rejected)]
    ui.table(columns=columns, rows=rows, row_key="key").classes("w-full").props("flat dense bordered").mark(marker)


def import_cards(ctx: PageContext, units: list[Unit]) -> None:
    _units_card(ctx)
    _staff_card(ctx, units)


def _units_card(ctx: PageContext) -> None:
    t, services = ctx.t, ctx.services
    with ui.card().classes("w-full").mark("org-import-units"):
        ui.label(t(N_("Nhập danh sách đơn vị (CSV/XLSX)"))).classes("font-bold")
        ui.label(
            t(
                N_(
                    "Cột: Mã đơn vị, Tên đơn vị, Loại, Mã đơn vị cấp trên, Hiệu lực từ. Dòng sai được báo lý do và "
                    "không ghi gì; các dòng khác vẫn được nhập."
                )
            )
        ).classes("text-sm text-grey-7")
        result = ui.column().classes("w-full")

        async def uploaded(event: UploadEventArguments) -> None:
            data = await event.file.read()
            result.clear()
            with result:
                try:
                    rows, ignored = await run.io_bound(read_upload, event.file.name, data, services.import_limits,
                                                       ORG_COLUMNS)  # fmt: skip
                    report = await run.io_bound(services.org.import_units, ctx.principal, ctx.actor(), rows, ignored)
                except (ImportFileError, OrgError, AccessDenied) as exc:
                    ui.label(str(exc)).classes("text-negative").mark("org-import-error")
                    return
                ui.label(report.summary()).mark("org-import-summary")
                _rejected_table(ctx, report.rejected, "org-import-rejected")

        ui.upload(auto_upload=True, on_upload=uploaded, max_file_size=services.import_limits.max_file_bytes).props(
            'accept=".csv,.xlsx" flat bordered'
        ).classes("w-full sm:w-96").mark("org-units-upload")


def _staff_card(ctx: PageContext, units: list[Unit]) -> None:
    t, services = ctx.t, ctx.services
    with ui.card().classes("w-full").mark("org-import-staff"):
        ui.label(t(N_("Nhập danh sách cán bộ"))).classes("font-bold")
        ui.label(
            t(N_("Tệp cán bộ nêu đơn vị chưa có? Hệ thống cho biết đơn vị nào và có thể tạo chúng khi nhập."))
        ).classes("text-sm text-grey-7")
        result = ui.column().classes("w-full")
        held: dict[str, Any] = {}

        async def run_import(create_under: str | None) -> None:
            rows: list[SourceRow] = held["rows"]
            result.clear()
            with result:
                try:
                    report = await run.io_bound(lambda: services.people.import_employees(
                        ctx.principal, rows, ignored_columns=held["ignored"], actor=ctx.actor(),
                        create_units_under=create_under,
                    ))  # fmt: skip
                except (OrgError, AccessDenied) as exc:
                    ui.label(str(exc)).classes("text-negative").mark("org-staff-error")
                    return
                ui.label(report.summary()).mark("org-staff-summary")
                if report.unknown_units:
                    _offer(report.unknown_units)
                _rejected_table(ctx, report.rejected, "org-staff-rejected")

        def _offer(missing: list[str]) -> None:
            ui.label(f"{t(MISSING_UNITS)}: {', '.join(missing)}").classes("text-warning font-bold").mark(
                "org-missing-units"
            )
            options = {u.code: f"{'  ' * u.depth}{u.name} ({u.code})" for u in units if u.valid_to is None}
            parent = ui.select(options, label=t(N_("Đơn vị cấp trên")), with_input=True).props("outlined dense")
            parent.classes("w-full").mark("org-missing-parent")
            ui.button(t(N_("Tạo các đơn vị này dưới đơn vị đã chọn rồi nhập")), icon="add_business",
                      on_click=lambda: run_import(parent.value or None)).props("unelevated").mark(
                "org-create-missing"
            )  # fmt: skip

        async def uploaded(event: UploadEventArguments) -> None:
            data = await event.file.read()
            result.clear()
            with result:
                try:
                    held["rows"], held["ignored"] = await run.io_bound(services.people.read_upload, ctx.principal,
                                                                       event.file.name, data)  # fmt: skip
                except (ImportFileError, AccessDenied) as exc:
                    ui.label(str(exc)).classes("text-negative").mark("org-staff-error")
                    return
            await run_import(None)

        ui.upload(auto_upload=True, on_upload=uploaded, max_file_size=services.import_limits.max_file_bytes).props(
            'accept=".csv,.xlsx" flat bordered'
        ).classes("w-full sm:w-96").mark("org-staff-upload")
