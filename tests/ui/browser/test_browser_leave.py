"""Leave on a phone-sized real Chromium (390 × 844) against a running `cces hub`: the employee sees the
working days of the chosen dates before sending and sends; the team head approves from the inbox; a
second request is returned from the phone with a comment, and the employee sees it returned with it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import psycopg
import pytest

from hub.accounts.principal import Principal
from hub.accounts.service import GrantSpec
from hub.db import open_pool
from hub.services import HubServices
from tests.hub.orgdata import seed_org
from tests.hubprocess import HubProcess
from tests.ui.browser.conftest import browser_test_hub
from tests.ui.browser.waits import retry_stale, retype, wait_for_text, wait_until

pytestmark = pytest.mark.timeout(300)
PASSWORD = "mật-khẩu-phép-2026"


@pytest.fixture
def leave_hub(database_url: str) -> Iterator[HubProcess]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    pool = open_pool(database_url, max_size=2, name="cces-browser-leave")
    try:
        services = HubServices(pool, None)
        tool = Principal.tool("test", "Test")
        services.accounts.create_user(tool, username="duc", password=PASSWORD, employee_code="NV001")
        services.accounts.create_user(
            tool, username="doi-truong", password=PASSWORD, grants=[GrantSpec("manager", "DOI1")]
        )
    finally:
        pool.close()
    with browser_test_hub(database_url) as hub:
        yield hub


def sign_in(browser, hub: HubProcess, username: str) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.delete_all_cookies()
    browser.get(f"{hub.base_url}/sign-in?next=/leave")
    wait_until(browser, ec.element_to_be_clickable((By.CSS_SELECTOR, "input[name=username]")))

    def fill_in_and_send() -> None:
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=username]"), username)
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=password]"), PASSWORD)
        browser.find_element(By.XPATH, "//button[contains(., 'Đăng nhập')]").click()

    retry_stale(fill_in_and_send)
    wait_until(browser, ec.url_contains("/leave"))


def set_date(browser, label: str, day: date) -> None:  # noqa: ANN001
    """A native date field (the phone's own picker) filled as the picker would: value, then `input`."""
    from selenium.webdriver.common.by import By

    field = browser.find_element(By.XPATH, f"//label[.//*[contains(text(), '{label}')]]//input")
    browser.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        field,
        day.isoformat(),
    )


def test_ask_approve_and_return_on_a_phone(browser, leave_hub: HubProcess) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 844)
    today = date.today()
    monday = today + timedelta(days=14 - today.weekday())
    sign_in(browser, leave_hub, "duc")
    wait_for_text(browser, "Còn lại 12 ngày")
    set_date(browser, "Từ ngày", monday)
    set_date(browser, "Đến ngày", monday + timedelta(days=6))
    wait_for_text(browser, "5 ngày làm việc")  # Monday to Sunday: the weekend is not counted
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 400  # no sideways scroll
    retry_stale(lambda: browser.find_element(By.XPATH, "//button[contains(., 'Gửi đơn')]").click())
    wait_for_text(browser, "Chờ duyệt")

    sign_in(browser, leave_hub, "doi-truong")
    wait_for_text(browser, "Chờ tôi duyệt")
    wait_for_text(browser, "Nguyễn Văn Đức · Nghỉ phép năm")
    retry_stale(lambda: browser.find_element(By.XPATH, "//button[contains(., 'Duyệt')]").click())
    wait_for_text(browser, "Đã ghi nhận")

    # a second request, returned from the phone with a comment; the employee sees why
    sign_in(browser, leave_hub, "duc")
    wait_for_text(browser, "Đã duyệt")
    set_date(browser, "Từ ngày", monday + timedelta(days=7))
    set_date(browser, "Đến ngày", monday + timedelta(days=7))
    wait_for_text(browser, "1 ngày làm việc")
    retry_stale(lambda: browser.find_element(By.XPATH, "//button[contains(., 'Gửi đơn')]").click())
    wait_for_text(browser, "Chờ duyệt")

    sign_in(browser, leave_hub, "doi-truong")
    wait_for_text(browser, "Chờ tôi duyệt")
    comment = "//label[.//*[contains(text(), 'Ý kiến')]]//input"
    retry_stale(lambda: retype(browser.find_element(By.XPATH, comment), "Ghi rõ lý do"))
    retry_stale(lambda: browser.find_element(By.XPATH, "//button[contains(., 'Trả lại')]").click())
    wait_for_text(browser, "Đã ghi nhận")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 400

    sign_in(browser, leave_hub, "duc")
    wait_for_text(browser, "Bị trả lại")
    wait_for_text(browser, "Ý kiến của doi-truong: Ghi rõ lý do")
