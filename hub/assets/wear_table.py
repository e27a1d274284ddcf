"""The wear table (bảng tính hao mòn) of a year as XLSX, written streaming so that the whole register of a
large administration fits in little memory (its PDF: hub.assets.documents)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from hub.assets.models import WearRow

WEAR_HEADERS = (
    ("Mã tài sản", "Asset number"),
    ("Tên tài sản", "Name"),
    ("Đơn vị", "Unit"),
    ("Loại", "Category"),
    ("Ngày sử dụng", "In use from"),
    ("Nguyên giá", "Cost"),
    ("Tỷ lệ (%)", "Rate (%)"),
    ("Hao mòn/khấu hao lũy kế đầu năm", "Accumulated at 1 Jan"),
    ("Hao mòn/khấu hao trong năm", "This year"),
    ("Lũy kế cuối năm", "Accumulated at 31 Dec"),
    ("Giá trị còn lại", "Remaining value"),
    ("Khấu hao (kinh doanh)", "Depreciated (business)"),
)


def wear_table_xlsx(rows: Iterable[WearRow], year: int) -> bytes:
    """The wear table (bảng tính hao mòn) of `year` as XLSX, written streaming (hub.assets.xlsx)."""
    from hub.assets.xlsx import BOLD, PLAIN, write_xlsx

    def lines() -> Iterator[tuple[Sequence[object], int]]:
        yield [f"BẢNG TÍNH HAO MÒN TÀI SẢN CỐ ĐỊNH NĂM {year} / FIXED-ASSET WEAR TABLE {year}"], BOLD
        yield ["Tính tại 31/12 (TT 23/2023/TT-BTC) / as of 31 December; đơn vị tính: đồng / amounts in đồng"], PLAIN
        yield [f"{vi} / {en}" for vi, en in WEAR_HEADERS], BOLD
        totals = [0, 0, 0, 0, 0]
        count = 0
        for r in rows:
            count += 1
            yield [r.asset_number, r.name, r.unit_code, r.category_code, r.acquired_on, r.cost, r.rate_pct,
                   r.opening, r.wear, r.closing, r.remaining, "x" if r.business_use else ""], PLAIN  # fmt: skip
            totals[0] += r.cost
            totals[1] += r.opening
            totals[2] += r.wear
            totals[3] += r.closing
            totals[4] += r.remaining
        yield [f"Cộng / Total ({count})", "", "", "", "", totals[0], "", *totals[1:], ""], BOLD

    return write_xlsx(f"Hao mon {year}", lines())
