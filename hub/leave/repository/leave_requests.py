"""Leave requests: writing them, reading them with their steps and attachments, overlaps, the team's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg

from hub.leave.days import Part
from hub.leave.models import LeaveRequest, Status, Step, StepState


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


_REQUEST = (
    "SELECT r.id, r.employee_id, e.employee_code, e.full_name, u.code, u.path, r.leave_type, r.first_day,"
    " r.last_day, r.first_day_part, r.last_day_part, r.working_days, r.status, r.reason, s.employee_code,"
    " s.full_name, r.reference, r.work_refusal, r.replaces_id, r.requested_by, r.requested_at, r.decided_by,"
    " r.decided_at, r.permit_document_id, pd.code_number || '/' || pd.code_notation, r.permit_problem,"
    " r.permit_due, r.travel_days, r.travel_days_added FROM leave_requests r JOIN employees e ON e.id = r.employee_id"
    " JOIN org_units u ON u.id = r.unit_id LEFT JOIN employees s ON s.id = r.substitute_id"
    " LEFT JOIN documents pd ON pd.id = r.permit_document_id"
)
_REQUEST_FIELDS = 23  # positional fields of LeaveRequest; the permit's and travel's follow by name
_NAMED_FIELDS = (
    "permit_document_id",
    "permit_number",
    "permit_problem",
    "permit_due",
    "travel_days",
    "travel_days_added",
)


def _request(row: tuple[Any, ...], steps: tuple[Step, ...] = (), attachments: tuple[Any, ...] = ()) -> LeaveRequest:
    values = list(row)
    values[9], values[10] = Part(values[9]), Part(values[10])
    values[11] = float(values[11]) if values[11] is not None else 0.0
    values[12] = Status(values[12])
    named = dict(zip(_NAMED_FIELDS, values[_REQUEST_FIELDS:], strict=True))
    for key in ("travel_days", "travel_days_added"):
        named[key] = float(named[key])
    return LeaveRequest(*values[:_REQUEST_FIELDS], steps=steps, attachments=attachments, **named)  # type: ignore[arg-type]


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


def request_brief(conn: psycopg.Connection, request_id: int) -> tuple[str, date, date, Any, str] | None:
    """(full name, first day, last day, working days, status) of a request."""
    return conn.execute(
        "SELECT e.full_name, r.first_day, r.last_day, r.working_days, r.status FROM leave_requests r"
        " JOIN employees e ON e.id = r.employee_id WHERE r.id = %s",
        (request_id,),
    ).fetchone()


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


def travel_used(conn: psycopg.Connection, employee_id: int, year: int, exclude: Sequence[int] = ()) -> int:
    """How many pending or approved requests of the person starting in `year` got travel days added."""
    row = conn.execute(
        "SELECT count(*) FROM leave_requests WHERE employee_id = %s AND status IN ('pending', 'approved')"
        " AND travel_days_added > 0 AND first_day BETWEEN make_date(%s, 1, 1) AND make_date(%s, 12, 31)"
        " AND NOT id = ANY(%s)",
        (employee_id, year, year, list(exclude)),
    ).fetchone()
    return int(row[0]) if row else 0


def attachment(conn: psycopg.Connection, request_id: int, attachment_id: int) -> tuple[str, str, str] | None:
    """(sha256, filename, content_type) of one attachment of a request."""
    row = conn.execute(
        "SELECT sha256, filename, content_type FROM leave_attachments WHERE request_id = %s AND id = %s",
        (request_id, attachment_id),
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


# --- read by the leadership screen (hub.leadership): set-based over unit subtrees ----------------------------------


def away_by_unit(conn: psycopg.Connection, under: Sequence[str] | None, day: date) -> list[tuple[str, int]]:
    """(unit path, people) of the employees with approved leave (of any type, business trips included) covering
    `day`, by their present unit, inside the subtrees `under` (None: every unit)."""
    return conn.execute(
        "SELECT u.path, count(DISTINCT l.employee_id) FROM leave_requests l JOIN employees e ON e.id = l.employee_id"
        " JOIN org_units u ON u.id = e.unit_id WHERE l.status = 'approved' AND l.first_day <= %(day)s"
        " AND l.last_day >= %(day)s AND (%(all)s OR u.path LIKE ANY(%(under)s)) GROUP BY u.path",
        {"day": day, "all": under is None, "under": [p + "%" for p in under or ()]},
    ).fetchall()


def away_under(conn: psycopg.Connection, path: str, day: date, limit: int) -> list[dict[str, Any]]:
    """The approved leave covering `day` of the employees in the subtree `path`: who, which type, from, to."""
    with conn.cursor() as cur:
        rows = cur.execute(
            "SELECT l.id, e.employee_code, e.full_name, u.code, u.name, t.name_vi, t.name_en, l.first_day,"
            " l.last_day FROM leave_requests l JOIN employees e ON e.id = l.employee_id"
            " JOIN org_units u ON u.id = e.unit_id JOIN leave_types t ON t.code = l.leave_type"
            " WHERE l.status = 'approved' AND l.first_day <= %(day)s AND l.last_day >= %(day)s AND u.path LIKE %(p)s"
            " ORDER BY u.path, e.employee_code, l.id LIMIT %(limit)s",
            {"day": day, "p": path + "%", "limit": limit},
        ).fetchall()
    keys = ("id", "employee_code", "full_name", "unit_code", "unit_name", "type_vi", "type_en", "first_day", "last_day")
    return [dict(zip(keys, r, strict=True)) for r in rows]
