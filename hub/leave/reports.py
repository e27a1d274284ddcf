"""Leave reports as printable documents with the official heading (hub.reports renders XLSX and PDF):
leave taken by unit, type and month; balances at year end with the days that may be paid out
(Circular 141/2011: only days refused for work reasons, up to what is left)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from hub.leave.balance import Balance
from hub.leave.models import Employee, LeaveType
from hub.reports.documents import Column, ReportDocument, ascii_slug


def agency_lines(unit_names: Sequence[str]) -> tuple[str, ...]:
    """The heading's left block: the body above (if any) and the unit, in capitals."""
    names = [n.upper() for n in unit_names[-2:]]
    return tuple(names)


def _n(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 1)


def taken_document(
    unit_names: Sequence[str],
    year: int,
    rows: Sequence[tuple[str, str, int, float]],
    types: Mapping[str, LeaveType],
    generated_at: datetime | None = None,
) -> ReportDocument:
    grouped: dict[tuple[str, str], list[float]] = {}
    for unit, kind, month, days in rows:
        grouped.setdefault((unit, kind), [0.0] * 12)[month - 1] += days
    body = [
        (unit, types[kind].name_vi if kind in types else kind, *(_n(d) if d else None for d in months), _n(sum(months)))
        for (unit, kind), months in sorted(grouped.items())
    ]
    return ReportDocument(
        title="BÁO CÁO NGHỈ PHÉP THEO ĐƠN VỊ, LOẠI NGHỈ VÀ THÁNG",
        period=f"Năm {year}",
        unit_name=unit_names[-1],
        columns=(
            Column("Đơn vị", 6.0),
            Column("Loại nghỉ", 5.0),
            *(Column(f"T{m}", 1.1, "right") for m in range(1, 13)),
            Column("Cộng", 1.5, "right"),
        ),
        rows=body,
        filename_stem=f"nghi-phep_{ascii_slug(unit_names[-1])}_{year}",
        sheet_name="Nghỉ phép",
        notes=("Số ngày làm việc của các đơn đã duyệt, tính theo tháng của ngày bắt đầu nghỉ.",),
        generated_at=generated_at,
        agency_lines=agency_lines(unit_names),
    )


def balances_document(
    unit_names: Sequence[str],
    year: int,
    people: Sequence[tuple[Employee, Balance]],
    refused: Mapping[int, float],
    generated_at: datetime | None = None,
) -> ReportDocument:
    body = []
    for i, (e, b) in enumerate(people, start=1):
        payable = min(max(b.remaining_days, 0.0), refused.get(e.id, 0.0))
        body.append(
            (i, e.code, e.full_name, e.unit_code, _n(b.entitled_days), _n(b.carried_over_days), _n(b.adjusted_days),
             _n(b.taken_days), _n(b.pending_days), _n(b.remaining_days), _n(payable))
        )  # fmt: skip
    return ReportDocument(
        title="SỐ NGÀY PHÉP CUỐI NĂM",
        period=f"Năm {year} (đến ngày 31/12/{year})",
        unit_name=unit_names[-1],
        columns=(
            Column("STT", 1.0, "right"),
            Column("Mã CB", 2.0),
            Column("Họ và tên", 5.0),
            Column("Đơn vị", 2.5),
            Column("Được hưởng", 1.8, "right"),
            Column("Năm trước chuyển", 2.0, "right"),
            Column("Điều chỉnh", 1.7, "right"),
            Column("Đã nghỉ", 1.6, "right"),
            Column("Chờ duyệt", 1.6, "right"),
            Column("Còn lại", 1.6, "right"),
            Column("Có thể thanh toán", 2.2, "right"),
        ),
        rows=body,
        filename_stem=f"so-du-phep_{ascii_slug(unit_names[-1])}_{year}",
        sheet_name="Số dư phép",
        notes=(
            "Có thể thanh toán: số ngày còn lại, tối đa bằng số ngày đơn vị không bố trí được cho nghỉ vì lý do"
            " công việc (đơn bị từ chối vì công việc), theo Thông tư 141/2011/TT-BTC.",
        ),
        generated_at=generated_at,
        agency_lines=agency_lines(unit_names),
    )
