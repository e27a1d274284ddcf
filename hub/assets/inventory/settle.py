"""Settling one difference of an inventory session, inside the caller's transaction: `moved` puts the asset's
location where it was found; `missing` records it not found (on its history); `registered` makes an unknown tag a
new asset in the room it was read."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import psycopg

from hub.access import Target, gate
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.assets import access
from hub.assets import repository as assets_repo
from hub.assets.inventory.models import Inventory, Line
from hub.assets.models import AssetConflict, AssetError, AssetInput
from hub.domain import bilingual

if TYPE_CHECKING:
    from hub.assets.service import AssetsService


def settle(
    conn: psycopg.Connection,
    principal: Principal,
    actor: Actor,
    inventory: Inventory,
    outcome: str,
    line: Line,
    note: str | None,
    register: AssetInput | None,
    assets: AssetsService,
) -> int:
    """Apply `outcome` to `line` (checked by the caller to be an unresolved difference of that kind): the asset's id."""
    if outcome == "registered":
        if register is None:
            raise AssetError(bilingual("cần thông tin tài sản để đăng ký thẻ", "the new asset's fields are needed"))
        categories = {c.code: c for c in assets_repo.categories(conn)}
        inp = register if register.location_code else replace(register, location_code=line.room_code)
        created = assets._create(conn, principal, actor, inp, categories)
        tag = line.tag or ""
        if not tag.startswith(("asset:", "urn:")) and created.epc_hex != tag:  # the tag read is its tag
            with conn.transaction():
                try:
                    assets_repo.set_epc(conn, created.id, tag)
                except psycopg.errors.UniqueViolation as exc:
                    raise AssetConflict(
                        bilingual("thẻ đã gắn với tài sản khác", "the tag belongs to another asset")
                    ) from exc
        return created.id
    asset = assets_repo.asset_by_number(conn, line.asset_number or "", lock=True)
    assert asset is not None
    gate.check(principal, access.EDIT, Target.unit(asset.unit_path))
    if outcome == "missing":
        assets_repo.add_history(
            conn,
            asset.id,
            actor.username,
            "inventory.missing",
            {"inventory": [None, inventory.id], "note": [None, note]},
        )
        return asset.id
    room = assets_repo.location_row(conn, line.room_code or "")
    if room is None:
        raise AssetError(bilingual("không rõ phòng tìm thấy", "the room it was found in is not known"))
    if not asset.unit_path.startswith(room[3]) and not room[3].startswith(asset.unit_path):
        raise AssetError(
            bilingual(
                f"phòng {line.room_code} thuộc đơn vị khác: cần điều chuyển tài sản",
                f"room {line.room_code} is another unit's: the asset needs a transfer",
            )
        )
    current = assets_repo.raw_ids(conn, asset.id)
    assets_repo.update_asset(conn, asset.id, {"location_id": room[0]})
    assets_repo.add_history(
        conn,
        asset.id,
        actor.username,
        "inventory.move",
        {"location_id": [current["location_id"], room[0]], "inventory": [None, inventory.id]},
    )
    return asset.id
