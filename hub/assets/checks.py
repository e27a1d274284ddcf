"""What an asset record must satisfy before it is written: its number, name, cost, category, unit, custodian,
location, funding source, dates and status, each refused in Vietnamese and English — shared by create, update
and the import, which must refuse the same things the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg

from hub.access import Action, Target, gate
from hub.accounts.principal import Principal
from hub.assets import repository
from hub.assets.models import FUNDING_LABELS, STATUS_LABELS, AssetError, AssetInput, Category, bilingual
from hub.localtime import LOCAL_TZ
from hub.people.text import fold
from protocol.epc import AssetEpcPolicy, EpcError, asset_epc

NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MAX_NAME = 300
MAX_COST = 10**15 - 1
OLDEST = date(1950, 1, 1)


def today(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()


def require_in_unit(principal: Principal, action: Action, unit_path: str) -> None:
    gate.check(principal, action, Target.unit(unit_path))


def label_of(value: str, labels: dict[str, tuple[str, str]], field_vi: str, field_en: str) -> str:
    folded = fold(value).replace("_", " ")
    for code, (vi, en) in labels.items():
        if folded in (code.replace("_", " "), fold(vi), fold(en)):
            return code
    known = ", ".join(f"{code} ({vi})" for code, (vi, _) in labels.items())
    raise AssetError(
        bilingual(f"{field_vi} {value[:40]!r} không hợp lệ (có: {known})", f"{field_en} {value[:40]!r} is not valid")
    )


def checked_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise AssetError(bilingual("tài sản cần có tên", "the asset needs a name"))
    if len(name) > MAX_NAME:
        raise AssetError(bilingual(f"tên dài hơn {MAX_NAME} ký tự", f"the name is longer than {MAX_NAME} characters"))
    return name


def checked_number(text: str) -> str:
    number = text.strip()
    if not NUMBER.match(number):
        raise AssetError(
            bilingual(
                f"mã tài sản {number[:40]!r} không hợp lệ: chữ, số, '.', '_', '-' (tối đa 40)",
                f"asset number {number[:40]!r} is not valid: letters, digits, '.', '_', '-' (at most 40)",
            )
        )
    return number


def checked_cost(value: int) -> int:
    if isinstance(value, bool) or not 0 < value <= MAX_COST:
        raise AssetError(
            bilingual(
                "nguyên giá phải là số đồng dương (≤ 10^15)", "the cost must be a positive amount of đồng (≤ 10^15)"
            )
        )
    return value


@dataclass(frozen=True, slots=True)
class Resolved:
    values: dict[str, Any]
    unit_path: str
    category: Category


def checked_location(conn: psycopg.Connection, code: str, unit_path: str) -> int:
    """A location's id, if it is on the premises of the unit at `unit_path` (or of a unit above or below it)."""
    location = repository.location_row(conn, code)
    if location is None:
        raise AssetError(bilingual(f"không có vị trí mã {code!r}", f"no location {code!r}"))
    if not unit_path.startswith(location[3]) and not location[3].startswith(unit_path):
        raise AssetError(
            bilingual(
                f"vị trí {code} thuộc trụ sở của đơn vị khác", f"location {code} belongs to another unit's premises"
            )
        )
    return location[0]


def resolve(
    conn: psycopg.Connection,
    inp: AssetInput,
    current: dict[str, Any] | None,
    categories: dict[str, Category],
    now: datetime,
) -> Resolved:
    """The columns to write (all of a new asset's; an update's changed ones) and the asset's unit path."""
    values: dict[str, Any] = {}
    base = current or {}
    if inp.asset_number is not None and current is None:
        values["asset_number"] = checked_number(inp.asset_number)
    elif current is None:
        raise AssetError(bilingual("thiếu mã tài sản", "the asset number is missing"))
    if inp.name is not None:
        values["name"] = checked_name(inp.name)
    elif current is None:
        raise AssetError(bilingual("tài sản cần có tên", "the asset needs a name"))
    code = inp.category_code if inp.category_code is not None else base.get("category_code")
    category = categories.get(code or "")
    if category is None:
        raise AssetError(
            bilingual(
                f"không có loại tài sản {code!r} (có: {', '.join(categories)})",
                f"no asset category {code!r} (known: {', '.join(categories)})",
            )
        )
    if inp.category_code is not None:
        values["category_code"] = category.code
    unit_path = ""
    if inp.unit_code is not None:
        unit = repository.unit_row(conn, inp.unit_code)
        if unit is None:
            raise AssetError(bilingual(f"không có đơn vị mã {inp.unit_code!r}", f"no org unit {inp.unit_code!r}"))
        if not unit[2]:
            raise AssetError(bilingual(f"đơn vị {inp.unit_code} đã giải thể", f"unit {inp.unit_code} is closed"))
        values["unit_id"], unit_path = unit[0], unit[1]
    elif current is None:
        raise AssetError(bilingual("thiếu đơn vị quản lý", "the unit is missing"))
    else:
        unit_path = repository.unit_path(conn, base["unit_id"])
    if inp.custodian_code is not None:
        employee = repository.employee_row(conn, inp.custodian_code)
        if employee is None:
            raise AssetError(
                bilingual(f"không có cán bộ mã {inp.custodian_code!r}", f"no employee {inp.custodian_code!r}")
            )
        values["custodian_id"] = employee
    if inp.location_code is not None:
        values["location_id"] = checked_location(conn, inp.location_code, unit_path)
    if inp.cost is not None:
        values["cost"] = checked_cost(inp.cost)
    elif current is None:
        raise AssetError(bilingual("thiếu nguyên giá", "the cost is missing"))
    if inp.funding_source is not None:
        values["funding_source"] = label_of(inp.funding_source, FUNDING_LABELS, "nguồn kinh phí", "funding source")
    elif current is None:
        values["funding_source"] = "state_budget"
    acquired = inp.acquired_on if inp.acquired_on is not None else base.get("acquired_on")
    if acquired is None:
        raise AssetError(bilingual("thiếu ngày đưa vào sử dụng", "the acquisition date is missing"))
    if not OLDEST <= acquired <= today(now):
        raise AssetError(
            bilingual(
                f"ngày đưa vào sử dụng {acquired:%d/%m/%Y} phải từ 01/01/1950 đến hôm nay",
                f"the acquisition date {acquired:%d/%m/%Y} must be between 1950-01-01 and today",
            )
        )
    if inp.acquired_on is not None:
        values["acquired_on"] = acquired
    if inp.business_use is not None:
        values["business_use"] = inp.business_use
    status = inp.status if inp.status is not None else base.get("status", "in_use")
    status = label_of(status, STATUS_LABELS, "trạng thái", "status")
    liquidated = inp.liquidated_on if inp.liquidated_on is not None else base.get("liquidated_on")
    if status == "liquidated":
        liquidated = liquidated or today(now)
        if liquidated < acquired or liquidated > today(now):
            raise AssetError(
                bilingual(
                    "ngày thanh lý phải từ ngày đưa vào sử dụng đến hôm nay",
                    "the liquidation date must be between the acquisition date and today",
                )
            )
    else:
        liquidated = None
    if current is None or status != base.get("status"):
        values["status"] = status
    if current is None or liquidated != base.get("liquidated_on"):
        values["liquidated_on"] = liquidated
    if inp.serial_number is not None:
        serial = " ".join(inp.serial_number.split())[:100]
        values["serial_number"] = serial or None
    for name in inp.clear:
        if name in ("custodian_code", "location_code", "serial_number"):
            values[{"custodian_code": "custodian_id", "location_code": "location_id"}.get(name, name)] = None
    if current is not None:  # only what changes
        values = {k: v for k, v in values.items() if base.get(k) != v}
    name = values.get("name", base.get("name", ""))
    number = values.get("asset_number", base.get("asset_number", ""))
    serial = values.get("serial_number", base.get("serial_number")) or ""
    if "name" in values or "serial_number" in values or current is None:
        values["search_text"] = fold(f"{number} {name} {serial}")
    return Resolved(values, unit_path, category)


def epc_of(policy: AssetEpcPolicy | None, number: str, serial: int) -> str | None:
    if policy is None:
        return None
    try:
        return asset_epc(number, policy, register_serial=serial).hex
    except EpcError as exc:
        raise AssetError(str(exc)) from exc


def shown(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "search_text"}
