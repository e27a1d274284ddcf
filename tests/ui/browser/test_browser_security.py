"""The hub's Content-Security-Policy and sign-out in a real headless Chromium (issue 12, item 7).

Every page of the admin UI is opened signed in as the system admin, with a listener for the browser's
`securitypolicyviolation` events installed before any script of the page runs: NiceGUI must work
under the policy (pages drawn, the WebSocket connected, charts, QR codes) with no violation at all.
Then the user menu's sign-out, which is no longer a GET: it signs out and the API cookie goes.
"""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from tests.hubprocess import HubProcess
from tests.ui.browser.test_browser import _by, sign_in, wait_for_text

pytestmark = pytest.mark.timeout(300)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def _pages() -> list[str]:
    month = f"{datetime.now():%Y-%m}"
    return [
        "/", "/dashboard", "/people", "/people/NV001", "/people/NV001/enrollment", "/devices", "/devices/enroll",
        "/kiosk-links", "/offices", "/users", "/audit", "/attendance", "/attendance/live", "/reports",
        f"/attendance/timesheet/TCHQ/{month}", f"/attendance/person/NV001/{month}", "/sign-out",
    ]  # fmt: skip


def _wait_drawn(browser, path: str, timeout: float = 30) -> None:  # noqa: ANN001
    """The page is drawn by NiceGUI (its Vue app mounted, the content there) and its socket connected."""
    deadline = time.monotonic() + timeout
    script = "return !!document.querySelector('.nicegui-content') && !!window.did_handshake"
    while not browser.execute_script(script):
        assert time.monotonic() < deadline, f"{path} was not drawn:\n{browser.find_element('tag name', 'body').text}"
        time.sleep(0.2)


def test_every_page_works_under_the_content_security_policy(browser, browser_hub: HubProcess) -> None:  # noqa: ANN001
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    browser.get(f"{browser_hub.base_url}/sign-in")
    _wait_drawn(browser, "/sign-in")
    sign_in(browser, browser_hub)
    wait_for_text(browser, "Xin chào")
    seen: dict[str, list[str]] = {}
    for path in _pages():
        browser.get(f"{browser_hub.base_url}{path}")
        _wait_drawn(browser, path)
        time.sleep(0.5)  # charts and images draw after the socket connects
        seen[path] = browser.execute_script("return window.__cspViolations")
    assert {p: v for p, v in seen.items() if v} == {}


def test_the_menus_sign_out_signs_out_in_the_browser(browser, browser_hub: HubProcess) -> None:  # noqa: ANN001
    browser.get(f"{browser_hub.base_url}/people")
    sign_in(browser, browser_hub)
    wait_for_text(browser, "Trần Thị Lan")
    token = browser.get_cookie("cces_session")["value"]
    by = _by()
    browser.find_element(by.XPATH, "//header//button[.//i[normalize-space()='account_circle']]").click()
    menu_item = "//div[contains(@class,'q-menu')]//div[contains(@class,'q-item') and contains(., 'Đăng xuất')]"
    deadline = time.monotonic() + 10
    while not [e for e in browser.find_elements(by.XPATH, menu_item) if e.is_displayed()]:
        assert time.monotonic() < deadline, "the user menu did not open"
        time.sleep(0.1)
    item = browser.find_element(by.XPATH, menu_item)
    item.click()
    wait_for_text(browser, "Hệ thống điều hành tập trung Hải quan")  # the sign-in form
    assert browser.get_cookie("cces_session") is None
    browser.get(f"{browser_hub.base_url}/people")
    wait_for_text(browser, "Tên đăng nhập")
    import httpx

    me = httpx.get(f"{browser_hub.base_url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401  # revoked at the hub, not only forgotten by the browser
