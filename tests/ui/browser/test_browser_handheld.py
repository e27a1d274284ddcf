"""The handheld page on a phone-sized real Chromium (390 × 844) against a running `cces hub`: an asset officer
opens a room's inventory session; a UHF reader in keyboard mode types tags into the field as fast as Selenium
types (an asset number, a GIAI-202 EPC in hex, an unknown tag, each ended by Enter) and they are counted in the
session; the asset card shows the last one; a label's QR code (made by hub.assets.labels' rule, the EPC URI)
is read by the vendored jsQR served by the hub and lands in the session too."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.accounts.service import GrantSpec
from hub.assets.models import AssetInput
from hub.db import open_pool
from hub.services import HubServices
from protocol.epc import encode
from tests.hub.orgdata import seed_org
from tests.hubprocess import HubProcess
from tests.ui.browser.conftest import browser_test_hub
from tests.ui.browser.waits import retry_stale, retype, wait_for_text, wait_until

pytestmark = pytest.mark.timeout(300)
PASSWORD = "mật-khẩu-kiểm-kê-2026"
UNKNOWN_TAG = "E2801160600002084B1C4A2F"  # a tag's TID-like EPC that names no asset


@dataclass
class World:
    hub: HubProcess
    database_url: str
    session_id: int


def _live_totals(database_url: str, session_id: int) -> dict[str, int]:
    pool = open_pool(database_url, max_size=1, name="cces-browser-handheld-check")
    try:
        return HubServices(pool, None).asset_inventory.live(Principal.tool("test", "Test"), session_id).totals
    finally:
        pool.close()


@pytest.fixture
def handheld_world(database_url: str) -> Iterator[World]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    pool = open_pool(database_url, max_size=2, name="cces-browser-handheld")
    try:
        services = HubServices(pool, None)
        tool = Principal.tool("test", "Test")
        actor = Actor("test-setup")
        services.accounts.create_user(
            tool, username="kiem-ke", password=PASSWORD, grants=[GrantSpec("asset_officer", "CCHQNB")]
        )
        for kind, code, parent, unit in (
            ("office", "TS-NB", None, "CCHQNB"),
            ("building", "NB-A", "TS-NB", None),
            ("floor", "NB-A1", "NB-A", None),
            ("room", "P101", "NB-A1", None),
        ):
            services.assets.create_location(tool, actor, kind, code, f"Vị trí {code}", parent, unit)
        for number in ("TS-1", "TS-2", "TS-3", "TS-4"):
            services.assets.create(
                tool,
                actor,
                AssetInput(asset_number=number, name=f"Máy tính {number}", category_code="may-vi-tinh",
                           unit_code="DOI1", cost=15_000_000, acquired_on=date(2024, 4, 1), location_code="P101"),
            )  # fmt: skip
        session = services.asset_inventory.start(tool, actor, "P101", "Kiểm kê phòng 101", 2026)
    finally:
        pool.close()
    with browser_test_hub(database_url) as hub:
        yield World(hub, database_url, session.id)


def _qr_png_data_url(text: str) -> str:
    import qrcode

    image = qrcode.make(text, border=4, box_size=8)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_a_reader_in_keyboard_mode_and_a_qr_label_count_in_the_session(browser, handheld_world: World) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    hub, sid = handheld_world.hub, handheld_world.session_id
    browser.set_window_size(390, 844)
    browser.get(f"{hub.base_url}/sign-in?next=/asset-handheld?session={sid}")
    wait_until(browser, ec.element_to_be_clickable((By.CSS_SELECTOR, "input[name=username]")))

    def fill_in_and_send() -> None:
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=username]"), "kiem-ke")
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=password]"), PASSWORD)
        browser.find_element(By.XPATH, "//button[contains(., 'Đăng nhập')]").click()

    retry_stale(fill_in_and_send)
    wait_until(browser, ec.url_contains("/asset-handheld"))
    wait_for_text(browser, "Không thấy: 4")  # the room's four assets, none read yet

    # the reader types three tags, each ended by Enter, with no pause between them
    ts2_epc = encode("urn:epc:tag:giai-202:0.8934567.TS-2")
    wedge = wait_until(browser, ec.element_to_be_clickable((By.ID, "cces-wedge")))
    wedge.send_keys(f"TS-1\n{ts2_epc}\n{UNKNOWN_TAG}\n")
    wait_for_text(browser, "Có mặt: 2")
    wait_for_text(browser, "Thẻ lạ: 1")
    wait_for_text(browser, "Không thấy: 2")
    wait_for_text(browser, "Thẻ lạ — không có tài sản nào mang mã này")  # the card of the last tag
    assert browser.find_element(By.ID, "cces-wedge").get_attribute("value") == ""  # cleared for the next tag

    # one more, on its own: its card
    retry_stale(lambda: browser.find_element(By.ID, "cces-wedge").send_keys("TS-3\n"))
    wait_for_text(browser, "Có mặt: 3")
    wait_for_text(browser, "TS-3 — Máy tính TS-3")
    wait_for_text(browser, "Vị trí P101")  # the card's location

    # a label's QR code (its EPC URI) read by the vendored jsQR, as a camera frame would be
    wait_until(browser, lambda b: b.execute_script("return typeof window.jsQR") == "function")
    read = browser.execute_async_script(
        """
        const [url, done] = arguments;
        const img = new Image();
        img.onload = () => {
          const c = document.createElement("canvas");
          c.width = img.width; c.height = img.height;
          const ctx = c.getContext("2d");
          ctx.drawImage(img, 0, 0);
          const data = ctx.getImageData(0, 0, c.width, c.height);
          const found = window.jsQR(data.data, data.width, data.height);
          if (found) window.ccesHandheld.push(found.data, "camera");
          done(found ? found.data : null);
        };
        img.src = url;
        """,
        _qr_png_data_url("urn:epc:id:giai:8934567.TS-4"),
    )
    assert read == "urn:epc:id:giai:8934567.TS-4"
    wait_for_text(browser, "Có mặt: 4")
    wait_for_text(browser, "Không thấy: 0")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 400  # no sideways scroll

    totals = _live_totals(handheld_world.database_url, sid)
    assert (totals["found"], totals["missing"], totals["unknown"]) == (4, 0, 1)
