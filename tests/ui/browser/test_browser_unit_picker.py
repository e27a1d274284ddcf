"""The unit tree picker (ui/components/unit_picker.py) in a real Chromium against a running `cces hub`: QTree's
own search finds "Nội Bài" typed without diacritics and hides the rest, a click picks the receiving unit, a
tick picks a reporting unit, and the regime saved holds exactly those units — what the simulated user cannot
do (it has no tree clicks and no client-side filter)."""

from __future__ import annotations

from collections.abc import Iterator

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
PASSWORD = "mật-khẩu-báo-cáo-2026"
BRANCH = "Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài"
TEAM = "Đội Thủ tục hàng hóa xuất nhập khẩu"


@pytest.fixture
def reporting_hub(database_url: str) -> Iterator[HubProcess]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    pool = open_pool(database_url, max_size=2, name="cces-browser-reporting")
    try:
        services = HubServices(pool, None)
        services.accounts.create_user(
            Principal.tool("test", "Test"), username="quan-tri", password=PASSWORD,
            grants=[GrantSpec("office_admin", "CHQHN")],
        )  # fmt: skip
    finally:
        pool.close()
    with browser_test_hub(database_url) as hub:
        yield hub


def _label(text: str) -> str:
    return f"//div[normalize-space(text())='{text}']"


def _node(browser, tree_label: str, name: str):  # noqa: ANN001, ANN202
    """The header of the node `name` in the picker under the label `tree_label`."""
    from selenium.webdriver.common.by import By

    box = browser.find_element(By.XPATH, f"{_label(tree_label)}/following-sibling::div[contains(@class,'q-tree')][1]")
    found = box.find_elements(By.XPATH, f".//div[contains(@class,'q-tree__node-header')][.//*[text()='{name}']]")
    return found[0] if found else None


def test_search_click_and_tick_in_the_tree_then_save(browser, reporting_hub: HubProcess, database_url: str) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.get(f"{reporting_hub.base_url}/sign-in?next=/reporting")
    wait_until(browser, ec.element_to_be_clickable((By.CSS_SELECTOR, "input[name=username]")))

    def fill_in_and_send() -> None:
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=username]"), "quan-tri")
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=password]"), PASSWORD)
        browser.find_element(By.XPATH, "//button[contains(., 'Đăng nhập')]").click()

    retry_stale(fill_in_and_send)
    wait_until(browser, ec.url_contains("/reporting"))
    retry_stale(lambda: browser.find_element(By.XPATH, "//*[contains(text(), 'Lưu chế độ báo cáo')]").click())
    wait_for_text(browser, "Đơn vị nhận báo cáo tổng hợp")

    owner = "Đơn vị nhận báo cáo tổng hợp"
    search = browser.find_element(By.XPATH, f"{_label(owner)}/following-sibling::div[1]//input")
    retype(search, "noi bai")  # no diacritics
    wait_until(browser, lambda b: _node(b, owner, TEAM) is None, message="the team left out by the search")
    assert _node(browser, owner, BRANCH).is_displayed()  # the branch found without its diacritics
    retry_stale(lambda: _node(browser, owner, BRANCH).click())
    wait_for_text(browser, f"Đã chọn (1): {BRANCH}")

    units = "Các đơn vị báo cáo"
    retry_stale(lambda: _node(browser, units, TEAM).find_element(By.CSS_SELECTOR, ".q-checkbox").click())
    wait_for_text(browser, f"Đã chọn (1): {TEAM}")
    wait_for_text(browser, "Báo cáo lên")

    def field(label: str):  # noqa: ANN202
        return browser.find_element(By.XPATH, f"//label[.//*[contains(text(), '{label}')]]//input")

    retype(field("Mã chế độ"), "cay-don-vi")
    retype(field("Hiệu lực từ ngày"), "2026-01-01")
    retype(field("Tên báo cáo"), "Báo cáo chọn trên cây")
    retype(field("Tên tiếng Anh"), "Picked in the tree")
    browser.find_element(By.XPATH, "//button[.//*[text()='Lưu']]").click()
    wait_for_text(browser, "Báo cáo chọn trên cây Nghị định 09/2019/NĐ-CP Hằng tháng")  # in the regimes' table
    wait_for_text(browser, f"Đã chọn (1): {BRANCH}")  # the consolidation picks its receiving unit in the tree
    with psycopg.connect(database_url) as conn:
        stored = conn.execute(
            "SELECT u.code, r.code FROM reporting_regime_units p JOIN org_units u ON u.id = p.unit_id"
            " JOIN org_units r ON r.id = p.recipient_unit_id"
        ).fetchall()
    assert stored == [("DOI1", "CCHQNB")]
