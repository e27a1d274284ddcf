"""SQL of timekeeping: who is on a unit's sheet, their raw FaceID punches, approved absences,
managers' corrections, work schedules and each year's calendar decisions.

It reads the people tables (employees, org_units) to know whose events to load: the sheet is
by unit, the events by FaceID person id. Raw `attendance_events` are only ever read here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from hub.timekeeping.calendar import CalendarAdjustments, HolidayRule, RuleKind
from hub.timekeeping.engine import Absence, AbsenceKind, Correction, DayPart
from hub.timekeeping.schedule import WorkSchedule
from hub.timekeeping.timesheet import PunchSeries


@dataclass(frozen=True, slots=True)
class StaffRow:
    """An employee as the timesheet needs them."""

    employee_id: int
    employee_code: str
    person_id: str
    full_name: str
    unit_code: str
    unit_name: str
    position: str | None
    schedule_code: str
    active_from: date | None
    active_to: date | None


@dataclass(frozen=True, slots=True)
class StoredCorrection:
    id: int
    employee_code: str
    correction: Correction


@dataclass(frozen=True, slots=True)
class StoredAdjustments:
    adjustments: CalendarAdjustments
    version: int
    author: str
    made_at: datetime


_STAFF_COLUMNS = (
    "e.id, e.employee_code, e.person_id, e.full_name, u.code, u.name, e.position, e.schedule_code,"
    " e.active_from, e.active_to"
)
_ACTIVE = "(e.active_from IS NULL OR e.active_from <= %(last)s) AND (e.active_to IS NULL OR e.active_to >= %(first)s)"


def work_schedules(conn: psycopg.Connection) -> dict[str, WorkSchedule]:
    """Every schedule by code, as validated `WorkSchedule`s (one object per code, shared by all its staff)."""
    rows = conn.execute(
        "SELECT code, name, start_time, end_time, lunch_start, lunch_end, check_in_opens, check_in_closes,"
        " check_out_opens, check_out_closes, late_grace_minutes, early_leave_grace_minutes, missing_punch_rule,"
        " timezone FROM work_schedules"
    ).fetchall()
    names = (
        "code name start end lunch_start lunch_end check_in_opens check_in_closes check_out_opens"
        " check_out_closes late_grace_minutes early_leave_grace_minutes missing_punch_rule timezone"
    ).split()
    return {row[0]: WorkSchedule(**dict(zip(names, row, strict=True))) for row in rows}


def staff_of_unit(conn: psycopg.Connection, unit_path: str, first: date, last: date) -> list[StaffRow]:
    """Employees of the unit's subtree employed on any day of [first, last], by unit then code."""
    rows = conn.execute(
        f"SELECT {_STAFF_COLUMNS} FROM employees e JOIN org_units u ON u.id = e.unit_id"
        f" WHERE u.path LIKE %(path)s || '%%' AND {_ACTIVE} ORDER BY u.path, e.employee_code",
        {"path": unit_path, "first": first, "last": last},
    ).fetchall()
    return [StaffRow(*r) for r in rows]


def staff_member(conn: psycopg.Connection, employee_code: str) -> StaffRow | None:
    row = conn.execute(
        f"SELECT {_STAFF_COLUMNS} FROM employees e JOIN org_units u ON u.id = e.unit_id WHERE e.employee_code = %s",
        (employee_code,),
    ).fetchone()
    return StaffRow(*row) if row else None


def account_employee_id(conn: psycopg.Connection, username: str) -> int | None:
    """The employee the account `username` belongs to (None: no such account, or not an employee's)."""
    row = conn.execute("SELECT employee_id FROM users WHERE username = %s", (username,)).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def punches(
    conn: psycopg.Connection, person_ids: Sequence[str], start: datetime, end: datetime
) -> dict[str, PunchSeries]:
    """The raw FaceID punches in [start, end) of these people: per person (times, directions) sorted by time."""
    return dict(stream_punches(conn, person_ids, start, end))


#: rows per network fetch while streaming punches (libpq chunked mode; single rows on older libpq)
_STREAM_ROWS = 256


def stream_punches(
    conn: psycopg.Connection, person_ids: Sequence[str], start: datetime, end: datetime
) -> Iterator[tuple[str, PunchSeries]]:
    """`punches`, yielded person by person (in no promised order) as the rows arrive.

    One query. `start`/`end` are constants, so PostgreSQL prunes to the month's partitions
    (a TimescaleDB hypertable excludes chunks the same way); rows are aggregated per person
    into two arrays and sent in binary, which keeps 440,000 events to 10,000 rows on the wire.
    The plan (a merge of the partitions' (person_id, ts) indexes into a group aggregate) emits
    its first person after a few milliseconds, so a caller that computes while it iterates
    overlaps its own work with the database's instead of waiting for the whole result.
    The connection is busy until the iterator is exhausted or closed.
    """
    if not person_ids:
        return
    with conn.cursor(binary=True) as cur:
        rows = cur.stream(
            "SELECT person_id, array_agg(date_part('epoch', ts) ORDER BY ts),"
            " array_agg(direction ORDER BY ts) FROM attendance_events"
            " WHERE ts >= %s AND ts < %s AND person_id = ANY(%s::text[]) GROUP BY person_id",
            (start, end, list(person_ids)),
            size=_STREAM_ROWS,
        )
        for person, times, directions in rows:
            yield person, (times, directions)


def input_version(conn: psycopg.Connection, first: date, last: date) -> int:
    """The sum of the change counters of the local days [first, last] and of the everything-wide ones.

    Every committed write to the engine's inputs of a day (events, approved absences, corrections)
    or to all days (calendar, schedules, employees, units) makes it larger (migration 0060), so
    equal sums mean results computed from these days' inputs are still right.
    """
    row = conn.execute(
        "SELECT COALESCE(sum(version), 0) FROM timekeeping_input_versions"
        " WHERE day BETWEEN %s AND %s OR day = '-infinity'::date",
        (first, last),
    ).fetchone()
    assert row is not None
    return int(row[0])


def absences(
    conn: psycopg.Connection, employee_ids: Sequence[int], first: date, last: date
) -> dict[str, dict[date, list[Absence]]]:
    """Approved leave and trips overlapping [first, last], by person id and day (days outside dropped)."""
    rows = conn.execute(
        "SELECT e.person_id, a.kind, a.part, a.code, a.reference, a.first_day, a.last_day"
        " FROM approved_absences a JOIN employees e ON e.id = a.employee_id"
        " WHERE a.employee_id = ANY(%s) AND a.first_day <= %s AND a.last_day >= %s ORDER BY a.id",
        (list(employee_ids), last, first),
    ).fetchall()
    found: dict[str, dict[date, list[Absence]]] = defaultdict(dict)
    for person, kind, part, code, reference, first_day, last_day in rows:
        absence = Absence(kind=AbsenceKind(kind), part=DayPart(part), code=code, reference=reference)
        day = max(first_day, first)
        while day <= min(last_day, last):
            found[person].setdefault(day, []).append(absence)
            day += timedelta(days=1)
    return dict(found)


def insert_absence(
    conn: psycopg.Connection,
    employee_id: int,
    kind: AbsenceKind,
    first_day: date,
    last_day: date,
    approved_by: str,
    *,
    part: DayPart = DayPart.FULL,
    code: str | None = None,
    reference: str | None = None,
) -> int:
    row = conn.execute(
        "INSERT INTO approved_absences (employee_id, kind, first_day, last_day, part, code, reference, approved_by)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (employee_id, kind.value, first_day, last_day, part.value, code, reference, approved_by),
    ).fetchone()
    assert row is not None
    return int(row[0])


_CORRECTION_FIELDS = (
    "day",
    "reason",
    "author",
    "made_at",
    "status",
    "first_in",
    "last_out",
    "late_minutes",
    "early_leave_minutes",
    "worked_minutes",
    "worked_days",
)


def corrections(
    conn: psycopg.Connection, employee_ids: Sequence[int], first: date, last: date
) -> dict[str, list[StoredCorrection]]:
    """Every correction (the whole history) of days in [first, last], by person id, oldest first."""
    rows = conn.execute(
        f"SELECT c.id, e.employee_code, e.person_id, {', '.join('c.' + f for f in _CORRECTION_FIELDS)}"
        " FROM timekeeping_corrections c JOIN employees e ON e.id = c.employee_id"
        " WHERE c.employee_id = ANY(%s) AND c.day BETWEEN %s AND %s ORDER BY c.made_at, c.id",
        (list(employee_ids), first, last),
    ).fetchall()
    found: dict[str, list[StoredCorrection]] = defaultdict(list)
    for row in rows:
        values: dict[str, Any] = dict(zip(_CORRECTION_FIELDS, row[3:], strict=True))
        found[row[2]].append(StoredCorrection(row[0], row[1], Correction(person_id=row[2], **values)))
    return dict(found)


def insert_correction(conn: psycopg.Connection, employee_id: int, correction: Correction) -> tuple[int, datetime]:
    """Append a correction; the database clock stamps it (`made_at` of the model is not used)."""
    fields = [f for f in _CORRECTION_FIELDS if f != "made_at"]
    values = [getattr(correction, f) for f in fields]
    row = conn.execute(
        f"INSERT INTO timekeeping_corrections (employee_id, {', '.join(fields)})"
        f" VALUES (%s, {', '.join(['%s'] * len(fields))}) RETURNING id, made_at",
        [employee_id, *(v.value if hasattr(v, "value") else v for v in values)],
    ).fetchone()
    assert row is not None
    return int(row[0]), row[1]


def holiday_rules(conn: psycopg.Connection) -> list[HolidayRule]:
    """The public-holiday rules (migration 0301), as the calendar uses them."""
    rows = conn.execute(
        "SELECT code, name, kind, month, day, days, substitute, legal_basis, valid_from, valid_to"
        " FROM public_holiday_rules ORDER BY code"
    ).fetchall()
    return [
        HolidayRule(code, name, RuleKind(kind), month, day, days, substitute, basis, start, end)
        for code, name, kind, month, day, days, substitute, basis, start, end in rows
    ]


def latest_calendar_adjustments(conn: psycopg.Connection) -> list[StoredAdjustments]:
    """The version in force of every year that has decisions."""
    rows = conn.execute(
        "SELECT DISTINCT ON (year) data, version, author, made_at FROM calendar_adjustments ORDER BY year, version DESC"
    ).fetchall()
    return [StoredAdjustments(CalendarAdjustments.model_validate(r[0]), r[1], r[2], r[3]) for r in rows]


def save_calendar_adjustments(
    conn: psycopg.Connection, adjustments: CalendarAdjustments, author: str
) -> StoredAdjustments:
    """Store a new version for the year (the previous ones stay, for the audit trail)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('calendar_adjustments'), %s)", (adjustments.year,))
        row = conn.execute(
            "INSERT INTO calendar_adjustments (year, version, data, author)"
            " SELECT %(year)s, COALESCE(max(version), 0) + 1, %(data)s, %(author)s"
            " FROM calendar_adjustments WHERE year = %(year)s RETURNING version, made_at",
            {"year": adjustments.year, "data": Jsonb(adjustments.model_dump(mode="json")), "author": author},
        ).fetchone()
    assert row is not None
    return StoredAdjustments(adjustments, row[0], author, row[1])


def ensure_schedule(conn: psycopg.Connection, schedule: WorkSchedule) -> bool:
    """Add a schedule unless its code exists (an existing one is never changed); whether it was added.
    (org: `cces demo` adds its border-gate shift with this.)"""
    row = conn.execute(
        "INSERT INTO work_schedules (code, name, start_time, end_time, lunch_start, lunch_end, check_in_opens,"
        " check_in_closes, check_out_opens, check_out_closes, late_grace_minutes, early_leave_grace_minutes,"
        " missing_punch_rule, timezone) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (code) DO NOTHING RETURNING code",
        (schedule.code, schedule.name, schedule.start, schedule.end, schedule.lunch_start, schedule.lunch_end,
         schedule.check_in_opens, schedule.check_in_closes, schedule.check_out_opens, schedule.check_out_closes,
         schedule.late_grace_minutes, schedule.early_leave_grace_minutes, schedule.missing_punch_rule.value,
         schedule.timezone),
    ).fetchone()  # fmt: skip
    return row is not None


# --- read by the leadership screen (hub.leadership): set-based over unit subtrees ----------------------------------


def presence_by_unit(
    conn: psycopg.Connection, under: Sequence[str] | None, day: date, start: datetime, end: datetime
) -> list[tuple[str, int, int]]:
    """(unit path, staff employed on `day`, of them seen by a FaceID door in [start, end)) by their present unit,
    inside the subtrees `under` (None: every unit). One query: the day's sightings read once (their time index)."""
    return conn.execute(
        "SELECT u.path, count(*), count(seen.person_id) FROM employees e JOIN org_units u ON u.id = e.unit_id"
        " LEFT JOIN (SELECT DISTINCT a.person_id FROM attendance_events a WHERE a.ts >= %(start)s AND a.ts < %(end)s)"
        " seen ON seen.person_id = e.person_id"
        " WHERE (e.active_from IS NULL OR e.active_from <= %(day)s) AND (e.active_to IS NULL OR e.active_to >= %(day)s)"
        " AND (%(all)s OR u.path LIKE ANY(%(under)s)) GROUP BY u.path",
        {"day": day, "start": start, "end": end, "all": under is None, "under": [p + "%" for p in under or ()]},
    ).fetchall()


def presence_under(
    conn: psycopg.Connection, path: str, day: date, start: datetime, end: datetime, limit: int
) -> list[dict[str, Any]]:
    """The staff of the subtree `path` employed on `day` with their first sighting in [start, end) (None: not
    seen), by unit and code."""
    with conn.cursor() as cur:
        rows = cur.execute(
            "SELECT e.employee_code, e.full_name, u.code, u.name, (SELECT min(a.ts) FROM attendance_events a"
            " WHERE a.person_id = e.person_id AND a.ts >= %(start)s AND a.ts < %(end)s)"
            " FROM employees e JOIN org_units u ON u.id = e.unit_id"
            " WHERE (e.active_from IS NULL OR e.active_from <= %(day)s)"
            " AND (e.active_to IS NULL OR e.active_to >= %(day)s) AND u.path LIKE %(p)s"
            " ORDER BY u.path, e.employee_code LIMIT %(limit)s",
            {"day": day, "start": start, "end": end, "p": path + "%", "limit": limit},
        ).fetchall()
    keys = ("employee_code", "full_name", "unit_code", "unit_name", "first_seen")
    return [dict(zip(keys, r, strict=True)) for r in rows]
