"""SQL of people and organisation: org units (materialized path), employees, their bulk upsert and search."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import psycopg

from hub.people.models import Employee, EmployeeRecord, OrgUnit, UnitKind

_UNIT_COLUMNS = "id, parent_id, code, name, kind, path"
_EMPLOYEE_COLUMNS = (
    "e.id, e.employee_code, e.full_name, u.code, u.name, e.position, e.schedule_code, e.person_id,"
    " e.active_from, e.active_to"
)


def _unit(row: tuple) -> OrgUnit:
    return OrgUnit(row[0], row[1], row[2], row[3], unit_kind(row[4]), row[5])


def unit_kind(code: str) -> UnitKind | str:
    """The kind as the enum when it is one of the original four, else its code (kinds are data: hub.org)."""
    try:
        return UnitKind(code)
    except ValueError:
        return code


def insert_unit(conn: psycopg.Connection, code: str, name: str, kind: UnitKind, parent_id: int | None) -> OrgUnit:
    row = conn.execute(
        f"INSERT INTO org_units (code, name, kind, parent_id) VALUES (%s, %s, %s, %s) RETURNING {_UNIT_COLUMNS}",
        (code, name, kind.value, parent_id),
    ).fetchone()
    assert row is not None
    return _unit(row)


def unit_by_code(conn: psycopg.Connection, code: str) -> OrgUnit | None:
    row = conn.execute(f"SELECT {_UNIT_COLUMNS} FROM org_units WHERE code = %s", (code,)).fetchone()
    return _unit(row) if row else None


def list_units(conn: psycopg.Connection, under_path: str | None = None) -> list[OrgUnit]:
    """All units that exist now (or one subtree), parents before children; closed and merged ones are left
    out (hub.org keeps them and their history)."""
    rows = conn.execute(
        f"SELECT {_UNIT_COLUMNS} FROM org_units WHERE (%(p)s::text IS NULL OR path LIKE %(p)s || '%%')"
        " AND valid_to IS NULL ORDER BY path",
        {"p": under_path},
    ).fetchall()
    return [_unit(r) for r in rows]


def units_by_code(conn: psycopg.Connection) -> dict[str, tuple[int, str]]:
    """code → (id, materialised path) of every unit that exists now (a closed or merged unit takes nobody)."""
    return {
        row[0]: (int(row[1]), row[2])
        for row in conn.execute("SELECT code, id, path FROM org_units WHERE valid_to IS NULL")
    }


def employees_for_update(conn: psycopg.Connection, employee_codes: Sequence[str]) -> dict[str, Employee]:
    """code → employee, of those codes that exist, their rows locked until the transaction ends."""
    rows = conn.execute(
        f"SELECT {_EMPLOYEE_COLUMNS} FROM employees e JOIN org_units u ON u.id = e.unit_id"
        " WHERE e.employee_code = ANY(%s) FOR UPDATE OF e",
        (list(employee_codes),),
    ).fetchall()
    return {row[1]: Employee(*row) for row in rows}


def schedule_codes(conn: psycopg.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT code FROM work_schedules")}


def owners_of_person_ids(conn: psycopg.Connection, person_ids: Sequence[str]) -> dict[str, str]:
    """person_id → employee_code of the employees already holding these FaceID ids."""
    rows = conn.execute(
        "SELECT person_id, employee_code FROM employees WHERE person_id = ANY(%s)", (list(person_ids),)
    ).fetchall()
    return dict(rows)


def upsert_employees(conn: psycopg.Connection, records: Sequence[EmployeeRecord]) -> tuple[int, int]:
    """Insert or update (by employee code) in one statement; returns (inserted, updated).

    One `INSERT … SELECT FROM unnest(arrays)`: a round trip for the whole file, whatever its size.
    """
    if not records:
        return 0, 0
    columns = list(zip(*((r.employee_code, r.full_name, r.search_text, r.unit_id, r.position, r.schedule_code,
                          r.person_id, r.active_from, r.active_to, r.service_start, r.working_condition)
                         for r in records), strict=True))  # fmt: skip
    rows = conn.execute(
        "INSERT INTO employees AS e (employee_code, full_name, search_text, unit_id, position, schedule_code,"
        " person_id, active_from, active_to, service_start, working_condition)"
        " SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, COALESCE(c11, 'normal') FROM unnest(%s::text[], %s::text[],"
        " %s::text[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::date[], %s::date[], %s::date[],"
        " %s::text[]) AS u (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11)"
        " ON CONFLICT (employee_code) DO UPDATE SET full_name = EXCLUDED.full_name,"
        " search_text = EXCLUDED.search_text, unit_id = EXCLUDED.unit_id, position = EXCLUDED.position,"
        " schedule_code = EXCLUDED.schedule_code, person_id = EXCLUDED.person_id,"
        " active_from = EXCLUDED.active_from, active_to = EXCLUDED.active_to,"
        " service_start = COALESCE(EXCLUDED.service_start, e.service_start), updated_at = now()"
        " RETURNING (xmax = 0)",
        [list(c) for c in columns],
    ).fetchall()
    given = [(r.employee_code, r.working_condition) for r in records if r.working_condition is not None]
    if given:  # a working condition the file names replaces the stored one; a blank cell keeps it
        conn.execute(
            "UPDATE employees e SET working_condition = u.c FROM unnest(%s::text[], %s::text[]) AS u (code, c)"
            " WHERE e.employee_code = u.code AND e.working_condition <> u.c",
            [[g[0] for g in given], [g[1] for g in given]],
        )
    inserted = sum(1 for r in rows if r[0])
    return inserted, len(rows) - inserted


def employee_by_code(conn: psycopg.Connection, employee_code: str) -> Employee | None:
    row = conn.execute(
        f"SELECT {_EMPLOYEE_COLUMNS} FROM employees e JOIN org_units u ON u.id = e.unit_id WHERE e.employee_code = %s",
        (employee_code,),
    ).fetchone()
    return Employee(*row) if row else None


def search_employees(
    conn: psycopg.Connection,
    *,
    terms: Sequence[str] = (),
    unit_path: str | None = None,
    active_on: date | None = None,
    position: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[Employee]]:
    """(total matching, one page) ordered by unit then employee code.

    `terms` are folded words (see `hub.people.text`) that must all occur in the name, code or
    FaceID id; `unit_path` limits to a subtree; `active_on` to those employed that day;
    `position` to one chức vụ exactly.
    """
    patterns = ["%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for t in terms]
    params = {
        "patterns": patterns,
        "path": unit_path,
        "day": active_on,
        "position": position,
        "limit": limit,
        "offset": offset,
    }
    total = conn.execute(f"SELECT count(*) {_EMPLOYEE_FILTER}", params).fetchone()
    rows = conn.execute(
        f"SELECT {_EMPLOYEE_COLUMNS} {_EMPLOYEE_FILTER} ORDER BY u.path, e.employee_code"
        " LIMIT %(limit)s OFFSET %(offset)s",
        params,
    ).fetchall()
    return int(total[0]) if total else 0, [Employee(*r) for r in rows]


_EMPLOYEE_FILTER = (
    "FROM employees e JOIN org_units u ON u.id = e.unit_id"
    " WHERE e.search_text LIKE ALL(%(patterns)s::text[])"
    " AND (%(path)s::text IS NULL OR u.path LIKE %(path)s || '%%')"
    " AND (%(day)s::date IS NULL OR ((e.active_from IS NULL OR e.active_from <= %(day)s)"
    " AND (e.active_to IS NULL OR e.active_to >= %(day)s)))"
    " AND (%(position)s::text IS NULL OR e.position = %(position)s)"
)


def positions(conn: psycopg.Connection, unit_path: str | None = None) -> list[str]:
    """The distinct positions (chức vụ) held in a subtree (or everywhere), alphabetical."""
    rows = conn.execute(
        "SELECT DISTINCT e.position FROM employees e JOIN org_units u ON u.id = e.unit_id"
        " WHERE e.position IS NOT NULL AND (%(path)s::text IS NULL OR u.path LIKE %(path)s || '%%')"
        " ORDER BY 1",
        {"path": unit_path},
    ).fetchall()
    return [r[0] for r in rows]
