"""The offices page (trụ sở và đơn vị): the system admin maps an office to units and adds an office
(audited; an office admin's devices follow); an office admin sees only their offices, read only; bad
input is refused and changes nothing. Real PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import psycopg
from nicegui import ui

from hub.accounts.models import AuditQuery
from hub.accounts.principal import Role
from hub.devices.repository import register_device
from tests.hub.devices.sites import map_sites
from tests.ui.conftest import SETUP_ADMIN, open_refused, sign_out, table_rows

HN_SITE, HCM_SITE, KHO = "Trụ sở Cục Hà Nội", "Trụ sở Cục TP. HCM", "Kho ngoại quan"


def offices(database_url: str) -> None:
    """Hà Nội → CHQHN, HCM → CHQHCM, and a bonded warehouse with a door and no unit yet."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        map_sites(conn, {HN_SITE: ["CHQHN"], HCM_SITE: ["CHQHCM"]})
        for device_id, site in (("door-hn-01", HN_SITE), ("door-hcm-01", HCM_SITE), ("door-kho-01", KHO)):
            register_device(conn, device_id, f"dev-{device_id}", "x", kind="faceid", site=site, rotate=True)
        conn.execute("UPDATE devices SET online = true WHERE device_id = 'door-hn-01'")


def audited(ui_services) -> list[tuple]:  # noqa: ANN001
    _, rows = ui_services.accounts.search_audit(SETUP_ADMIN, AuditQuery(action="gallery.site_units"))
    return [(r.entity_id, r.before, r.after) for r in rows]


async def settled(done: Callable[[], bool], tries: int = 100) -> None:
    """Wait (a few seconds at most) for a save run on the page's worker thread to land."""
    for _ in range(tries):
        if done():
            return
        await asyncio.sleep(0.05)
    assert done()


def set_select(user, marker: str, value: list[str]) -> None:  # noqa: ANN001
    with user:
        select = user.find(marker=marker).elements.pop()
        assert isinstance(select, ui.select)
        select.value = value


async def test_the_system_admin_maps_offices_and_an_office_admins_devices_follow(
    sign_in, make_account, ui_services, ui_database_url: str
) -> None:
    offices(ui_database_url)
    account = make_account((Role.OFFICE_ADMIN, "CHQHCM"))
    hcm_principal = ui_services.accounts.sign_in(account.username, account.password).principal
    assert ui_services.devices.scope(hcm_principal).sites == {HCM_SITE}

    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/offices")
    await user.should_see("Trụ sở và đơn vị")
    rows = await table_rows(user, "of-table")
    assert [(r["site"], r["devices"]) for r in rows] == [(KHO, "0/1"), (HN_SITE, "1/1"), (HCM_SITE, "0/1")]
    assert rows[1]["units"] == "Cục Hải quan Hà Nội (CHQHN)"
    with user:
        select = user.find(marker="of-units-0").elements.pop()
        assert "CCHQNB" in select.options and select.value == []  # every unit offered, indented

    set_select(user, "of-units-0", ["CHQHCM"])  # the warehouse now serves the HCM Cục
    user.find(marker="of-save-0").click()
    await user.should_see("Đã lưu đơn vị của Kho ngoại quan", retries=30)
    assert ui_services.offices.site_units(KHO) == ["CHQHCM"]
    assert ui_services.devices.scope(hcm_principal).sites == {HCM_SITE, KHO}
    rows = await table_rows(user, "of-table")
    assert rows[0]["units"] == "Cục Hải quan TP. Hồ Chí Minh (CHQHCM)"

    set_select(user, "of-units-0", ["CHQHN"])  # and then the Hà Nội Cục: HCM's admin loses it
    user.find(marker="of-save-0").click()
    await settled(lambda: ui_services.offices.site_units(KHO) == ["CHQHN"])
    assert ui_services.devices.scope(hcm_principal).sites == {HCM_SITE}

    # a new office, before its first device
    user.find(marker="of-new-site").type("Trụ sở Chi cục Nội Bài")
    set_select(user, "of-new-units", ["CCHQNB"])
    user.find(marker="of-add").click()
    await user.should_see("Đã lưu đơn vị của Trụ sở Chi cục Nội Bài", retries=30)
    assert ui_services.offices.site_units("Trụ sở Chi cục Nội Bài") == ["CCHQNB"]
    assert "Trụ sở Chi cục Nội Bài" in [r["site"] for r in await table_rows(user, "of-table")]
    assert audited(ui_services) == [
        ("Trụ sở Chi cục Nội Bài", [], ["CCHQNB"]),
        (KHO, ["CHQHCM"], ["CHQHN"]),
        (KHO, [], ["CHQHCM"]),
    ]


async def test_bad_input_is_refused_and_changes_nothing(sign_in, ui_services, ui_database_url: str) -> None:
    offices(ui_database_url)
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/offices")
    await user.should_see(marker="of-add")
    user.find(marker="of-new-site").type("   ")
    set_select(user, "of-new-units", ["CHQHN"])
    user.find(marker="of-add").click()
    await user.should_see("an office (site) is 1-128 characters", retries=30)
    set_select(user, "of-units-1", ["CHQHN", "KHONG-CO"])  # a code no unit has (a stale page, a crafted value)
    user.find(marker="of-save-1").click()
    await user.should_see("unknown org unit(s): KHONG-CO", retries=30)
    assert ui_services.offices.site_units(HN_SITE) == ["CHQHN"]
    assert audited(ui_services) == []


async def test_an_office_admin_sees_only_their_offices_read_only(sign_in, ui_services, ui_database_url: str) -> None:
    offices(ui_database_url)
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/offices")
    await user.should_see(marker="of-read-only")
    rows = await table_rows(user, "of-table")
    assert [(r["site"], r["devices"]) for r in rows] == [(HN_SITE, "1/1")]
    for marker in ("of-units-0", "of-save-0", "of-add", "of-new-site"):
        await user.should_not_see(marker=marker)
    assert audited(ui_services) == []

    await sign_out(user)
    hr = await sign_in((Role.HR, "CHQHN"))
    await open_refused(hr, "/offices")
