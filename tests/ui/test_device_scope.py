"""Devices scoped to org units in the web UI (simulated user, real database): an office admin of one
Cục sees and edits only the devices of their offices, enrolls only at them; a manager's dashboard and
the uptime report show the devices of their offices; the system admin sees every device."""

from __future__ import annotations

import psycopg
import pytest
from nicegui import ui

from hub.accounts.principal import Role
from tests.hub.devices.sites import ALL_DEVICES, HN_DEVICES, HN_SITE, seed_devices
from tests.ui.conftest import open_refused, table_rows


@pytest.fixture
def devices(ui_database_url: str) -> str:
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        seed_devices(conn)
    return ui_database_url


async def test_an_office_admin_sees_only_their_offices_devices(devices: str, sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/devices")
    assert [r["device_id"] for r in await table_rows(user, "fleet")] == HN_DEVICES
    await user.should_see("Trang 1/1 · 2 mục")  # the total counts the same devices

    await user.open("/devices/door-hn-01")
    with user:
        site = user.find(marker="edit-site").elements.pop()
    assert isinstance(site, ui.select) and site.options == [HN_SITE] and site.value == HN_SITE

    for other in ("door-hcm-01", "door-kho-01", "door-none-01"):
        await open_refused(user, f"/devices/{other}")
        await user.should_not_see(marker="edit-device")
        await user.should_not_see(marker="metrics")


async def test_enrolling_offers_only_the_admins_offices(devices: str, sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/devices/enroll")
    with user:
        site = user.find(marker="enroll-site").elements.pop()
        assert isinstance(site, ui.select) and site.options == [HN_SITE]
        user.find(marker="enroll-device-id").elements.pop().value = "door-hcm-01"  # another office's device
    user.find(marker="create-token").click()
    await user.should_see("không có quyền đăng ký lại")
    await user.should_not_see(marker="enroll-qr")
    with psycopg.connect(devices) as conn:
        assert conn.execute("SELECT count(*) FROM enrollment_tokens").fetchone() == (0,)


async def test_an_admin_with_no_office_is_told_so(devices: str, sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CCHQNB"))  # the Cục's office serves a unit above theirs
    await user.open("/devices")
    assert await table_rows(user, "fleet") == []
    await user.open("/devices/enroll")
    await user.should_see(marker="no-sites")
    with user:
        user.find(marker="enroll-device-id").elements.pop().value = "door-nb-01"
    user.find(marker="create-token").click()
    await user.should_see("không có quyền tạo mã đăng ký thiết bị tại cơ quan (chưa gán)")
    await user.should_not_see(marker="enroll-qr")


async def test_the_system_admin_sees_every_device(devices: str, sign_in) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/devices")
    assert [r["device_id"] for r in await table_rows(user, "fleet")] == ALL_DEVICES
    await user.open("/devices/door-none-01")
    await user.should_see(marker="edit-device")


async def test_a_managers_dashboard_lists_their_offices_devices_offline(devices: str, sign_in) -> None:
    user = await sign_in((Role.MANAGER, "CHQHN"))
    await user.open("/dashboard")
    rows = await table_rows(user, "table-offline", retries=50)
    assert [r["device"] for r in rows] == ["door-hn-02"]
    await user.should_see("1/2 thiết bị trực tuyến")


async def test_the_uptime_report_covers_the_admins_offices(devices: str, sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/reports?tab=uptime")
    rows = await table_rows(user, "table-uptime", retries=50)
    assert sorted(r["device"] for r in rows) == HN_DEVICES
