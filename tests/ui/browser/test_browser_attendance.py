"""Attendance in a real headless Chromium against a running `cces hub`: a check-in published by a
device through the broker appears on /attendance/live without a reload, and the monthly timesheet
downloads as XLSX and PDF that open with the Vietnamese names intact."""

from __future__ import annotations

import io
import json
import time
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import psycopg
import pytest
from pypdf import PdfReader

from protocol.broker_url import BrokerAddress
from protocol.topics import Topics
from provisioning.credentials import DeviceCredentials
from tests.hub.orgdata import add_event, seed_org
from tests.hubprocess import HubProcess
from tests.hubstack import attendance_event, device_client, publish
from tests.ui.attendance_data import previous_month
from tests.ui.browser.conftest import ADMIN_PASSWORD, browser_test_hub
from tests.ui.browser.waits import page_text, retry_stale, retype, wait_for_text, wait_until

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def running_hub(database_url: str) -> Iterator[HubProcess]:
    """`cces hub` on the test's PostgreSQL (seeded with the small organisation), embedded broker."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
        year, month = previous_month()
        add_event(conn, "nv-0001", datetime(year, month, 3, 8, 1), "in")
    with browser_test_hub(database_url) as hub:
        yield hub


def _sign_in(browser, hub: HubProcess) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.get(f"{hub.base_url}/sign-in")
    wait_until(browser, ec.element_to_be_clickable((By.CSS_SELECTOR, "input[name=username]")))

    def fill_in_and_send() -> None:
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=username]"), "admin")
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=password]"), ADMIN_PASSWORD)
        browser.find_element(By.XPATH, "//button[contains(., 'Đăng nhập')]").click()

    retry_stale(fill_in_and_send)
    wait_until(browser, ec.url_to_be(f"{hub.base_url}/"))


def test_a_check_in_appears_live(browser, running_hub: HubProcess) -> None:  # noqa: ANN001
    result = running_hub.cces("provision", "device", "door-hn-01", "--json")
    assert result.returncode == 0, result.stderr
    credentials = json.loads(result.stdout)
    _sign_in(browser, running_hub)
    browser.get(f"{running_hub.base_url}/attendance/live")
    wait_for_text(browser, "Chưa có lượt chấm công nào kể từ khi mở trang")
    assert "Nguyễn Văn Đức" not in page_text(browser)

    client = device_client(
        BrokerAddress.parse(credentials["mqtt_url"]),
        DeviceCredentials(credentials["username"], credentials["password"]),
    )
    try:
        event = attendance_event("door-hn-01", seq=1, person_id="nv-0001")
        event["data"]["direction"] = "in"
        publish(client, Topics("door-hn-01").events, event)
    finally:
        client.disconnect()
        client.loop_stop()
    wait_for_text(browser, "Nguyễn Văn Đức")  # no reload: the page's subscription brought it
    body = page_text(browser)
    assert "NV001" in body and "Đội Thủ tục hàng hóa xuất nhập khẩu" in body and "door-hn-01" in body


def _downloaded(folder: Path, suffix: str, timeout: float = 30) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file downloaded into {folder}: {list(folder.iterdir())}")


def test_timesheet_downloads_open_with_vietnamese_names(browser, running_hub: HubProcess, tmp_path: Path) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    _sign_in(browser, running_hub)
    year, month = previous_month()
    browser.get(f"{running_hub.base_url}/attendance/timesheet/CHQHN/{year:04d}-{month:02d}")
    wait_for_text(browser, "Trần Thị Lan")

    retry_stale(lambda: browser.find_element(By.XPATH, "//button[contains(., 'Tải Excel')]").click())
    xlsx = _downloaded(downloads, ".xlsx")
    sheet = openpyxl.load_workbook(xlsx).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"Nguyễn Văn Đức", "Trần Thị Lan"} <= cells
    assert any("Cục Hải quan Hà Nội" in c for c in cells)

    retry_stale(lambda: browser.find_element(By.XPATH, "//button[contains(., 'Tải PDF')]").click())
    pdf = _downloaded(downloads, ".pdf")
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    text = unicodedata.normalize("NFC", "".join(page.extract_text() for page in reader.pages))
    assert "Nguyễn Văn Đức" in text and "Trần Thị Lan" in text and "Cục Hải quan Hà Nội" in text
