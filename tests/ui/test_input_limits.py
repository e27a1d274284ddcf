"""The web UI's forms read what they send to the services with the API's rules (hub.inputs): a NUL in a
correction's reason is refused in the page's language with the rule, and nothing is stored."""

from __future__ import annotations

import psycopg
import pytest

from hub.accounts.principal import Role
from tests.ui.attendance_data import Month, seed_month


@pytest.fixture
def month(ui_database_url: str) -> Month:
    return seed_month(ui_database_url)


async def test_a_correction_reason_with_a_nul_is_refused_with_the_rule(
    sign_in, month: Month, ui_database_url: str
) -> None:
    user = await sign_in((Role.HR, "DOI1"))
    await user.open(f"/attendance/person/NV001/{month.period}")
    next(iter(user.find(marker="correction-day").elements)).set_value(month.absent_day.isoformat())
    next(iter(user.find(marker="correction-status").elements)).set_value("business_trip")
    next(iter(user.find(marker="correction-reason").elements)).set_value("Đi công tác\x00")
    user.find(marker="correction-save").click()
    await user.should_see(marker="correction-problem", content="reason: không được chứa ký tự NUL")
    with psycopg.connect(ui_database_url) as conn:
        assert conn.execute("SELECT count(*) FROM timekeeping_corrections").fetchone()[0] == 0
