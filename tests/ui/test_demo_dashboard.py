"""A fresh hub after `cces demo`'s seeding: the dashboard shows its units and people, /org says it is demo data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cces.demo_seed import seed_demo
from hub.accounts.principal import Role
from hub.db import open_pool
from hub.services import HubServices


@pytest.fixture
def ui_database_url(database_url: str) -> Iterator[str]:
    """A fresh, migrated hub with only what the demo seeds."""
    pool = open_pool(database_url, max_size=2, name="cces-demo-ui")
    try:
        seed_demo(HubServices(pool, None))
    finally:
        pool.close()
    yield database_url


async def test_the_dashboard_of_a_demo_hub_shows_units_and_people(sign_in) -> None:  # noqa: ANN001
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/dashboard")
    await user.should_see(marker="dash-total", retries=40)
    with user:
        total = user.find(marker="dash-total").elements.pop()
    assert total.text == "60"
    await user.should_not_see(marker="org-setup")
    await user.open("/org?unit=KV1")
    await user.should_see(marker="org-demo", retries=40)
    await user.should_see("Chi cục Hải quan khu vực I (KV1)")
    await user.should_see("Hải quan cửa khẩu Sân bay quốc tế Nội Bài (KV1-NB)")


async def test_the_leadership_screen_of_a_demo_hub_has_work_in_every_tile(sign_in) -> None:  # noqa: ANN001
    """cces.demo_office's records (seeded on the wall clock, as `cces demo` does) fill the screen's tiles."""
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/leadership")
    await user.should_see(marker="leadership-figure-meetings_today", retries=40)
    shown = {}
    with user:
        for key in ("docs_open", "docs_overdue", "meetings_today", "away", "asset_not_returned", "reports_open",
                    "reports_late", "tasks_open", "tasks_overdue"):  # fmt: skip
            shown[key] = int(user.find(marker=f"leadership-figure-{key}").elements.pop().text)
    assert shown["meetings_today"] == 3  # one running now, the morning's, the evening's
    assert all(shown.values()), shown
