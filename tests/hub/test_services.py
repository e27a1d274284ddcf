"""HubServices as the pages use it: the report cache is warm before the first manager arrives."""

from __future__ import annotations

from datetime import date

import psycopg

from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.services import HubServices

ADMIN = Principal.tool("test", "test")  # the system admin a tool runs as


def test_warming_fills_last_and_this_month_so_the_first_report_is_served_from_the_cache(
    org: psycopg.Connection, database_url: str
) -> None:
    pool = open_pool(database_url, 2, name="services-warm")
    try:
        services = HubServices(pool, None)
        today = date.today()
        months = services.timekeeping.warm_day_results(today)
        last = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        assert months == [last, (today.year, today.month)]
        computed = services.day_results.computed
        assert computed > 0
        services.timekeeping.unit_timesheet(ADMIN, "TCHQ", *last)  # what HR opens on the 1st: the sheet of last month
        services.timekeeping.unit_timesheet(ADMIN, "CHQHN", *last)  # a sub-unit reuses the same people's results
        assert services.day_results.computed == computed, "a warmed month was computed again"
        assert services.day_results.hits > 0
    finally:
        pool.close()
