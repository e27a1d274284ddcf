"""The leaders' dashboard with NiceGUI's simulated user: today's presence by unit, late arrivals,
devices offline, kept current by the live feed, and scoped to the leader's units."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta

import psycopg
import pytest
from nicegui import ui
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.devices.repository import register_device, set_status
from hub.live.feed import LiveFeed
from hub.services import HubServices
from hub.timekeeping.calendar import WorkCalendar
from tests.hub.devices.sites import map_sites
from tests.hub.orgdata import HANOI
from tests.ui.attendance_data import publish_checkin
from tests.ui.conftest import SETUP_ADMIN, open_refused, table_rows


def _tile(user: User, key: str) -> str:
    return next(iter(user.find(kind=ui.label, marker=f"dash-{key}").elements)).text


async def _tile_when(user: User, key: str, wanted: str, timeout: float = 15.0) -> str:
    deadline = asyncio.get_running_loop().time() + timeout
    while _tile(user, key) != wanted and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.2)
    return _tile(user, key)


async def test_a_manager_sees_todays_presence_of_their_units(sign_in, ui_services: HubServices) -> None:
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    await user.open("/dashboard")
    await user.should_see(marker="dash-as-of", retries=50)
    await user.should_see("Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài")
    counts = ui_services.reports.dashboard(SETUP_ADMIN, "CCHQNB").presence.counts
    assert _tile(user, "total") == "2" == str(counts.total)  # NV001 (DOI1) and NV002
    for key in ("present", "late", "absent", "on_leave", "business_trip", "not_yet"):
        assert _tile(user, key) == str(getattr(counts, key))
    await user.should_see(marker="chart-by-unit")
    await user.should_see(marker="chart-presence")


async def test_other_units_are_refused(sign_in) -> None:
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    for unit in ("CHQHCM", "TCHQ"):
        await open_refused(user, f"/dashboard?unit={unit}")
        await user.should_not_see(marker="dash-total")


async def test_employees_have_no_dashboard(sign_in) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    await open_refused(user, "/dashboard")


async def test_devices_offline_are_listed(sign_in, ui_database_url: str) -> None:
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        for device, online in (("door-hn-01", True), ("door-hn-02", False)):
            register_device(conn, device, f"dev-{device}", "x", rotate=True)
            set_status(conn, device, True, "1.0.0")
            if not online:
                set_status(conn, device, False, None)
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/dashboard")
    rows = await table_rows(user, "table-offline")
    assert [r["device"] for r in rows] == ["door-hn-02"]
    await user.should_see("1/2 thiết bị trực tuyến")


async def test_an_arrival_updates_the_dashboard_live(sign_in, live_feed: LiveFeed, ui_database_url: str) -> None:
    now = datetime.now(HANOI)
    if not WorkCalendar().is_working_day(now.date()) or now.time() < time(5, 2):
        pytest.skip("today is not a working day, or the check-in window (05:00) is not open yet")
    # an arrival after 08:05 (start + grace) is late; before it, on time
    arrival = min(now - timedelta(minutes=1), now.replace(hour=8, minute=20, second=0, microsecond=0))
    tile = "late" if arrival.time() > time(8, 5) else "present"
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    await user.open("/dashboard")
    await user.should_see(marker="dash-as-of", retries=50)
    before = int(_tile(user, tile))
    publish_checkin(ui_database_url, "nv-0001", arrival)
    assert await _tile_when(user, tile, str(before + 1)) == str(before + 1)  # without reloading the page
    if tile == "late":
        rows = await table_rows(user, "table-late")
        assert [(r["code"], r["arrived"]) for r in rows] == [("NV001", f"{arrival:%H:%M}")]


async def test_a_device_going_offline_updates_the_dashboard_live(
    sign_in, live_feed: LiveFeed, ui_database_url: str
) -> None:
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        map_sites(conn, {"Chi cục Nội Bài": ["CCHQNB"]})  # the manager's office: their dashboard shows its devices
        register_device(conn, "door-hn-01", "dev-door-hn-01", "x", site="Chi cục Nội Bài", rotate=True)
        set_status(conn, "door-hn-01", True, "1.0.0")
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    await user.open("/dashboard")
    await user.should_see("1/1 thiết bị trực tuyến", retries=50)
    assert await table_rows(user, "table-offline") == []
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        set_status(conn, "door-hn-01", False, None)  # the trigger notifies cces_device_status
    await user.should_see("0/1 thiết bị trực tuyến", retries=150)  # no reload: the feed marked the board stale
    assert [r["device"] for r in await table_rows(user, "table-offline")] == ["door-hn-01"]
