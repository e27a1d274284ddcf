"""Opening balances (số dư phép đầu kỳ) from a CSV/XLSX file: one row per person, checked row by row;
the good rows are written in one transaction, every refused row is listed with its reason.

Columns (Vietnamese or English headers): `employee_code` (Mã cán bộ), `days` (Số ngày / Số dư đầu kỳ),
optional `reason` (Lý do / Ghi chú).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from hub.people.sheets import Cell, SheetColumns, SourceRow

OPENING_COLUMNS = SheetColumns.of(
    ("employee_code", "days"),
    {
        "employee_code": ("ma can bo", "ma nhan vien", "ma nv", "ma cb", "employee code"),
        "days": ("so ngay", "so ngay phep", "so du", "so du dau ky", "so ngay con lai", "opening days"),
        "reason": ("ly do", "ghi chu", "reason", "note"),
    },
)
MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class RefusedRow:
    row: int
    column: str
    reason: str  # "Vietnamese / English"


@dataclass
class OpeningReport:
    year: int
    rows: int = 0
    imported: int = 0
    rejected: list[RefusedRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OpeningRow:
    row: int
    employee_code: str
    days: float
    reason: str


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _days(value: Cell) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = float(value)
    else:
        number = float(_text(value).replace(",", "."))
    if not -MAX_DAYS <= number <= MAX_DAYS or round(number * 2) != number * 2:
        raise ValueError
    return number


def check_rows(rows: Sequence[SourceRow], year: int) -> tuple[list[OpeningRow], list[RefusedRow]]:
    """The rows that can be written and those refused (form only; who exists is the service's check)."""
    good: list[OpeningRow] = []
    refused: list[RefusedRow] = []
    codes = Counter(_text(r.values.get("employee_code")) for r in rows)
    for r in rows:
        code = _text(r.values.get("employee_code"))
        if not code:
            refused.append(RefusedRow(r.number, "employee_code", "thiếu mã cán bộ / the employee code is missing"))
            continue
        if codes[code] > 1:
            refused.append(RefusedRow(r.number, "employee_code", f"{code} có ở nhiều dòng / {code} is on several rows"))
            continue
        try:
            days = _days(r.values.get("days"))
        except (TypeError, ValueError):
            shown = _text(r.values.get("days"))[:40]
            refused.append(
                RefusedRow(
                    r.number, "days",
                    f"{shown!r} không phải số ngày (bội của 0,5; ±{MAX_DAYS}) / {shown!r} is not a number of days"
                    f" (a multiple of 0.5 within ±{MAX_DAYS})",
                )
            )  # fmt: skip
            continue
        reason = _text(r.values.get("reason"))[:500] or f"Số dư đầu kỳ {year} / opening balance {year}"
        good.append(OpeningRow(r.number, code, days, reason))
    return good, refused
