"""The start page: a greeting and shortcuts for everyone; health, counters and devices for admins."""

from __future__ import annotations

import psycopg
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.devices.repository import set_status
from tests.hub.devices.sites import map_sites
from tests.hubstack import provision
from tests.ui.conftest import table_rows


def _text(user: User, marker: str) -> str:
    with user:
        return user.find(marker=marker).elements.pop().text


async def test_admin_sees_health_counters_and_devices_and_they_refresh(sign_in, ui_database_url: str) -> None:
    provision(ui_database_url, "door-hq-01")
    provision(ui_database_url, "door-hcm-01")  # another Cục's office: not on this admin's page
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        map_sites(conn, {"Trụ sở Cục": ["CHQHN"], "Trụ sở Cục TP. HCM": ["CHQHCM"]})
        conn.execute("UPDATE devices SET site = 'Trụ sở Cục' WHERE device_id = 'door-hq-01'")
        conn.execute("UPDATE devices SET site = 'Trụ sở Cục TP. HCM' WHERE device_id = 'door-hcm-01'")
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/")
    await user.should_see("Cơ sở dữ liệu: Bình thường")
    await user.should_see("Kết nối MQTT: Bình thường")  # this test's services run no ingest: n/a counts as fine
    assert _text(user, "ingest-counters") == "Đã lưu: 0 · Trùng lặp: 0 · Bị từ chối: 0"
    assert _text(user, "devices-summary") == "0 trực tuyến · 1 mất kết nối · tổng 1"
    assert [(r["device_id"], r["state"]) for r in await table_rows(user, "home-devices")] == [
        ("door-hq-01", "Mất kết nối")
    ]

    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        set_status(conn, "door-hq-01", True, "0.1.0")  # as ingest applies a device's status message
    await user.should_see("1 trực tuyến · 0 mất kết nối · tổng 1", retries=40)  # the page's timer, no reload


async def test_an_employee_gets_a_greeting_and_their_shortcuts_only(sign_in) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    await user.open("/")
    await user.should_see("Xin chào, Người dùng")
    await user.should_not_see(marker="ingest-counters")
    await user.should_not_see(marker="home-devices")
