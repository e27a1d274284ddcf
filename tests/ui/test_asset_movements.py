"""Asset movements on the web: an asset officer checks an asset out from its page and asks for a repair; a
manager approves the repair on the approvals page; the asset page then shows it under repair. Real
PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

from datetime import date

from hub.accounts.audit import Actor
from hub.accounts.principal import Role
from hub.assets.models import AssetInput
from tests.ui.conftest import SETUP_ADMIN, sign_out
from tests.ui.test_leave import set_value


async def test_check_out_request_a_repair_and_approve_it(sign_in, ui_services) -> None:
    ui_services.assets.create(
        SETUP_ADMIN, Actor("test-setup"),
        AssetInput(asset_number="TS-001", name="Máy tính xách tay Dell", category_code="may-vi-tinh",
                   unit_code="DOI1", cost=15_000_000, acquired_on=date(2024, 4, 1), status="in_store"),
    )  # fmt: skip
    user = await sign_in((Role.ASSET_OFFICER, "CCHQNB"))
    await user.open("/assets?asset=TS-001")
    await user.should_see(marker="move-form")
    await set_value(user, "move-reason", "Cấp cho cán bộ")
    await set_value(user, "move-employee", "NV001")
    user.find(marker="move-send").click()
    await user.should_see("Nguyễn Văn Đức — Cấp cho cán bộ", retries=20)
    movement = ui_services.asset_movements.of_asset(SETUP_ADMIN, "TS-001")[0]
    user.find(marker=f"move-return-{movement.id}").click()
    await user.should_see("Đã trả lại", retries=20)
    await set_value(user, "move-kind", "repair")
    await set_value(user, "move-reason", "Hỏng bàn phím")
    await set_value(user, "move-party", "Công ty Tin học A")
    user.find(marker="move-send").click()
    await user.should_see("Chờ duyệt", retries=20)
    await sign_out(user)

    manager = await sign_in((Role.MANAGER, "CCHQNB"))
    await manager.open("/asset-movements")
    repair = ui_services.asset_movements.of_asset(SETUP_ADMIN, "TS-001")[0]
    await manager.should_see(marker=f"moves-decide-{repair.id}")
    await set_value(manager, f"moves-note-{repair.id}", "Đồng ý")
    manager.find(marker=f"moves-approve-{repair.id}").click()
    await manager.should_see("Không có đề nghị nào chờ duyệt.", retries=20)
    assert ui_services.assets.get(SETUP_ADMIN, "TS-001").status == "under_repair"
