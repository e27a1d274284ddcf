"""The shared browser waits in a real Chromium, on a page that keeps replacing what they read.

The page swaps in a new <body> every few milliseconds for a while (as a re-render or a navigation
does, only far more often), then shows the text: a wait that reads an element found a moment
earlier meets a stale element again and again, and must keep waiting rather than fail.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.ui.browser.waits import page_text, retry_stale, wait_for_text, wait_until

pytestmark = pytest.mark.timeout(120)

CHURNING_PAGE = """<!doctype html><html><head><meta charset="utf-8"><script>
const started = Date.now();
const churn = setInterval(() => {
  const body = document.createElement('body');
  if (Date.now() - started > 3000) {
    clearInterval(churn);
    body.innerHTML = '<p>Đã xong · done</p><button id="b" onclick="this.textContent=\\'clicked\\'">go</button>';
  } else {
    body.innerHTML = '<p>đang vẽ lại ' + Math.random() + '</p><button id="b">go</button>';
  }
  document.documentElement.replaceChild(body, document.body);
}, 2);
</script></head><body><p>bắt đầu</p></body></html>"""


def open_churning_page(browser) -> None:  # noqa: ANN001
    browser.get("data:text/html;charset=utf-8," + quote(CHURNING_PAGE))


def test_wait_for_text_keeps_waiting_through_stale_elements(browser) -> None:  # noqa: ANN001
    open_churning_page(browser)
    wait_for_text(browser, "Đã xong · done", timeout=60)
    assert "Đã xong" in page_text(browser)


def test_wait_until_and_retry_stale_look_the_element_up_again(browser) -> None:  # noqa: ANN001
    open_churning_page(browser)
    assert wait_until(browser, lambda b: "Đã xong" in b.find_element("tag name", "p").text, 60)
    retry_stale(lambda: browser.find_element("id", "b").click())
    wait_for_text(browser, "clicked")


def test_wait_for_text_still_fails_with_what_the_page_shows(browser) -> None:  # noqa: ANN001
    open_churning_page(browser)
    with pytest.raises(AssertionError, match="did not appear within 5s; the page shows"):
        wait_for_text(browser, "never on this page", timeout=5)
