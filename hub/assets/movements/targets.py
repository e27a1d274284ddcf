"""Where an asset goes on a movement (điều chuyển, cấp phát, sửa chữa, cho mượn, thanh lý): the targets a request
names, checked against the register before the request is stored (hub.assets.movements.service holds the flow)."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

from hub.assets import repository as assets_repo
from hub.assets.checks import checked_location
from hub.assets.models import Asset, AssetConflict, AssetError
from hub.assets.movements.models import MovementInput
from hub.domain import bilingual

MAX_PARTY = 200


def checked_text(value: str | None, limit: int, vi: str, en: str, *, required: bool = False) -> str | None:
    """A one-line text with its spaces tidied, at most `limit` characters; empty is None unless required."""
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise AssetError(bilingual(f"cần {vi}", f"{en} is required"))
        return None
    if len(text) > limit:
        raise AssetError(bilingual(f"{vi} dài hơn {limit} ký tự", f"{en} is longer than {limit} characters"))
    return text


def movement_targets(conn: psycopg.Connection, asset: Asset, inp: MovementInput, day: date) -> dict[str, Any]:
    """What a movement changes on its asset (employee, unit, location, party, decision), each checked: a bad
    target refuses the whole request before anything is written."""
    out: dict[str, Any] = {}
    if inp.kind == "checkout":
        if asset.status not in ("in_use", "in_store"):
            raise AssetConflict(
                bilingual(
                    "chỉ cấp phát được tài sản đang sử dụng hoặc trong kho",
                    "only an asset in use or in store can be checked out",
                )
            )
        employee = assets_repo.employee_row(conn, inp.employee_code or "")
        if employee is None:
            raise AssetError(
                bilingual(f"không có cán bộ mã {inp.employee_code!r}", f"no employee {inp.employee_code!r}")
            )
        out["to_employee_id"] = employee
    elif inp.kind == "transfer":
        unit_path = asset.unit_path
        if inp.unit_code:
            unit = assets_repo.unit_row(conn, inp.unit_code)
            if unit is None or not unit[2]:
                raise AssetError(
                    bilingual(
                        f"không có đơn vị mã {inp.unit_code!r} (hoặc đã giải thể)",
                        f"no open org unit {inp.unit_code!r}",
                    )
                )
            if unit[0] != assets_repo.raw_ids(conn, asset.id)["unit_id"]:
                out["to_unit_id"], unit_path = unit[0], unit[1]
        if inp.location_code:
            out["to_location_id"] = checked_location(conn, inp.location_code, unit_path)
        if not out:
            raise AssetError(
                bilingual("điều chuyển cần vị trí hoặc đơn vị mới", "a transfer needs a new location or unit")
            )
    elif inp.kind in ("repair", "loan"):
        vi = "nơi sửa chữa" if inp.kind == "repair" else "bên mượn"
        en = "the repairer" if inp.kind == "repair" else "the borrower"
        out["party"] = checked_text(inp.party, MAX_PARTY, vi, en, required=True)
    elif inp.kind == "liquidation":
        out["decision_number"] = checked_text(
            inp.decision_number, 100, "số quyết định thanh lý", "the liquidation decision's number", required=True
        )
        if inp.decision_date is None:
            raise AssetError(bilingual("cần ngày quyết định thanh lý", "the decision's date is required"))
        if not asset.acquired_on <= inp.decision_date <= day:
            raise AssetError(
                bilingual(
                    "ngày quyết định phải từ ngày đưa vào sử dụng đến hôm nay",
                    "the decision's date must be between the acquisition and today",
                )
            )
        out["decision_date"] = inp.decision_date
        out["decision_signer"] = checked_text(inp.decision_signer, MAX_PARTY, "người ký", "the signer")
    return out
