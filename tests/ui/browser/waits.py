"""Waiting in a real browser for what a person would see, whatever the page re-renders meanwhile.

NiceGUI (Vue) replaces DOM elements when it re-renders a part of the page, and a navigation replaces
the whole document, so an element found a moment ago may be stale when it is read or clicked
(`StaleElementReferenceException`) even though what the test waits for is on the page. Every helper
here looks its elements up again at each try and counts a stale or not-yet-present element as "not
yet": a test fails only when its condition is still false at the (generous) deadline.

Shared by every browser test (tests/ui/browser, tests/ui/kiosk/*browser*). Selenium is imported
inside the functions: without it those tests skip, and this module must still import.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

POLL_S = 0.2


def _not_yet() -> tuple[type[Exception], ...]:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    return (StaleElementReferenceException, NoSuchElementException)


def wait_until(browser: Any, condition: Callable[[Any], T], timeout: float = 30, message: str = "") -> T:
    """`condition(browser)` once it is truthy (its value); a stale or missing element means "not yet"."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout, poll_frequency=POLL_S, ignored_exceptions=_not_yet()).until(
        condition, message
    )


def retry_stale(action: Callable[[], T], timeout: float = 30) -> T:
    """Run `action` (which finds its elements itself) again while it meets a stale or missing element.

    For reads and actions that are safe to repeat: finding, reading, retyping a field, a click
    (the click is the last step of an action, so a stale element means it did not happen)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return action()
        except _not_yet():
            if time.monotonic() >= deadline:
                raise
            time.sleep(POLL_S)


def retype(field: Any, text: str) -> None:
    """Replace a field's text as a person does (select all, delete, type), so the page sees every
    keystroke; repeating it leaves the same text, so it may run inside `retry_stale`."""
    from selenium.webdriver.common.keys import Keys

    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(text)


def page_text(browser: Any) -> str:
    """The visible text of the page (read again if the document was replaced while reading)."""
    return retry_stale(lambda: str(browser.find_element("tag name", "body").text))


def wait_for_text(browser: Any, text: str, timeout: float = 30) -> None:
    """Wait until `text` is shown on the page; fails with what the page shows instead."""
    from selenium.common.exceptions import TimeoutException

    try:
        wait_until(browser, lambda b: text in b.find_element("tag name", "body").text, timeout)
    except TimeoutException as exc:
        shown = page_text(browser)
        raise AssertionError(f"{text!r} did not appear within {timeout}s; the page shows:\n{shown[-2000:]}") from exc
