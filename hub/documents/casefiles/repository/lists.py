"""SQL of the reference data (retentions, the hand-over rules, units) and the yearly file lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.documents.casefiles.models import (
    Entry,
    FileList,
    Heading,
    Retention,
    Rules,
    roman,
)

# --- reference data -------------------------------------------------------------------------------------


def retentions(conn: psycopg.Connection) -> list[Retention]:
    rows = conn.execute(
        "SELECT code, years, label_vi, label_en, basis FROM case_file_retentions ORDER BY position, code"
    ).fetchall()
    return [Retention(*r) for r in rows]


def rules(conn: psycopg.Connection) -> Rules:
    values = dict(conn.execute("SELECT key, value FROM case_file_rules").fetchall())
    return Rules(**{k: int(v) for k, v in values.items() if k in Rules.__dataclass_fields__})


def unit(conn: psycopg.Connection, unit_code: str) -> tuple[int, str, str, str] | None:
    """(id, code, name, path) of a unit in being."""
    row = conn.execute(
        "SELECT id, code, name, path FROM org_units WHERE code = %s AND valid_to IS NULL", (unit_code,)
    ).fetchone()
    return (int(row[0]), str(row[1]), str(row[2]), str(row[3])) if row else None


def unit_code(conn: psycopg.Connection, unit_id: int) -> str:
    row = conn.execute("SELECT code FROM org_units WHERE id = %s", (unit_id,)).fetchone()
    assert row is not None
    return str(row[0])


def user_id(conn: psycopg.Connection, username: str) -> int | None:
    row = conn.execute("SELECT id FROM users WHERE username = %s", (username,)).fetchone()
    return int(row[0]) if row else None


# --- file lists -------------------------------------------------------------------------------------------

_LIST_SELECT = (
    "SELECT l.id, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, l.year, l.created_at,"
    " l.created_by, l.approved_at, l.approved_by, l.decision FROM case_file_lists l"
    " JOIN org_units u ON u.id = l.unit_id"
)


def file_list(conn: psycopg.Connection, unit_id: int, year: int, *, lock: bool = False) -> FileList | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            f"{_LIST_SELECT} WHERE l.unit_id = %s AND l.year = %s{' FOR UPDATE OF l' if lock else ''}", (unit_id, year)
        ).fetchone()
    if row is None:
        return None
    return FileList(**row, headings=tuple(headings(conn, row["id"])), entries=tuple(entries(conn, row["id"])))


def insert_list(conn: psycopg.Connection, unit_id: int, year: int, by: str, at: datetime) -> None:
    conn.execute(
        "INSERT INTO case_file_lists (unit_id, year, created_at, created_by) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (unit_id, year) DO NOTHING",
        (unit_id, year, at, by),
    )


def approve_list(conn: psycopg.Connection, list_id: int, by: str, at: datetime, decision: str | None) -> None:
    conn.execute(
        "UPDATE case_file_lists SET approved_at = %s, approved_by = %s, decision = %s WHERE id = %s",
        (at, by, decision, list_id),
    )


def headings(conn: psycopg.Connection, list_id: int) -> list[Heading]:
    rows = conn.execute(
        "SELECT id, parent_id, code, title, position FROM case_file_headings WHERE list_id = %s"
        " ORDER BY (parent_id IS NOT NULL), position, id",
        (list_id,),
    ).fetchall()
    majors = [r for r in rows if r[1] is None]
    ordinals = {r[0]: roman(i) for i, r in enumerate(majors, 1)}
    out = [Heading(r[0], None, r[2], r[3], r[4], ordinals[r[0]]) for r in majors]
    for major in majors:
        subs = [r for r in rows if r[1] == major[0]]
        out.extend(Heading(r[0], r[1], None, r[3], r[4], str(i)) for i, r in enumerate(subs, 1))
    return out


def add_heading(conn: psycopg.Connection, list_id: int, parent_id: int | None, code: str | None, title: str) -> int:
    row = conn.execute(
        "INSERT INTO case_file_headings (list_id, parent_id, code, title, position)"
        " SELECT %s, %s, %s, %s, coalesce(max(position), 0) + 1 FROM case_file_headings"
        " WHERE list_id = %s AND parent_id IS NOT DISTINCT FROM %s RETURNING id",
        (list_id, parent_id, code, title, list_id, parent_id),
    ).fetchone()
    assert row is not None
    return int(row[0])


def entries(conn: psycopg.Connection, list_id: int) -> list[Entry]:
    rows = conn.execute(
        "SELECT e.id, e.heading_id, e.number, e.code, e.title, e.retention, r.label_vi, e.responsible, e.note,"
        " f.id FROM case_file_entries e JOIN case_file_retentions r ON r.code = e.retention"
        " LEFT JOIN case_files f ON f.entry_id = e.id WHERE e.list_id = %s ORDER BY e.id",
        (list_id,),
    ).fetchall()
    return [Entry(*r) for r in rows]


def entry(conn: psycopg.Connection, entry_id: int) -> tuple[int, Entry] | None:
    """(list id, entry)."""
    row = conn.execute(
        "SELECT e.list_id, e.id, e.heading_id, e.number, e.code, e.title, e.retention, r.label_vi, e.responsible,"
        " e.note, f.id FROM case_file_entries e JOIN case_file_retentions r ON r.code = e.retention"
        " LEFT JOIN case_files f ON f.entry_id = e.id WHERE e.id = %s",
        (entry_id,),
    ).fetchone()
    return (int(row[0]), Entry(*row[1:])) if row else None


def list_by_id(conn: psycopg.Connection, list_id: int) -> tuple[int, int] | None:
    """(unit id, year)."""
    row = conn.execute("SELECT unit_id, year FROM case_file_lists WHERE id = %s", (list_id,)).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def next_entry_number(conn: psycopg.Connection, list_id: int, heading_id: int) -> int:
    """The next ordinal within the major heading (numbering runs within each major heading, from 01)."""
    row = conn.execute(
        "SELECT coalesce(max(e.number), 0) + 1 FROM case_file_entries e"
        " JOIN case_file_headings h ON h.id = e.heading_id"
        " WHERE e.list_id = %s AND coalesce(h.parent_id, h.id) = %s",
        (list_id, heading_id),
    ).fetchone()
    assert row is not None
    return int(row[0])


def add_entry(conn: psycopg.Connection, list_id: int, values: dict[str, Any]) -> int | None:
    row = conn.execute(
        "INSERT INTO case_file_entries (list_id, heading_id, number, code, title, retention, responsible, note)"
        " VALUES (%(list_id)s, %(heading_id)s, %(number)s, %(code)s, %(title)s, %(retention)s, %(responsible)s,"
        " %(note)s) ON CONFLICT (list_id, code) DO NOTHING RETURNING id",
        values | {"list_id": list_id},
    ).fetchone()
    return int(row[0]) if row else None


def remove_entry(conn: psycopg.Connection, entry_id: int) -> None:
    conn.execute("DELETE FROM case_file_entries WHERE id = %s", (entry_id,))
