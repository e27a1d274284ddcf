"""The asset page (/assets): search without marks within one's units, an asset's details, wear schedule and
history; another unit's asset refused in words. Real PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

from datetime import date

from hub.accounts.audit import Actor
from hub.accounts.principal import Role
from hub.assets.models import AssetInput
from tests.ui.conftest import SETUP_ADMIN, open_refused, table_rows


def _seed(services) -> None:  # noqa: ANN001
    for number, name, unit, cost in (
        ("TS-001", "Máy tính xách tay Dell Latitude", "DOI1", 15_000_001),
        ("TS-002", "Bàn làm việc gỗ", "DOI1", 12_000_000),
        ("TS-900", "Máy tính để bàn HP", "CHQHCM", 20_000_000),
    ):
        services.assets.create(
            SETUP_ADMIN, Actor("test-setup"),
            AssetInput(asset_number=number, name=name, category_code="may-vi-tinh", unit_code=unit, cost=cost,
                       acquired_on=date(2022, 4, 1)),
        )  # fmt: skip
    services.assets.update(SETUP_ADMIN, Actor("test-setup"), "TS-001", AssetInput(status="under_repair"))


async def test_an_asset_officer_searches_opens_an_asset_and_sees_its_wear_and_history(sign_in, ui_services) -> None:
    _seed(ui_services)
    user = await sign_in((Role.ASSET_OFFICER, "CCHQNB"))
    await user.open("/assets?q=may tinh")
    rows = await table_rows(user, "assets-table")
    assert [(r["number"], r["status"]) for r in rows] == [("TS-001", "Đang sửa chữa")]  # TS-900: another unit
    assert rows[0]["cost"] == "15.000.001"

    await user.open("/assets?asset=TS-001")
    await user.should_see("TS-001 — Máy tính xách tay Dell Latitude")
    await user.should_see("Hao mòn (tính tại 31/12)")
    schedule = await table_rows(user, "assets-schedule")
    assert [r["year"] for r in schedule] == [2022, 2023, 2024, 2025, 2026]
    assert [r["wear"] for r in schedule] == ["3.000.000"] * 4 + ["3.000.001"]
    assert schedule[-1]["remaining"] == "0"
    history = await table_rows(user, "assets-history")
    assert [r["action"] for r in history] == ["Cập nhật", "Thêm mới"]

    await user.open("/assets?asset=TS-900")
    await user.should_see(marker="assets-problem")
    await user.should_see("không có quyền", retries=5)


async def test_an_employee_does_not_see_the_page(sign_in, ui_services) -> None:
    user = await sign_in((Role.EMPLOYEE, "DOI1"))
    await open_refused(user, "/assets")


async def test_an_asset_records_files_are_listed_and_an_officer_may_add_one(sign_in, ui_services, tmp_path) -> None:
    """The invoice kept with TS-002 is a download link on its page; the officer gets an upload, a manager none."""
    from hub.files import ContentStore

    _seed(ui_services)
    ui_services.assets.attachments.store = ContentStore(tmp_path / "files")
    kept = ui_services.assets.attachments.add(
        SETUP_ADMIN, Actor("test-setup"), "TS-002", "hoa-don-ban-go.pdf", b"%PDF-1.4\n% hoa don\n", "Hóa đơn số 7"
    )
    user = await sign_in((Role.ASSET_OFFICER, "CCHQNB"))
    await user.open("/assets?asset=TS-002")
    await user.should_see("hoa-don-ban-go.pdf")
    await user.should_see("Hóa đơn số 7", retries=5)
    with user:
        links = list(user.find(marker="assets-file-link").elements)
    assert [link.props.get("href") for link in links] == [f"/api/v1/assets/TS-002/attachments/{kept.id}"]
    await user.should_see(marker="assets-files-upload")
    history = await table_rows(user, "assets-history")
    assert history[0]["action"] == "Thêm tệp"


async def test_a_manager_reads_an_asset_records_files_but_gets_no_upload(sign_in, ui_services, tmp_path) -> None:
    from hub.files import ContentStore

    _seed(ui_services)
    ui_services.assets.attachments.store = ContentStore(tmp_path / "files")
    ui_services.assets.attachments.add(
        SETUP_ADMIN, Actor("test-setup"), "TS-002", "hoa-don-ban-go.pdf", b"%PDF-1.4\n% hoa don\n", "Hóa đơn số 7"
    )
    manager = await sign_in((Role.MANAGER, "CCHQNB"))
    await manager.open("/assets?asset=TS-002")
    await manager.should_see("hoa-don-ban-go.pdf")
    await manager.should_not_see(marker="assets-files-upload")
