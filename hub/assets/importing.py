"""Rows of an asset spreadsheet (CSV/XLSX) into asset inputs: the columns a register file may have under their
Vietnamese or English names, and the cells read as an officer types them (1.000.000 đ, 15/01/2024) — a bad cell
names its column so the rejected-rows report can point at it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from hub.assets.models import AssetError, AssetInput, bilingual
from hub.people.sheets import Cell, SheetColumns
from hub.people.text import fold

ASSET_COLUMNS = SheetColumns.of(
    ("asset_number", "name", "category", "unit", "cost", "acquired_on"),
    {
        "asset_number": ("ma tai san", "so hieu tai san", "so the", "asset number"),
        "name": ("ten tai san", "ten", "asset name"),
        "category": ("loai tai san", "ma loai", "nhom", "category"),
        "unit": ("don vi", "ma don vi", "don vi quan ly", "unit code"),
        "cost": ("nguyen gia", "gia tri", "cost (vnd)"),
        "acquired_on": ("ngay dua vao su dung", "ngay su dung", "ngay mua", "acquired", "acquisition date"),
        "funding_source": ("nguon kinh phi", "nguon von", "funding"),
        "custodian": ("nguoi su dung", "nguoi quan ly", "ma can bo", "custodian"),
        "location": ("vi tri", "ma vi tri", "phong", "location"),
        "business_use": ("kinh doanh", "dung cho kinh doanh", "business"),
        "status": ("trang thai", "tinh trang"),
        "serial_number": ("so serial", "serial", "so seri"),
    },
)


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _cell_day(value: Cell, column: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _column_error(column, f"{text[:40]!r} không phải ngày (dd/mm/yyyy)", f"{text[:40]!r} is not a date")


def _column_error(column: str, vi: str, en: str) -> AssetError:
    exc = AssetError(bilingual(vi, en))
    exc.column = column  # type: ignore[attr-defined]
    return exc


def _cell_cost(value: Cell) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != int(value):
            raise _column_error("cost", "nguyên giá phải là số đồng nguyên", "the cost must be whole đồng")
        return int(value)
    text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
    try:
        return int(Decimal(text))
    except (InvalidOperation, ValueError):
        raise _column_error(
            "cost", f"nguyên giá {str(value)[:40]!r} không phải số", f"the cost {str(value)[:40]!r} is not a number"
        ) from None


def row_input(values: dict[str, Cell] | Any, categories: dict[str, str]) -> AssetInput:
    text = {k: _cell_text(v) for k, v in values.items()}
    for column in ASSET_COLUMNS.required:
        if not text.get(column):
            raise _column_error(column, f"thiếu cột {column}", f"{column} is empty")
    category = categories.get(fold(text["category"]), text["category"])
    cost = _cell_cost(values.get("cost"))
    business = fold(text.get("business_use", "")) in ("co", "x", "yes", "1", "true")
    return AssetInput(
        asset_number=text["asset_number"], name=text["name"], category_code=category, unit_code=text["unit"],
        custodian_code=text.get("custodian") or None, location_code=text.get("location") or None, cost=cost,
        funding_source=text.get("funding_source") or None,
        acquired_on=_cell_day(values.get("acquired_on"), "acquired_on"), business_use=business,
        status=text.get("status") or None, serial_number=text.get("serial_number") or None,
    )  # fmt: skip
