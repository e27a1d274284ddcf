"""Balances' inputs: HR adjustments, deducting requests, year closes, and the report sums."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg

from hub.leave.balance import Adjustment, Taken
from hub.leave.models import Status


def add_adjustment(
    conn: psycopg.Connection,
    employee_id: int,
    year: int,
    kind: str,
    days: float,
    reason: str,
    author: str,
    expires_on: date | None = None,
) -> int:
    row = conn.execute(
        "INSERT INTO leave_adjustments (employee_id, year, kind, days, expires_on, reason, author)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (employee_id, year, kind, days, expires_on, reason, author),
    ).fetchone()
    assert row is not None
    return int(row[0])


def adjustments(conn: psycopg.Connection, employee_ids: Sequence[int] | None, year: int) -> dict[int, list[Adjustment]]:
    rows = conn.execute(
        "SELECT employee_id, kind, days, reason, expires_on FROM leave_adjustments"
        " WHERE year = %s AND (%s::bigint[] IS NULL OR employee_id = ANY(%s)) ORDER BY made_at, id",
        (year, list(employee_ids) if employee_ids is not None else None, list(employee_ids or [])),
    ).fetchall()
    found: dict[int, list[Adjustment]] = defaultdict(list)
    for e, kind, days, reason, expires in rows:
        found[e].append(Adjustment(kind, float(days), reason, expires))
    return found


def deducting(
    conn: psycopg.Connection, employee_ids: Sequence[int] | None, year: int, detailed: Sequence[int] = ()
) -> dict[int, tuple[list[Taken], float, list[tuple[date, date, str, str]]]]:
    """Per person: approved requests of the year that deduct the balance (taken: working days less travel
    days added), pending days, and the
    approved rows without a stored count ((first, last, parts) — moved from the old table).

    Booked to the year of the first day. Summed in SQL; one row per request only for the people in
    `detailed` (whose carried days expire: the dates matter) and those with uncounted rows."""
    ids = list(employee_ids) if employee_ids is not None else None
    rows = conn.execute(
        "SELECT r.employee_id,"
        " COALESCE(sum(r.working_days - r.travel_days_added) FILTER (WHERE r.status = 'approved'), 0),"
        " COALESCE(sum(r.working_days - r.travel_days_added) FILTER (WHERE r.status = 'pending'), 0),"
        " bool_or(r.working_days IS NULL)"
        " FROM leave_requests r JOIN leave_types t ON t.code = r.leave_type"
        " WHERE t.deducts_balance AND r.status IN ('approved', 'pending')"
        " AND r.first_day BETWEEN make_date(%s, 1, 1) AND make_date(%s, 12, 31)"
        " AND (%s::bigint[] IS NULL OR r.employee_id = ANY(%s)) GROUP BY r.employee_id",
        (year, year, ids, ids or []),
    ).fetchall()
    found: dict[int, tuple[list[Taken], float, list[tuple[date, date, str, str]]]] = {}
    wanted = set(detailed)
    for e, approved, pending, uncounted in rows:
        if uncounted or e in wanted:
            wanted.add(e)
            continue
        found[e] = ([Taken(date(year, 1, 1), float(approved))] if approved else [], float(pending), [])
    if not wanted:
        return found
    rows = conn.execute(
        "SELECT r.employee_id, r.status, r.first_day, r.last_day, r.first_day_part, r.last_day_part,"
        " r.working_days - r.travel_days_added"
        " FROM leave_requests r JOIN leave_types t ON t.code = r.leave_type"
        " WHERE t.deducts_balance AND r.status IN ('approved', 'pending')"
        " AND r.first_day BETWEEN make_date(%s, 1, 1) AND make_date(%s, 12, 31) AND r.employee_id = ANY(%s)",
        (year, year, sorted(wanted)),
    ).fetchall()
    for e, status, first, last, fp, lp, days in rows:
        taken, pending, uncounted = found.get(e, ([], 0.0, []))
        if days is None:
            uncounted.append((first, last, fp, lp))
            if status == Status.APPROVED:
                taken.append(Taken(first, -1.0))  # counted by the service on the calendar
        elif status == Status.APPROVED:
            taken.append(Taken(first, float(days)))
        else:
            pending += float(days)
        found[e] = (taken, pending, uncounted)
    return found


def entitled_of_closes(conn: psycopg.Connection, year: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT summary FROM leave_year_closes WHERE year = %s", (year,)).fetchone()
    return row[0] if row else None


def closed_years(conn: psycopg.Connection) -> set[int]:
    return {r[0] for r in conn.execute("SELECT year FROM leave_year_closes").fetchall()}


def close_year(conn: psycopg.Connection, year: int, policy_code: str, by: str, summary: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO leave_year_closes (year, policy_code, closed_by, summary) VALUES (%s, %s, %s, %s)",
        (year, policy_code, by, psycopg.types.json.Jsonb(summary)),
    )


def lock_year_close(conn: psycopg.Connection, year: int) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('leave_year_close'), %s)", (year,))


def with_opening(conn: psycopg.Connection, employee_ids: Sequence[int], year: int) -> set[int]:
    """Those of `employee_ids` who already have an opening balance for `year`."""
    rows = conn.execute(
        "SELECT DISTINCT employee_id FROM leave_adjustments WHERE kind = 'opening' AND year = %s"
        " AND employee_id = ANY(%s)",
        (year, list(employee_ids)),
    ).fetchall()
    return {int(r[0]) for r in rows}


def taken_by_unit_type_month(conn: psycopg.Connection, unit_path: str, year: int) -> list[tuple[str, str, int, float]]:
    """(unit name at the time of the request, leave type, month, working days) of approved requests."""
    rows = conn.execute(
        "SELECT u.name, r.leave_type, extract(month FROM r.first_day)::int, sum(COALESCE(r.working_days, 0))"
        " FROM leave_requests r JOIN org_units u ON u.id = r.unit_id"
        " WHERE u.path LIKE %s || '%%' AND r.status = 'approved'"
        " AND r.first_day BETWEEN make_date(%s, 1, 1) AND make_date(%s, 12, 31)"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        (unit_path, year, year),
    ).fetchall()
    return [(name, kind, int(month), float(days)) for name, kind, month, days in rows]


def refused_for_work(conn: psycopg.Connection, unit_path: str, year: int) -> dict[int, float]:
    """Per person: working days of annual leave refused for work reasons in `year` (Circular 141/2011)."""
    rows = conn.execute(
        "SELECT r.employee_id, sum(COALESCE(r.working_days - r.travel_days_added, 0)) FROM leave_requests r"
        " JOIN employees e ON e.id = r.employee_id JOIN org_units u ON u.id = e.unit_id"
        " JOIN leave_types t ON t.code = r.leave_type"
        " WHERE u.path LIKE %s || '%%' AND r.work_refusal AND t.deducts_balance"
        " AND r.first_day BETWEEN make_date(%s, 1, 1) AND make_date(%s, 12, 31) GROUP BY 1",
        (unit_path, year, year),
    ).fetchall()
    return {int(e): float(d) for e, d in rows}
