"""The asset register's papers (issue 16 items 1–2), rendered by hub.reports' fpdf2 renderer (A4 landscape,
DejaVu Sans for Vietnamese, the Decree 30 heading) and hub.assets.xlsx:

- the asset card (thẻ tài sản cố định): the asset's particulars, its wear (or depreciation) year by year and
  its history — the card the accounting regime keeps per asset (form S23-H of TT 107/2017 in its layout; the
  form code is [U], DOMAIN.md §12.1);
- the wear table of a year (bảng tính hao mòn) as PDF (its XLSX: hub.assets.wear_table.wear_table_xlsx);
- the fixed-asset book of a year (sổ tài sản cố định, "S24-H" [U]): per asset the increase (ghi tăng: in use
  from, cost), the wear of the year and accumulated, and the decrease (ghi giảm: liquidated on), as XLSX and PDF.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from hub.assets.models import FUNDING_LABELS, STATUS_LABELS, Asset, HistoryEntry, WearRow
from hub.assets.movements.models import HISTORY_LABELS
from hub.assets.wear import WearYear
from hub.reports.documents import Column, ReportDocument
from hub.reports.export_pdf import render_pdf

AGENCY = ("TỔNG CỤC HẢI QUAN", "ĐƠN VỊ QUẢN LÝ TÀI SẢN")
BASIS = "Căn cứ: Luật Quản lý, sử dụng tài sản công 2017; Thông tư 23/2023/TT-BTC (hao mòn tính tại 31/12)."
ACTIONS = {"create": "Ghi tăng tài sản", "update": "Cập nhật", "import": "Nhập từ tệp"}
FIELDS = {
    "location_id": "vị trí",
    "custodian_id": "người sử dụng",
    "unit_id": "đơn vị",
    "status": "trạng thái",
    "cost": "nguyên giá",
    "name": "tên",
}


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _rate(rate: Decimal) -> str:
    return f"{rate.normalize():f}".replace(".", ",")


def _history_text(h: HistoryEntry) -> str:
    what = ACTIONS.get(h.action) or HISTORY_LABELS.get(h.action, (h.action, ""))[0]
    changed = [FIELDS[k] for k in h.changes if k in FIELDS]
    return what + (f" ({', '.join(changed)})" if changed else "")


def asset_card_pdf(
    asset: Asset, schedule: Sequence[WearYear], history: Sequence[HistoryEntry], remaining: int, now: datetime
) -> bytes:
    """Thẻ tài sản cố định: the particulars as lines, the wear years as the table, then the history."""
    method = "Khấu hao hằng tháng (dùng cho kinh doanh)" if asset.business_use else "Hao mòn, tính mỗi năm tại 31/12"
    rows: list[list[object]] = [
        [str(y.year), money(asset.cost), _rate(asset.wear_rate_pct), money(y.opening), money(y.wear),
         money(y.closing), money(y.remaining)]
        for y in schedule
    ]  # fmt: skip
    notes = [
        f"Số thẻ / mã tài sản: {asset.asset_number}. Tên tài sản: {asset.name}."
        + (f" Số serial: {asset.serial_number}." if asset.serial_number else ""),
        f"Loại tài sản: {asset.category_name} ({asset.category_code}); thời gian sử dụng"
        f" {asset.service_life_years.normalize():f} năm; tỷ lệ {_rate(asset.wear_rate_pct)} %/năm; {method}.",
        f"Đơn vị quản lý, sử dụng: {asset.unit_name} ({asset.unit_code}). Vị trí: {asset.location_name or '—'}."
        f" Người sử dụng: {asset.custodian_name or '—'}.",
        f"Ngày đưa vào sử dụng: {_day(asset.acquired_on)}. Nguyên giá: {money(asset.cost)} đồng. Nguồn hình"
        f" thành: {FUNDING_LABELS.get(asset.funding_source, (asset.funding_source,))[0]}.",
        f"Trạng thái: {STATUS_LABELS.get(asset.status, (asset.status,))[0]}."
        + (f" Ghi giảm (thanh lý) ngày {_day(asset.liquidated_on)}." if asset.liquidated_on else "")
        + f" Giá trị còn lại tại ngày lập: {money(remaining)} đồng.",
        f"Mã EPC của thẻ RFID: {asset.epc_hex or 'chưa cấp'}.",
        "Lịch sử: "
        + ("; ".join(f"{_day(h.at.date())} {_history_text(h)} ({h.actor})" for h in history[-30:]) if history else "—"),
        BASIS,
    ]
    doc = ReportDocument(
        title="THẺ TÀI SẢN CỐ ĐỊNH",
        period=f"Số: {asset.asset_number} — lập ngày {_day(now.date())}",
        unit_name=f"{asset.unit_name}",
        columns=(
            Column("Năm", 1.2),
            Column("Nguyên giá", 2.4, "right"),
            Column("Tỷ lệ (%)", 1.4, "right"),
            Column("Lũy kế đầu năm", 2.4, "right"),
            Column("Hao mòn trong năm", 2.4, "right"),
            Column("Lũy kế cuối năm", 2.4, "right"),
            Column("Giá trị còn lại", 2.4, "right"),
        ),
        rows=rows,
        filename_stem=f"the-tscd-{asset.asset_number}",
        notes=tuple(notes),
        signatures=("Người lập thẻ", "Kế toán trưởng", "Thủ trưởng đơn vị"),
        generated_at=now,
        agency_lines=AGENCY,
    )
    return render_pdf(doc)


def _totals(rows: Sequence[WearRow]) -> tuple[int, int, int, int, int]:
    return (sum(r.cost for r in rows), sum(r.opening for r in rows), sum(r.wear for r in rows),
            sum(r.closing for r in rows), sum(r.remaining for r in rows))  # fmt: skip


def wear_table_pdf(rows: Sequence[WearRow], year: int, scope: str, now: datetime) -> bytes:
    lines: list[list[object]] = [
        [i, r.asset_number, r.name, r.unit_code, _day(r.acquired_on), money(r.cost), _rate(r.rate_pct),
         money(r.opening), money(r.wear), money(r.closing), money(r.remaining)]
        for i, r in enumerate(rows, 1)
    ]  # fmt: skip
    cost, opening, worn, closing, remaining = _totals(rows)
    lines.append(["", "Cộng", f"{len(rows)} tài sản", "", "", money(cost), "", money(opening), money(worn),
                  money(closing), money(remaining)])  # fmt: skip
    doc = ReportDocument(
        title=f"BẢNG TÍNH HAO MÒN TÀI SẢN CỐ ĐỊNH NĂM {year}",
        period=f"Tính tại ngày 31/12/{year}; đơn vị tính: đồng",
        unit_name=scope,
        columns=(
            Column("STT", 0.8, "right"),
            Column("Mã tài sản", 2.2),
            Column("Tên tài sản", 4.4),
            Column("Đơn vị", 1.6),
            Column("Ngày sử dụng", 1.8),
            Column("Nguyên giá", 2.2, "right"),
            Column("Tỷ lệ (%)", 1.2, "right"),
            Column("Lũy kế đầu năm", 2.2, "right"),
            Column("Trong năm", 2.0, "right"),
            Column("Lũy kế cuối năm", 2.2, "right"),
            Column("Còn lại", 2.2, "right"),
        ),
        rows=lines,
        filename_stem=f"bang-hao-mon-{year}",
        notes=(BASIS, "Tài sản dùng cho kinh doanh: số khấu hao lũy kế trong năm thay cho hao mòn."),
        signatures=("Người lập", "Kế toán trưởng", "Thủ trưởng đơn vị"),
        generated_at=now,
        agency_lines=AGENCY,
    )
    return render_pdf(doc)


BOOK_HEADERS = (
    ("STT", "No."),
    ("Ngày ghi tăng (đưa vào sử dụng)", "Increase (in use from)"),
    ("Mã tài sản", "Asset number"),
    ("Tên tài sản", "Name"),
    ("Loại", "Category"),
    ("Đơn vị", "Unit"),
    ("Nguyên giá", "Cost"),
    ("Tỷ lệ hao mòn (%)", "Wear rate (%)"),
    ("Hao mòn trong năm", "Wear of the year"),
    ("Lũy kế hao mòn", "Accumulated wear"),
    ("Giá trị còn lại", "Remaining value"),
    ("Ngày ghi giảm", "Decrease (liquidated on)"),
)


def _book_line(i: int, r: WearRow) -> list[object]:
    return [i, _day(r.acquired_on), r.asset_number, r.name, r.category_code, r.unit_code, r.cost, r.rate_pct,
            r.wear, r.closing, r.remaining, _day(r.liquidated_on)]  # fmt: skip


def book_xlsx(rows: Iterable[WearRow], year: int) -> bytes:
    """Sổ tài sản cố định of `year` as XLSX, streamed (the register may hold 200,000 assets)."""
    from hub.assets.xlsx import BOLD, PLAIN, write_xlsx

    def lines() -> Iterator[tuple[Sequence[object], int]]:
        yield [f"SỔ TÀI SẢN CỐ ĐỊNH NĂM {year} / FIXED-ASSET BOOK {year}"], BOLD
        yield ["Mẫu S24-H [U] (TT 107/2017/TT-BTC); đơn vị tính: đồng / amounts in đồng"], PLAIN
        yield [f"{vi} / {en}" for vi, en in BOOK_HEADERS], BOLD
        count, cost, worn, closing, remaining = 0, 0, 0, 0, 0
        for r in rows:
            count += 1
            yield _book_line(count, r), PLAIN
            cost, worn, closing, remaining = cost + r.cost, worn + r.wear, closing + r.closing, remaining + r.remaining
        yield ["", f"Cộng / Total ({count})", "", "", "", "", cost, "", worn, closing, remaining, ""], BOLD

    return write_xlsx(f"So TSCD {year}", lines())


def book_pdf(rows: Sequence[WearRow], year: int, scope: str, now: datetime) -> bytes:
    lines: list[list[object]] = []
    for i, r in enumerate(rows, 1):
        line = _book_line(i, r)
        line[6], line[7], line[8], line[9], line[10] = (money(r.cost), _rate(r.rate_pct), money(r.wear),
                                                        money(r.closing), money(r.remaining))  # fmt: skip
        lines.append(line)
    cost, _, worn, closing, remaining = _totals(rows)
    lines.append(["", "Cộng", f"{len(rows)} tài sản", "", "", "", money(cost), "", money(worn), money(closing),
                  money(remaining), ""])  # fmt: skip
    doc = ReportDocument(
        title=f"SỔ TÀI SẢN CỐ ĐỊNH NĂM {year}",
        period=f"Từ 01/01/{year} đến 31/12/{year}; đơn vị tính: đồng (mẫu S24-H [U])",
        unit_name=scope,
        columns=(
            Column("STT", 0.8, "right"),
            Column("Ghi tăng", 1.8),
            Column("Mã tài sản", 2.0),
            Column("Tên tài sản", 4.0),
            Column("Loại", 1.8),
            Column("Đơn vị", 1.5),
            Column("Nguyên giá", 2.0, "right"),
            Column("Tỷ lệ (%)", 1.1, "right"),
            Column("Hao mòn năm", 2.0, "right"),
            Column("Lũy kế", 2.0, "right"),
            Column("Còn lại", 2.0, "right"),
            Column("Ghi giảm", 1.8),
        ),
        rows=lines,
        filename_stem=f"so-tscd-{year}",
        notes=(BASIS,),
        signatures=("Người ghi sổ", "Kế toán trưởng", "Thủ trưởng đơn vị"),
        generated_at=now,
        agency_lines=AGENCY,
    )
    return render_pdf(doc)
