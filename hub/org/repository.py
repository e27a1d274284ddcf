"""SQL of the organisation: unit kinds, units with validity dates, their versions, who was where when.

The history itself is written by the triggers of migration 0220; `set_effective` tells them the day (and
moment) a change takes effect, for the rest of the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from hub.org.models import EmployeeUnitPeriod, Unit, UnitKindInfo, UnitVersion

_UNIT = (
    "u.id, u.code, u.name, u.kind, u.parent_id, p.code, u.path, u.valid_from, u.valid_to, s.code,"
    " coalesce(u.has_seal, false), coalesce(u.is_office, false)"
)
_FROM = "FROM org_units u LEFT JOIN org_units p ON p.id = u.parent_id LEFT JOIN org_units s ON s.id = u.successor_id"


def _unit(row: tuple) -> Unit:
    return Unit(*row)


def kinds(conn: psycopg.Connection) -> list[UnitKindInfo]:
    rows = conn.execute(
        "SELECT code, name_vi, name_en, level, has_seal, is_office, parent_kinds, valid_from, valid_to, basis"
        " FROM org_unit_kinds ORDER BY sort, code"
    ).fetchall()
    return [UnitKindInfo(*r[:6], tuple(r[6]), *r[7:]) for r in rows]


def unit_by_code(conn: psycopg.Connection, code: str, *, lock: bool = False) -> Unit | None:
    row = conn.execute(
        f"SELECT {_UNIT} {_FROM} WHERE u.code = %s" + (" FOR UPDATE OF u" if lock else ""), (code,)
    ).fetchone()
    return _unit(row) if row else None


def units(conn: psycopg.Connection, *, include_closed: bool = False, under_path: str | None = None) -> list[Unit]:
    """Units in tree order (parents first); closed ones only with `include_closed`."""
    rows = conn.execute(
        f"SELECT {_UNIT} {_FROM} WHERE (%(closed)s OR u.valid_to IS NULL)"
        " AND (%(p)s::text IS NULL OR u.path LIKE %(p)s || '%%') ORDER BY u.path",
        {"closed": include_closed, "p": under_path},
    ).fetchall()
    return [_unit(r) for r in rows]


def is_empty(conn: psycopg.Connection) -> bool:
    row = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM org_units)").fetchone()
    return bool(row and row[0])


def codes(conn: psycopg.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT code FROM org_units")}


def insert_unit(
    conn: psycopg.Connection, code: str, name: str, kind: str, parent_id: int | None, valid_from: date | None
) -> int:
    row = conn.execute(
        "INSERT INTO org_units (code, name, kind, parent_id, valid_from) VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (code, name, kind, parent_id, valid_from),
    ).fetchone()
    assert row is not None
    return int(row[0])


def set_effective(conn: psycopg.Connection, day: date, at: datetime) -> None:
    """The day (units) and moment (employees) the changes of this transaction take effect."""
    conn.execute(
        "SELECT set_config('cces.org_effective', %s, true), set_config('cces.org_effective_at', %s, true)",
        (day.isoformat(), at.isoformat()),
    )


def rename(conn: psycopg.Connection, unit_id: int, name: str) -> None:
    conn.execute("UPDATE org_units SET name = %s WHERE id = %s", (name, unit_id))


def move(conn: psycopg.Connection, unit_id: int, parent_id: int) -> None:
    conn.execute("UPDATE org_units SET parent_id = %s WHERE id = %s", (parent_id, unit_id))


def close(conn: psycopg.Connection, unit_id: int, day: date, successor_id: int | None) -> None:
    conn.execute("UPDATE org_units SET valid_to = %s, successor_id = %s WHERE id = %s", (day, successor_id, unit_id))


def open_children(conn: psycopg.Connection, unit_id: int) -> list[Unit]:
    rows = conn.execute(
        f"SELECT {_UNIT} {_FROM} WHERE u.parent_id = %s AND u.valid_to IS NULL ORDER BY u.code", (unit_id,)
    ).fetchall()
    return [_unit(r) for r in rows]


def predecessors(conn: psycopg.Connection, unit_id: int) -> list[Unit]:
    rows = conn.execute(f"SELECT {_UNIT} {_FROM} WHERE u.successor_id = %s ORDER BY u.code", (unit_id,)).fetchall()
    return [_unit(r) for r in rows]


def employees_in(conn: psycopg.Connection, unit_id: int) -> list[tuple[str, str]]:
    """(employee code, full name) of the employees whose unit this is now, by code."""
    rows = conn.execute(
        "SELECT employee_code, full_name FROM employees WHERE unit_id = %s ORDER BY employee_code", (unit_id,)
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def move_employees(conn: psycopg.Connection, from_unit: int, to_unit: int) -> list[str]:
    rows = conn.execute(
        "UPDATE employees SET unit_id = %s, updated_at = now() WHERE unit_id = %s RETURNING employee_code",
        (to_unit, from_unit),
    ).fetchall()
    return sorted(r[0] for r in rows)


def versions(conn: psycopg.Connection, unit_id: int) -> list[UnitVersion]:
    """The unit's versions, oldest first."""
    rows = conn.execute(
        "SELECT v.valid_from, v.valid_to, v.code, v.name, v.kind, p.code,"
        " (SELECT pv.name FROM cces_unit_version_at(v.parent_id, coalesce(v.valid_from, '-infinity'::date)) pv)"
        " FROM org_unit_versions v LEFT JOIN org_units p ON p.id = v.parent_id"
        " WHERE v.unit_id = %s ORDER BY v.valid_from NULLS FIRST, v.id",
        (unit_id,),
    ).fetchall()
    return [UnitVersion(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or None) for r in rows]


def version_at(conn: psycopg.Connection, unit_id: int, day: date) -> UnitVersion | None:
    row = conn.execute(
        "SELECT v.valid_from, v.valid_to, v.code, v.name, v.kind, p.code, p.name"
        " FROM cces_unit_version_at(%s, %s) v LEFT JOIN org_units p ON p.id = v.parent_id WHERE v.unit_id IS NOT NULL",
        (unit_id, day),
    ).fetchone()
    return UnitVersion(*row) if row else None


def open_version_from(conn: psycopg.Connection, unit_id: int) -> date | None:
    row = conn.execute(
        "SELECT valid_from FROM org_unit_versions WHERE unit_id = %s AND valid_to IS NULL ORDER BY id DESC LIMIT 1",
        (unit_id,),
    ).fetchone()
    return row[0] if row else None


def unit_of_person_at(conn: psycopg.Connection, person_id: str, at: datetime) -> Unit | None:
    """The unit the employee with this FaceID id was in at `at` (None: no such employee then)."""
    row = conn.execute(
        f"SELECT {_UNIT} {_FROM} WHERE u.id = cces_unit_of_person_at(%s, %s)", (person_id, at)
    ).fetchone()
    return _unit(row) if row else None


def unit_of_employee_at(conn: psycopg.Connection, employee_code: str, at: datetime) -> Unit | None:
    row = conn.execute(
        f"SELECT {_UNIT} {_FROM} WHERE u.id = (SELECT cces_unit_of_employee_at(e.id, %s) FROM employees e"
        " WHERE e.employee_code = %s)",
        (at, employee_code),
    ).fetchone()
    return _unit(row) if row else None


def employee_periods(conn: psycopg.Connection, employee_code: str) -> list[EmployeeUnitPeriod]:
    rows = conn.execute(
        "SELECT p.employee_code, p.unit_code, u.name, nullif(p.valid_from, '-infinity'), p.valid_to"
        " FROM employee_unit_periods p JOIN org_units u ON u.id = p.unit_id"
        " WHERE p.employee_code = %s ORDER BY p.valid_from",
        (employee_code,),
    ).fetchall()
    return [EmployeeUnitPeriod(*r) for r in rows]


def employee_counts(conn: psycopg.Connection) -> dict[int, int]:
    """unit id → employees in it now."""
    return {int(r[0]): int(r[1]) for r in conn.execute("SELECT unit_id, count(*) FROM employees GROUP BY unit_id")}


def paths_of(conn: psycopg.Connection, unit_codes: Sequence[str]) -> dict[str, str]:
    rows = conn.execute("SELECT code, path FROM org_units WHERE code = ANY(%s)", (list(unit_codes),)).fetchall()
    return dict(rows)


def demo_seeded(conn: psycopg.Connection) -> bool:
    """Whether `cces demo` seeded this hub's organisation (its data is marked as demo data)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM demo_seed)").fetchone()[0]  # type: ignore[index]


def mark_demo(conn: psycopg.Connection, version: int, summary: dict[str, object]) -> None:
    """Mark this hub's data as `cces demo`'s (only the demo calls this)."""
    conn.execute(
        "INSERT INTO demo_seed (id, version, summary) VALUES (1, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, summary = demo_seed.summary || EXCLUDED.summary",
        (version, Jsonb(summary)),
    )  # merged: the parts seeded later (cces.demo_office) keep their keys


def demo_summary(conn: psycopg.Connection) -> dict[str, Any]:
    """What `cces demo` recorded of its seeding ({} before it marked the hub)."""
    row = conn.execute("SELECT summary FROM demo_seed WHERE id = 1").fetchone()
    return dict(row[0] or {}) if row else {}


def sites_of_unit(conn: psycopg.Connection, unit_id: int) -> list[str]:
    """The offices (`site_units`) that serve this unit directly."""
    return [r[0] for r in conn.execute("SELECT site FROM site_units WHERE unit_id = %s ORDER BY site", (unit_id,))]
