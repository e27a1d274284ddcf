"""Leave types and the annual-leave policy as data (migration 0300)."""

from __future__ import annotations

from datetime import date

import psycopg

from hub.leave.entitlement import LeavePolicy, Rounding
from hub.leave.models import LeaveType

_TYPE_FIELDS = (
    "code, name_vi, name_en, category, absence_kind, symbol, paid, deducts_balance, max_days, allow_over_balance,"
    " needs_attachment, counts_as_worked, legal_basis, certainty, valid_from, valid_to, issues_permit,"
    " travel_days_free, travel_times_per_year, travel_basis"
)


def leave_types(conn: psycopg.Connection) -> list[LeaveType]:
    rows = conn.execute(f"SELECT {_TYPE_FIELDS} FROM leave_types ORDER BY position, code").fetchall()
    return [
        LeaveType(
            *r[:8],
            float(r[8]) if r[8] is not None else None,
            *r[9:17],  # type: ignore[arg-type]
            travel_days_free=float(r[17]) if r[17] is not None else None,
            travel_times_per_year=int(r[18]),
            travel_basis=r[19],
        )  # fmt: skip
        for r in rows
    ]


def policy(conn: psycopg.Connection, on: date) -> LeavePolicy:
    """The policy in force on `on` (the latest that started), or the law's defaults."""
    row = conn.execute(
        "SELECT code, base_normal, base_heavy, base_especially_heavy, seniority_every_years, seniority_days,"
        " seniority_as_of, partial_rounding, carry_over_max_days, carry_over_until, carry_over_years"
        " FROM leave_policies WHERE valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)"
        " ORDER BY valid_from DESC LIMIT 1",
        (on, on),
    ).fetchone()
    if row is None:
        return LeavePolicy()
    return LeavePolicy(
        row[0], float(row[1]), float(row[2]), float(row[3]), int(row[4]), float(row[5]), row[6],
        Rounding(row[7]), float(row[8]) if row[8] is not None else None, row[9], int(row[10]),
    )  # fmt: skip
