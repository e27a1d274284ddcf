"""The inventory page: an asset officer follows a room's session live (a handheld's reads arrive while the page is
open), records a missing asset, closes the session and gets the minutes' link; the year's progress per office.
Real PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

from datetime import date

from hub.accounts.audit import Actor
from hub.accounts.principal import Role
from hub.assets.models import AssetInput
from tests.ui.conftest import SETUP_ADMIN, table_rows


async def test_follow_a_room_live_record_a_missing_asset_and_close(sign_in, ui_services) -> None:
    actor = Actor("test-setup")
    assets = ui_services.assets
    for kind, code, parent, unit in (
        ("office", "TS-NB", None, "CCHQNB"),
        ("building", "NB-A", "TS-NB", None),
        ("floor", "NB-A1", "NB-A", None),
        ("room", "P101", "NB-A1", None),
    ):
        assets.create_location(SETUP_ADMIN, actor, kind, code, f"Vị trí {code}", parent, unit)
    for number in ("TS-1", "TS-2"):
        assets.create(
            SETUP_ADMIN,
            actor,
            AssetInput(
                asset_number=number,
                name=f"Máy tính {number}",
                category_code="may-vi-tinh",
                unit_code="DOI1",
                cost=15_000_000,
                acquired_on=date(2024, 4, 1),
                location_code="P101",
            ),
        )
    session = ui_services.asset_inventory.start(SETUP_ADMIN, actor, "P101", "Kiểm kê phòng 101", 2026)

    user = await sign_in((Role.ASSET_OFFICER, "CCHQNB"))
    await user.open(f"/asset-inventory?session={session.id}")
    await user.should_see("Không thấy: 2")
    ui_services.asset_inventory.add_reads(SETUP_ADMIN, actor, session.id, "P101", ["TS-1"])
    await user.should_see("Có mặt: 1", retries=40)  # the page refreshes by itself
    user.find(marker="inv-resolve-TS-2").click()
    await user.should_see("Ghi nhận thiếu", retries=20)
    await user.should_see("Chưa xử lý: 0", retries=20)
    user.find(marker="inv-close").click()
    await user.should_see(marker="inv-minutes", retries=20)

    await user.open("/asset-inventory")
    sessions = await table_rows(user, "inv-sessions")
    assert [(r["title"], r["status"]) for r in sessions] == [("Kiểm kê phòng 101", "Đã kết thúc")]
    progress = await table_rows(user, "inv-progress")
    assert [(r["assets"], r["found"], r["resolved"]) for r in progress] == [(2, "1 (50 %)", 1)]
