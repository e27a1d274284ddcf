"""SQL of reporting read by the leadership screen (hub.leadership): set-based over unit subtrees."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg


def open_reports_by_unit(
    conn: psycopg.Connection, under: Sequence[str] | None, today: date
) -> list[tuple[str, int, int]]:
    """(reporting unit's path, reports not yet submitted — drafts and returned ones —, of them past their deadline)
    inside the subtrees `under` (None: every unit)."""
    return conn.execute(
        "SELECT u.path, count(*), count(*) FILTER (WHERE r.deadline < %(today)s) FROM reporting_reports r"
        " JOIN org_units u ON u.id = r.unit_id WHERE r.status IN ('draft', 'returned')"
        " AND (%(all)s OR u.path LIKE ANY(%(under)s)) GROUP BY u.path",
        {"today": today, "all": under is None, "under": [p + "%" for p in under or ()]},
    ).fetchall()


def open_reports_under(conn: psycopg.Connection, path: str, limit: int) -> list[dict[str, Any]]:
    """The reports not yet submitted of the units in the subtree `path`, nearest deadline first."""
    with conn.cursor() as cur:
        rows = cur.execute(
            "SELECT r.id, g.code, r.period_key, u.code, u.name, r.deadline, r.status FROM reporting_reports r"
            " JOIN reporting_regimes g ON g.id = r.regime_id JOIN org_units u ON u.id = r.unit_id"
            " WHERE r.status IN ('draft', 'returned') AND u.path LIKE %(p)s ORDER BY r.deadline, r.id"
            " LIMIT %(limit)s",
            {"p": path + "%", "limit": limit},
        ).fetchall()
    keys = ("id", "regime_code", "period_key", "unit_code", "unit_name", "deadline", "status")
    return [dict(zip(keys, r, strict=True)) for r in rows]
