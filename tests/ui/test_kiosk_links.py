"""The kiosk links page: an office admin makes a door screen's link (shown once, with its QR code), the
address opens the screen, revoking it closes the screen; doors of other offices are not offered; a
role without devices is refused. Real PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

import psycopg
from nicegui import ui

from hub.accounts.principal import Role
from hub.devices.repository import register_device
from hub.kiosk.models import KioskKind
from tests.hub.devices.sites import map_sites
from tests.ui.conftest import SETUP_ADMIN, open_refused, sign_out

HN_SITE, HCM_SITE = "Trụ sở Cục Hà Nội", "Trụ sở Cục TP. HCM"


def doors(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        map_sites(conn, {HN_SITE: ["CHQHN"], HCM_SITE: ["CHQHCM"]})
        for device_id, site in (("door-hn-01", HN_SITE), ("door-hcm-01", HCM_SITE)):
            register_device(conn, device_id, f"dev-{device_id}", "x", kind="faceid", site=site, rotate=True)


def _texts(user, marker: str) -> list[str]:  # noqa: ANN001
    with user:
        return [getattr(e, "content", None) or getattr(e, "text", "") for e in user.find(marker=marker).elements]


async def test_an_office_admin_makes_a_door_link_that_opens_the_screen_and_revokes_it(
    sign_in, ui_services, ui_database_url: str
) -> None:
    doors(ui_database_url)
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/kiosk-links")
    await user.should_see("Màn hình công cộng")
    await user.should_see(marker="kl-none")
    with user:
        select = user.find(marker="kl-device").elements.pop()
        assert isinstance(select, ui.select)
        assert list(select.options) == ["door-hn-01"]  # not the HCM office's door
        select.value = "door-hn-01"
    user.find(marker="kl-label").type("Sảnh tầng 1")
    user.find(marker="kl-create").click()
    await user.should_see(marker="kl-qr", retries=30)
    address = _texts(user, "kl-address")[0]
    assert address.startswith("http://test/kiosk/terminal/door-hn-01?key=")
    [link] = ui_services.kiosk.links(SETUP_ADMIN)
    assert (link.kind, link.target, link.label) == (KioskKind.TERMINAL, "door-hn-01", "Sảnh tầng 1")
    assert link.created_by.startswith("user")  # the signed-in admin's account (tests/ui/conftest.py names them)
    await user.should_see(marker=f"kl-revoke-{link.id}")

    await user.open(address.removeprefix("http://test"))  # the screen opens with it
    await user.should_see("Xin mời nhìn vào camera")
    await user.should_not_see(marker="kiosk-refused")

    await user.open("/kiosk-links")
    user.find(marker=f"kl-revoke-{link.id}").click()
    await user.should_see("Đã thu hồi", retries=30)
    assert not ui_services.kiosk.admits(KioskKind.TERMINAL, "door-hn-01", address.split("key=")[1])
    await open_refused(user, address.removeprefix("http://test"), marker="kiosk-refused")


async def test_a_room_id_is_checked_and_a_role_without_devices_is_refused(sign_in, ui_database_url: str) -> None:
    doors(ui_database_url)
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/kiosk-links")
    with user:
        user.find(marker="kl-kind").elements.pop().value = "room"
    user.find(marker="kl-room").type("Phòng 3")
    user.find(marker="kl-create").click()
    await user.should_see("invalid room id", retries=30)
    await user.should_not_see(marker="kl-qr")

    await sign_out(user)
    hr = await sign_in((Role.HR, "CHQHN"))
    await open_refused(hr, "/kiosk-links")
