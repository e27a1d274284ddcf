"""SQL of the leave module (tables of migration 0300). No rules here: hub.leave.service decides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import psycopg

from hub.leave.balance import Adjustment, Taken
from hub.leave.days import Part
from hub.leave.entitlement import LeavePolicy, Rounding
from hub.leave.models import Employee, LeaveRequest, LeaveType, Status, Step, StepState

_TYPE_FIELDS = (
    "code, name_vi, name_en, category, absence_kind, symbol, paid, deducts_balance, max_days, allow_over_balance,"
    " needs_attachment, counts_as_worked, legal_basis, certainty, valid_from, valid_to"
)


def leave_types(conn: psycopg.Connection) -> list[LeaveType]:
    rows = conn.execute(f"SELECT {_TYPE_FIELDS} FROM leave_types ORDER BY position, code").fetchall()
    return [
        LeaveType(*r[:8], float(r[8]) if r[8] is not None else None, *r[9:])  # type: ignore[arg-type]
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


_EMPLOYEE = (
    "SELECT e.id, e.employee_code, e.full_name, e.unit_id, u.code, u.path, e.service_start, e.active_from,"
    " e.active_to, e.working_condition, us.username FROM employees e JOIN org_units u ON u.id = e.unit_id"
    " LEFT JOIN users us ON us.employee_id = e.id"
)


def employee(conn: psycopg.Connection, code: str) -> Employee | None:
    row = conn.execute(_EMPLOYEE + " WHERE e.employee_code = %s", (code,)).fetchone()
    return Employee(*row) if row else None


def employees_in(conn: psycopg.Connection, unit_path: str | None) -> list[Employee]:
    """Everyone of a subtree (or everyone), by unit then name."""
    rows = conn.execute(
        _EMPLOYEE + " WHERE %(p)s::text IS NULL OR u.path LIKE %(p)s || '%%' ORDER BY u.path, e.full_name, e.id",
        {"p": unit_path},
    ).fetchall()
    return [Employee(*r) for r in rows]


def unit(conn: psycopg.Connection, code: str) -> tuple[int, str, str, str] | None:
    """(id, code, name, path)."""
    row = conn.execute("SELECT id, code, name, path FROM org_units WHERE code = %s", (code,)).fetchone()
    return (int(row[0]), row[1], row[2], row[3]) if row else None


def ancestors(conn: psycopg.Connection, unit_path: str) -> list[int]:
    """Unit ids from the unit itself up to the root."""
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    return list(reversed(ids))


def managers_of(conn: psycopg.Connection, unit_id: int) -> list[str]:
    """Usernames holding the manager role on exactly this unit (enabled accounts), by username."""
    rows = conn.execute(
        "SELECT u.username FROM role_grants g JOIN users u ON u.id = g.user_id"
        " WHERE g.role = 'manager' AND g.unit_id = %s AND u.disabled_at IS NULL ORDER BY u.username",
        (unit_id,),
    ).fetchall()
    return [r[0] for r in rows]


def hr_of(conn: psycopg.Connection, unit_path: str) -> list[str]:
    """Usernames with HR on this unit or above it."""
    ids = ancestors(conn, unit_path)
    rows = conn.execute(
        "SELECT DISTINCT u.username FROM role_grants g JOIN users u ON u.id = g.user_id"
        " WHERE g.role = 'hr' AND g.unit_id = ANY(%s) AND u.disabled_at IS NULL ORDER BY 1",
        (ids,),
    ).fetchall()
    return [r[0] for r in rows]


def chain(conn: psycopg.Connection, unit_path: str, leave_type: str, days: float) -> tuple[list[int], int]:
    """(levels, escalate_after_hours) of the most specific chain: the nearest unit, then the type, then length."""
    ids = ancestors(conn, unit_path)
    rows = conn.execute(
        "SELECT unit_id, leave_type, min_days, levels, escalate_after_hours FROM leave_approval_chains"
        " WHERE (unit_id IS NULL OR unit_id = ANY(%s)) AND (leave_type IS NULL OR leave_type = %s) AND min_days <= %s",
        (ids, leave_type, days),
    ).fetchall()

    def rank(r: tuple[Any, ...]) -> tuple[int, int, float]:
        depth = ids.index(r[0]) if r[0] is not None else len(ids)
        return (depth, 0 if r[1] is not None else 1, -float(r[2]))

    if not rows:
        return [0], 16
    best = min(rows, key=rank)
    return list(best[3]), int(best[4])


def delegate_of(conn: psycopg.Connection, approver: str, on: date) -> str | None:
    row = conn.execute(
        "SELECT backup FROM leave_delegations WHERE approver = %s AND first_day <= %s AND last_day >= %s"
        " ORDER BY created_at DESC, id DESC LIMIT 1",
        (approver, on, on),
    ).fetchone()
    return row[0] if row else None


def on_leave(conn: psycopg.Connection, username: str, on: date) -> bool:
    """Whether the account's employee has approved leave (not a trip) covering `on`."""
    row = conn.execute(
        "SELECT 1 FROM leave_requests r JOIN users u ON u.employee_id = r.employee_id"
        " JOIN leave_types t ON t.code = r.leave_type"
        " WHERE u.username = %s AND r.status = 'approved' AND t.absence_kind = 'leave'"
        " AND r.first_day <= %s AND r.last_day >= %s LIMIT 1",
        (username, on, on),
    ).fetchone()
    return row is not None


def add_delegation(
    conn: psycopg.Connection, approver: str, backup: str, first: date, last: date, reason: str | None, by: str
) -> int:
    row = conn.execute(
        "INSERT INTO leave_delegations (approver, backup, first_day, last_day, reason, created_by)"
        " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (approver, backup, first, last, reason, by),
    ).fetchone()
    assert row is not None
    return int(row[0])


def overlapping(
    conn: psycopg.Connection, employee_id: int, first: date, last: date, exclude: Sequence[int] = ()
) -> list[tuple[int, date, date, str, str, str]]:
    """Pending or approved requests of the person touching [first, last]: (id, first, last, parts…, status)."""
    return conn.execute(
        "SELECT id, first_day, last_day, first_day_part, last_day_part, status FROM leave_requests"
        " WHERE employee_id = %s AND status IN ('pending', 'approved') AND first_day <= %s AND last_day >= %s"
        " AND NOT id = ANY(%s) ORDER BY first_day",
        (employee_id, last, first, list(exclude)),
    ).fetchall()


def closed_years(conn: psycopg.Connection) -> set[int]:
    return {r[0] for r in conn.execute("SELECT year FROM leave_year_closes").fetchall()}


def insert_request(conn: psycopg.Connection, values: dict[str, Any]) -> int:
    columns = list(values)
    row = conn.execute(
        f"INSERT INTO leave_requests ({', '.join(columns)}) VALUES ({', '.join('%s' for _ in columns)}) RETURNING id",
        [values[c] for c in columns],
    ).fetchone()
    assert row is not None
    return int(row[0])


def update_request(conn: psycopg.Connection, request_id: int, **values: Any) -> None:
    sets = ", ".join(f"{k} = %s" for k in values)
    conn.execute(
        f"UPDATE leave_requests SET {sets}, updated_at = clock_timestamp() WHERE id = %s",
        [*values.values(), request_id],
    )


def insert_step(
    conn: psycopg.Connection,
    request_id: int,
    position: int,
    level: int | None,
    approver: str,
    acting_for: str | None,
    state: StepState,
    due_at: datetime | None,
) -> int:
    row = conn.execute(
        "INSERT INTO leave_request_steps (request_id, position, level, approver, acting_for, state, due_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (request_id, position, level, approver, acting_for, state.value, due_at),
    ).fetchone()
    assert row is not None
    return int(row[0])


def update_step(conn: psycopg.Connection, step_id: int, **values: Any) -> None:
    sets = ", ".join(f"{k} = %s" for k in values)
    conn.execute(f"UPDATE leave_request_steps SET {sets} WHERE id = %s", [*values.values(), step_id])


def close_open_steps(conn: psycopg.Connection, request_id: int, state: StepState) -> None:
    conn.execute(
        "UPDATE leave_request_steps SET state = %s, decided_at = clock_timestamp()"
        " WHERE request_id = %s AND state IN ('waiting', 'pending')",
        (state.value, request_id),
    )


def next_position(conn: psycopg.Connection, request_id: int) -> int:
    row = conn.execute(
        "SELECT COALESCE(max(position), 0) + 1 FROM leave_request_steps WHERE request_id = %s", (request_id,)
    ).fetchone()
    assert row is not None
    return int(row[0])


_REQUEST = (
    "SELECT r.id, r.employee_id, e.employee_code, e.full_name, u.code, u.path, r.leave_type, r.first_day,"
    " r.last_day, r.first_day_part, r.last_day_part, r.working_days, r.status, r.reason, s.employee_code,"
    " s.full_name, r.reference, r.work_refusal, r.replaces_id, r.requested_by, r.requested_at, r.decided_by,"
    " r.decided_at FROM leave_requests r JOIN employees e ON e.id = r.employee_id"
    " JOIN org_units u ON u.id = r.unit_id LEFT JOIN employees s ON s.id = r.substitute_id"
)


def _request(row: tuple[Any, ...], steps: tuple[Step, ...] = (), attachments: tuple[Any, ...] = ()) -> LeaveRequest:
    values = list(row)
    values[9], values[10] = Part(values[9]), Part(values[10])
    values[11] = float(values[11]) if values[11] is not None else 0.0
    values[12] = Status(values[12])
    return LeaveRequest(*values, steps=steps, attachments=attachments)  # type: ignore[arg-type]


def steps_of(conn: psycopg.Connection, request_ids: Sequence[int]) -> dict[int, tuple[Step, ...]]:
    rows = conn.execute(
        "SELECT request_id, id, position, level, approver, acting_for, state, comment, due_at, decided_at"
        " FROM leave_request_steps WHERE request_id = ANY(%s) ORDER BY request_id, position",
        (list(request_ids),),
    ).fetchall()
    found: dict[int, list[Step]] = defaultdict(list)
    for r in rows:
        found[r[0]].append(Step(r[1], r[2], r[3], r[4], r[5], StepState(r[6]), r[7], r[8], r[9]))
    return {k: tuple(v) for k, v in found.items()}


def request(conn: psycopg.Connection, request_id: int, *, lock: bool = False) -> LeaveRequest | None:
    if lock:
        conn.execute("SELECT 1 FROM leave_requests WHERE id = %s FOR UPDATE", (request_id,))
    row = conn.execute(_REQUEST + " WHERE r.id = %s", (request_id,)).fetchone()
    if row is None:
        return None
    attachments = conn.execute(
        "SELECT id, filename, size_bytes FROM leave_attachments WHERE request_id = %s ORDER BY id", (request_id,)
    ).fetchall()
    return _request(row, steps_of(conn, [request_id]).get(request_id, ()), tuple(map(tuple, attachments)))


def requests(
    conn: psycopg.Connection,
    *,
    employee_id: int | None = None,
    unit_path: str | None = None,
    statuses: Sequence[str] | None = None,
    first: date | None = None,
    last: date | None = None,
    limit: int = 200,
) -> list[LeaveRequest]:
    rows = conn.execute(
        _REQUEST + " WHERE (%(e)s::bigint IS NULL OR r.employee_id = %(e)s)"
        " AND (%(p)s::text IS NULL OR u.path LIKE %(p)s || '%%')"
        " AND (%(s)s::text[] IS NULL OR r.status = ANY(%(s)s))"
        " AND (%(l)s::date IS NULL OR r.first_day <= %(l)s) AND (%(f)s::date IS NULL OR r.last_day >= %(f)s)"
        " ORDER BY r.first_day DESC, r.id DESC LIMIT %(n)s",
        {
            "e": employee_id,
            "p": unit_path,
            "s": list(statuses) if statuses else None,
            "f": first,
            "l": last,
            "n": limit,
        },
    ).fetchall()
    steps = steps_of(conn, [r[0] for r in rows])
    return [_request(r, steps.get(r[0], ())) for r in rows]


def inbox(conn: psycopg.Connection, username: str) -> list[LeaveRequest]:
    """Requests whose current step is this approver's, oldest first."""
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT s.request_id FROM leave_request_steps s JOIN leave_requests r ON r.id = s.request_id"
            " WHERE s.approver = %s AND s.state = 'pending' AND r.status = 'pending' ORDER BY r.requested_at",
            (username,),
        ).fetchall()
    ]
    found = {r.id: r for r in _by_ids(conn, ids)}
    return [found[i] for i in ids if i in found]


def _by_ids(conn: psycopg.Connection, ids: Sequence[int]) -> list[LeaveRequest]:
    rows = conn.execute(_REQUEST + " WHERE r.id = ANY(%s)", (list(ids),)).fetchall()
    steps = steps_of(conn, ids)
    return [_request(r, steps.get(r[0], ())) for r in rows]


def due_steps(conn: psycopg.Connection, now: datetime) -> list[tuple[int, int]]:
    """(step id, request id) of pending steps past their due time."""
    return conn.execute(
        "SELECT s.id, s.request_id FROM leave_request_steps s JOIN leave_requests r ON r.id = s.request_id"
        " WHERE s.state = 'pending' AND r.status = 'pending' AND s.due_at < %s ORDER BY s.due_at",
        (now,),
    ).fetchall()


def add_attachment(
    conn: psycopg.Connection, request_id: int, sha256: str, filename: str, content_type: str, size: int, by: str
) -> int:
    row = conn.execute(
        "INSERT INTO leave_attachments (request_id, sha256, filename, content_type, size_bytes, uploaded_by)"
        " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (request_id, sha256, filename, content_type, size, by),
    ).fetchone()
    assert row is not None
    return int(row[0])


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
    """Per person: approved requests of the year that deduct the balance (taken), pending days, and the
    approved rows without a stored count ((first, last, parts) — moved from the old table).

    Booked to the year of the first day. Summed in SQL; one row per request only for the people in
    `detailed` (whose carried days expire: the dates matter) and those with uncounted rows."""
    ids = list(employee_ids) if employee_ids is not None else None
    rows = conn.execute(
        "SELECT r.employee_id, COALESCE(sum(r.working_days) FILTER (WHERE r.status = 'approved'), 0),"
        " COALESCE(sum(r.working_days) FILTER (WHERE r.status = 'pending'), 0), bool_or(r.working_days IS NULL)"
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
        "SELECT r.employee_id, r.status, r.first_day, r.last_day, r.first_day_part, r.last_day_part, r.working_days"
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


def close_year(conn: psycopg.Connection, year: int, policy_code: str, by: str, summary: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO leave_year_closes (year, policy_code, closed_by, summary) VALUES (%s, %s, %s, %s)",
        (year, policy_code, by, psycopg.types.json.Jsonb(summary)),
    )


def team_requests(
    conn: psycopg.Connection, unit_path: str, first: date, last: date
) -> list[tuple[int, int, str, str, date, date, str, str, str, str | None]]:
    """(id, employee id, type, symbol, first, last, first part, last part, status, substitute name) of
    approved and pending requests of the subtree touching [first, last]."""
    return conn.execute(
        "SELECT r.id, r.employee_id, r.leave_type, COALESCE(r.symbol, t.symbol), r.first_day, r.last_day,"
        " r.first_day_part, r.last_day_part, r.status, s.full_name FROM leave_requests r"
        " JOIN employees e ON e.id = r.employee_id JOIN org_units u ON u.id = e.unit_id"
        " JOIN leave_types t ON t.code = r.leave_type LEFT JOIN employees s ON s.id = r.substitute_id"
        " WHERE u.path LIKE %s || '%%' AND r.status IN ('approved', 'pending')"
        " AND r.first_day <= %s AND r.last_day >= %s ORDER BY r.first_day, r.id",
        (unit_path, last, first),
    ).fetchall()


def user_exists(conn: psycopg.Connection, username: str) -> bool:
    return conn.execute("SELECT 1 FROM users WHERE username = %s", (username,)).fetchone() is not None


def lock_person(conn: psycopg.Connection, employee_id: int) -> None:
    """Serialise one person's requests (the overlap and balance checks) until the transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('leave_requests'), %s::int)", (employee_id % 2**31,))


def lock_year_close(conn: psycopg.Connection, year: int) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('leave_year_close'), %s)", (year,))


def active_user_id(conn: psycopg.Connection, username: str) -> int | None:
    row = conn.execute("SELECT id FROM users WHERE username = %s AND disabled_at IS NULL", (username,)).fetchone()
    return int(row[0]) if row else None


def request_brief(conn: psycopg.Connection, request_id: int) -> tuple[str, date, date, Any, str] | None:
    """(full name, first day, last day, working days, status) of a request."""
    return conn.execute(
        "SELECT e.full_name, r.first_day, r.last_day, r.working_days, r.status FROM leave_requests r"
        " JOIN employees e ON e.id = r.employee_id WHERE r.id = %s",
        (request_id,),
    ).fetchone()


def employees_by_codes(conn: psycopg.Connection, codes: Sequence[str]) -> list[Employee]:
    rows = conn.execute(_EMPLOYEE + " WHERE e.employee_code = ANY(%s)", (list(codes),)).fetchall()
    return [Employee(*r) for r in rows]


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
        "SELECT r.employee_id, sum(COALESCE(r.working_days, 0)) FROM leave_requests r"
        " JOIN employees e ON e.id = r.employee_id JOIN org_units u ON u.id = e.unit_id"
        " JOIN leave_types t ON t.code = r.leave_type"
        " WHERE u.path LIKE %s || '%%' AND r.work_refusal AND t.deducts_balance"
        " AND r.first_day BETWEEN make_date(%s, 1, 1) AND make_date(%s, 12, 31) GROUP BY 1",
        (unit_path, year, year),
    ).fetchall()
    return {int(e): float(d) for e, d in rows}


def unit_names(conn: psycopg.Connection, unit_path: str) -> list[str]:
    """Names of the units on the path, root first."""
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    rows = dict(conn.execute("SELECT id, name FROM org_units WHERE id = ANY(%s)", (ids,)).fetchall())
    return [rows[i] for i in ids if i in rows]
