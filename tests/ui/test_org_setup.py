"""A system admin on an empty hub is asked to set the organisation up first — with a link to /org —
instead of "access denied" on the dashboard and the reports."""

from __future__ import annotations

import pytest

from hub.accounts.principal import Role


@pytest.fixture
def ui_database_url(database_url: str) -> str:
    """A migrated hub with no units at all."""
    return database_url


@pytest.mark.parametrize("path", ["/dashboard", "/reports", "/org"])
async def test_an_empty_hub_asks_to_set_up_the_organisation(sign_in, path: str) -> None:  # noqa: ANN001
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open(path)
    await user.should_see(marker="org-setup", retries=40)
    await user.should_see("Thiết lập tổ chức trước")
    await user.should_not_see(marker="forbidden")
    await user.should_see(marker="org-setup-link")
