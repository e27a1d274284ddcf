"""The asset register page (/assets): search the assets of one's units, open one to see its details, its
wear (or depreciation) year by year and its history; download the wear table of a year as XLSX.

Who may: hub.assets.access.VIEW (asset officers and managers over their units); the service filters the
list and refuses an asset of another unit. Vietnamese first."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode

from nicegui import run, ui
from nicegui.events import UploadEventArguments

from hub.access import gate
from hub.assets import access
from hub.assets.checks import today as hanoi_today
from hub.assets.models import FUNDING_LABELS, STATUS_LABELS
from hub.assets.movements.models import HISTORY_LABELS
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.facts import facts
from ui.components.format import local_date, local_time
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table, link_cell
from ui.i18n import N_, pgettext
from ui.pages.asset_movements import draw_movements
from ui.shell import PageContext, module_page

BOOK = N_("Sổ tài sản cố định")
FOUND = N_("Tìm thấy")

PATH = "/assets"
PAGE_ROWS = 50


ACTIONS_SHOWN = {
    "create": ("Thêm mới", "Created"),
    "update": ("Cập nhật", "Updated"),
    "import": ("Nhập từ tệp", "Imported"),
    "attachment.add": ("Thêm tệp", "File added"),
    **HISTORY_LABELS,
}


def money(amount: int) -> str:
    """Vietnamese grouping: 25.000.000."""
    return f"{amount:,}".replace(",", ".")


def _label(labels: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    pair = labels.get(code)
    return code if pair is None else pair[0 if lang == "vi" else 1]


def asset_url(number: str) -> str:
    return f"{PATH}?{urlencode({'asset': number})}"


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=pgettext("menu", "Tài sản"), icon="inventory_2", action=access.VIEW, order=60)
    def assets_page(ctx: PageContext, q: str = "", asset: str = "") -> None:
        ui.label(ctx.t(pgettext("menu", "Tài sản"))).classes("text-2xl font-bold")
        if asset.strip():
            body = ui.column().classes("w-full")

            def draw() -> None:
                body.clear()
                with body:
                    detail(ctx, asset.strip()[:40], draw)

            draw()
        else:
            listing(ctx, q.strip()[:200])


def listing(ctx: PageContext, query: str) -> None:
    ui.label(
        ctx.t(
            N_(
                "Sổ tài sản cố định của đơn vị: tìm theo mã, tên hoặc số serial (không "
                "cần dấu). Hao mòn tính mỗi năm một lần tại 31/12 (TT 23/2023/TT-BTC); "
                "tài sản dùng cho kinh doanh trích khấu hao hằng tháng."
            )
        )
    ).classes("text-sm text-grey-8 max-w-4xl")
    with ui.row().classes("w-full items-end gap-4 flex-wrap"):
        box = ui.input(ctx.t(N_("Tìm tài sản")), value=query).props("clearable dense maxlength=200").classes("w-80")
        box.mark("assets-search")

        def go() -> None:
            ui.navigate.to(f"{PATH}?{urlencode({'q': (box.value or '').strip()})}")

        box.on("keydown.enter", go)
        ui.button(ctx.t(N_("Tìm")), on_click=go).props("dense").mark("assets-search-button")
        year = hanoi_today(ctx.services.now()).year - 1
        with ui.row().classes("items-end gap-2"):
            chosen = ui.number(ctx.t(N_("Bảng tính hao mòn năm (XLSX)")), value=year, min=1950, max=2200, format="%d")
            chosen.props("dense").classes("w-56").mark("assets-wear-year")

            def download(what: str) -> None:
                picked = int(chosen.value or year)
                ui.navigate.to(f"/api/v1/assets/{what.format(year=picked)}", new_tab=True)

            ui.button(ctx.t(N_("Tải về")), icon="download", on_click=lambda: download("wear/{year}/xlsx")).props(
                "dense flat"
            )
            ui.button("PDF", icon="picture_as_pdf", on_click=lambda: download("wear/{year}/pdf")).props(
                "dense flat"
            ).mark("assets-wear-pdf")
            ui.button(f"{ctx.t(BOOK)} (XLSX)", on_click=lambda: download("book/{year}/xlsx")).props("dense flat").mark(
                "assets-book-xlsx"
            )
            ui.button(f"{ctx.t(BOOK)} (PDF)", on_click=lambda: download("book/{year}/pdf")).props("dense flat").mark(
                "assets-book-pdf"
            )
    try:
        rows, total = ctx.services.assets.search(ctx.principal, query, limit=PAGE_ROWS)
    except DomainError as exc:
        show_problem(str(exc), marker="assets-problem")
        return
    if not rows:
        empty_state(ctx.t(N_("Không có tài sản nào phù hợp.")), marker="assets-empty")
        return
    ui.label(f"{ctx.t(FOUND)}: {total:,}".replace(",", ".")).mark("assets-total")
    cols = columns(
        ctx.t,
        [
            ("number", N_("Mã tài sản")),
            ("name", N_("Tên tài sản")),
            ("unit", N_("Đơn vị quản lý")),
            ("location", N_("Vị trí")),
            ("cost", N_("Nguyên giá (đồng)"), "right"),
            ("status", N_("Trạng thái")),
        ],
    )
    table = data_table(
        cols,
        [
            {
                "number": a.asset_number,
                "href": asset_url(a.asset_number),
                "name": a.name,
                "unit": a.unit_name,
                "location": a.location_name or "",
                "cost": money(a.cost),
                "status": _label(STATUS_LABELS, a.status, ctx.lang),
            }
            for a in rows
        ],
        row_key="number",
        marker="assets-table",
    )
    link_cell(table, "number")


def detail(ctx: PageContext, number: str, reload: Callable[[], None]) -> None:
    ui.link(ctx.t(N_("← Danh sách tài sản")), PATH).mark("assets-back")
    svc = ctx.services.assets
    try:
        asset = svc.get(ctx.principal, number)
        history = svc.history(ctx.principal, number)
    except DomainError as exc:
        show_problem(str(exc), marker="assets-problem")
        return
    today = hanoi_today(svc.now())
    ui.label(f"{asset.asset_number} — {asset.name}").classes("text-xl").mark("assets-detail-title")
    ui.link(ctx.t(N_("Thẻ tài sản cố định (PDF)")), f"/api/v1/assets/{asset.asset_number}/card.pdf", new_tab=True).mark(
        "assets-card-pdf"
    )
    method = N_("Khấu hao hằng tháng (kinh doanh)") if asset.business_use else N_("Hao mòn (tính tại 31/12)")
    facts(
        [
            (ctx.t(N_("Loại tài sản")), f"{asset.category_name} ({asset.category_code})"),
            (ctx.t(N_("Đơn vị quản lý")), f"{asset.unit_name} ({asset.unit_code})"),
            (ctx.t(N_("Người sử dụng")), asset.custodian_name or "—"),
            (ctx.t(N_("Vị trí")), asset.location_name or "—"),
            (ctx.t(N_("Nguyên giá (đồng)")), money(asset.cost)),
            (ctx.t(N_("Nguồn kinh phí")), _label(FUNDING_LABELS, asset.funding_source, ctx.lang)),
            (ctx.t(N_("Ngày đưa vào sử dụng")), local_date(asset.acquired_on)),
            (ctx.t(N_("Trạng thái")), _label(STATUS_LABELS, asset.status, ctx.lang)),
            (ctx.t(N_("Tỷ lệ hao mòn (%/năm)")), f"{asset.wear_rate_pct.normalize():f}"),
            (ctx.t(N_("Phương pháp")), ctx.t(method)),
            (ctx.t(N_("Giá trị còn lại hôm nay")), money(svc.remaining_value(asset, today))),
            (ctx.t(N_("Mã EPC của thẻ")), asset.epc_hex or ctx.t(N_("chưa cấu hình"))),
        ],
        marker="assets-facts",
    )
    draw_movements(ctx, asset, reload)
    ui.label(ctx.t(N_("Hao mòn theo năm"))).classes("text-lg mt-4")
    cols = columns(
        ctx.t,
        [
            ("year", N_("Năm")),
            ("opening", N_("Lũy kế đầu năm"), "right"),
            ("wear", N_("Trong năm"), "right"),
            ("closing", N_("Lũy kế cuối năm"), "right"),
            ("remaining", N_("Giá trị còn lại"), "right"),
        ],
    )
    data_table(
        cols,
        [
            {
                "year": y.year,
                "opening": money(y.opening),
                "wear": money(y.wear),
                "closing": money(y.closing),
                "remaining": money(y.remaining),
            }
            for y in svc.schedule(asset)
        ],
        row_key="year",
        marker="assets-schedule",
    )
    draw_files(ctx, asset.asset_number, reload)
    ui.label(ctx.t(N_("Lịch sử thay đổi"))).classes("text-lg mt-4")
    hist_cols = columns(
        ctx.t,
        [
            ("at", N_("Thời điểm")),
            ("actor", N_("Người thực hiện")),
            ("action", N_("Thao tác")),
            ("changes", N_("Thay đổi")),
        ],
    )
    data_table(
        hist_cols,
        [
            {
                "id": i,
                "at": local_time(h.at, seconds=False),
                "actor": h.actor,
                "action": _label(ACTIONS_SHOWN, h.action, ctx.lang),
                "changes": "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in h.changes.items()),
            }
            for i, h in enumerate(history)
        ],
        row_key="id",
        marker="assets-history",
        wrap=True,
    )


def draw_files(ctx: PageContext, number: str, reload: Callable[[], None]) -> None:
    """The record's files as download links; an upload for whoever may edit the asset."""
    attachments = ctx.services.assets.attachments
    ui.label(ctx.t(N_("Tệp đính kèm"))).classes("text-lg mt-4")
    with ui.column().classes("gap-1").mark("assets-files"):
        files = attachments.listing(ctx.principal, number)
        if not files:
            ui.label(ctx.t(N_("Chưa có tệp nào."))).classes("text-grey-7")
        for f in files:
            size = f"{f.size_bytes / 1024:,.0f} KB".replace(",", ".")
            with ui.row().classes("items-center gap-2"):
                ui.link(f.filename, f"/api/v1/assets/{quote(number)}/attachments/{f.id}", new_tab=True).mark(
                    "assets-file-link"
                )
                ui.label(f"{size} · {f.uploaded_by} · {local_time(f.uploaded_at, seconds=False)}"
                         + (f" · {f.note}" if f.note else "")).classes("text-sm text-grey-7")  # fmt: skip
    if not gate.allows(ctx.principal, access.EDIT):
        return
    problem = ui.label().classes("text-negative").mark("assets-files-problem")

    async def uploaded(event: UploadEventArguments) -> None:
        data = await event.file.read()
        try:
            await run.io_bound(attachments.add, ctx.principal, ctx.actor(), number, event.file.name, data)
        except DomainError as exc:
            problem.set_text(str(exc))
            return
        reload()

    ui.upload(label=ctx.t(N_(
        "Thêm tệp (hóa đơn, biên bản bàn giao, ảnh, bảo hành: PDF, ảnh hoặc tệp "
        "Office)"
    )), auto_upload=True, on_upload=uploaded,
              max_file_size=attachments.rules.max_bytes).props(
        'accept=".pdf,.jpg,.jpeg,.png,.tif,.tiff,.doc,.docx,.xls,.xlsx,.odt,.ods" flat bordered'
    ).classes("w-full sm:w-[32rem]").mark("assets-files-upload")  # fmt: skip
