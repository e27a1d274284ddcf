"""SQL of a meeting's minutes (biên bản) and its conclusion notice link (hub.meetings.minutes holds the rules)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from hub.meetings.models import MinutesVersion


def minutes_row(conn: psycopg.Connection, meeting_id: int, *, lock: bool = False) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT meeting_id, status, version, submitted_by, submitted_at, signed_by, signed_at, returned_by,"
            " returned_at, return_comment FROM meeting_minutes WHERE meeting_id = %s" + (" FOR UPDATE" if lock else ""),
            (meeting_id,),
        ).fetchone()


def ensure_minutes(conn: psycopg.Connection, meeting_id: int) -> None:
    conn.execute("INSERT INTO meeting_minutes (meeting_id) VALUES (%s) ON CONFLICT DO NOTHING", (meeting_id,))


def sections(conn: psycopg.Connection, meeting_id: int, version: int) -> dict[str, str]:
    row = conn.execute(
        "SELECT sections FROM meeting_minutes_versions WHERE meeting_id = %s AND version = %s", (meeting_id, version)
    ).fetchone()
    return dict(row[0]) if row else {}


def versions(conn: psycopg.Connection, meeting_id: int) -> list[MinutesVersion]:
    rows = conn.execute(
        "SELECT version, saved_by, saved_at, (SELECT coalesce(sum(length(value)), 0) FROM jsonb_each_text(sections))"
        " FROM meeting_minutes_versions WHERE meeting_id = %s ORDER BY version",
        (meeting_id,),
    ).fetchall()
    return [MinutesVersion(int(v), str(by), at, int(n)) for v, by, at, n in rows]


def add_version(
    conn: psycopg.Connection, meeting_id: int, version: int, texts: dict[str, str], by: str, at: datetime
) -> None:
    conn.execute(
        "INSERT INTO meeting_minutes_versions (meeting_id, version, sections, saved_by, saved_at)"
        " VALUES (%s, %s, %s, %s, %s)",
        (meeting_id, version, Jsonb(texts), by, at),
    )
    conn.execute("UPDATE meeting_minutes SET version = %s WHERE meeting_id = %s", (version, meeting_id))


def set_state(conn: psycopg.Connection, meeting_id: int, status: str, **fields: Any) -> None:
    """The minutes' status and the named columns (submitted_*, signed_*, returned_*, return_comment)."""
    allowed = {"submitted_by", "submitted_at", "signed_by", "signed_at", "returned_by", "returned_at",
               "return_comment"}  # fmt: skip
    assert set(fields) <= allowed
    assignments = "".join(f", {name} = %({name})s" for name in fields)
    conn.execute(
        f"UPDATE meeting_minutes SET status = %(status)s{assignments} WHERE meeting_id = %(meeting_id)s",  # noqa: S608
        {"status": status, "meeting_id": meeting_id, **fields},
    )


def unit_names(conn: psycopg.Connection, unit_path: str) -> list[str]:
    """The names of the units on a path, from the top down to the unit (the heading's agency lines)."""
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    rows = conn.execute("SELECT id, name FROM org_units WHERE id = ANY(%s)", (ids,)).fetchall()
    names = {int(i): str(n) for i, n in rows}
    return [names[i] for i in ids if i in names]


# --- the conclusion notice ------------------------------------------------------------------------------------


def notice_link(conn: psycopg.Connection, meeting_id: int) -> tuple[int, str, datetime] | None:
    """(draft id, created by, created at) of the meeting's conclusion notice."""
    row = conn.execute(
        "SELECT draft_id, created_by, created_at FROM meeting_conclusion_notices WHERE meeting_id = %s", (meeting_id,)
    ).fetchone()
    return (int(row[0]), str(row[1]), row[2]) if row else None


def try_lock_notice(conn: psycopg.Connection, meeting_id: int) -> bool:
    """Take the session advisory lock "drafting this meeting's conclusion notice" (first key the int4 hash of that
    name, second the meeting) on `conn`, without waiting; False when another session holds it. Held until
    `unlock_notice` (or the session's end), across transactions: the notice is drafted through the documents module
    in transactions of its own, on other connections. Not waiting for it: a caller waiting would hold a pool
    connection while the holder needs others to finish."""
    row = conn.execute(
        "SELECT pg_try_advisory_lock(hashtext('meeting_conclusion_notice'), %s::int)", (meeting_id % 2**31,)
    ).fetchone()
    return bool(row and row[0])


def unlock_notice(conn: psycopg.Connection, meeting_id: int) -> None:
    conn.execute("SELECT pg_advisory_unlock(hashtext('meeting_conclusion_notice'), %s::int)", (meeting_id % 2**31,))


def link_notice(conn: psycopg.Connection, meeting_id: int, draft_id: int, by: str, at: datetime) -> bool:
    """Keep the draft as the meeting's notice; False when the meeting has one already."""
    cur = conn.execute(
        "INSERT INTO meeting_conclusion_notices (meeting_id, draft_id, created_by, created_at)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (meeting_id) DO NOTHING",
        (meeting_id, draft_id, by, at),
    )
    return cur.rowcount == 1


def sealed_unit(conn: psycopg.Connection, unit_path: str) -> str | None:
    """The code of the nearest unit at or above this one that keeps its own seal (the notice's issuer)."""
    row = conn.execute(
        "SELECT code FROM org_units WHERE has_seal AND valid_to IS NULL AND %s LIKE path || '%%'"
        " ORDER BY length(path) DESC LIMIT 1",
        (unit_path,),
    ).fetchone()
    return str(row[0]) if row else None


def unit_code_of(conn: psycopg.Connection, unit_path: str | None) -> str | None:
    if not unit_path:
        return None
    row = conn.execute("SELECT code FROM org_units WHERE path = %s AND valid_to IS NULL", (unit_path,)).fetchone()
    return str(row[0]) if row else None


def participant_units(conn: psycopg.Connection, meeting_id: int) -> list[tuple[str, str]]:
    """(code, name) of the sealed unit each staff participant belongs to (their unit, or the nearest above it with
    a seal), each once, in the participants' order."""
    rows = conn.execute(
        "SELECT DISTINCT ON (p.id) p.id, s.code, s.name FROM meeting_participants p"
        " JOIN employees e ON e.id = p.employee_id JOIN org_units u ON u.id = e.unit_id"
        " JOIN org_units s ON s.has_seal AND s.valid_to IS NULL AND u.path LIKE s.path || '%%'"
        " WHERE p.meeting_id = %s ORDER BY p.id, length(s.path) DESC",
        (meeting_id,),
    ).fetchall()
    return list(dict.fromkeys((str(code), str(name)) for _, code, name in rows))


def guest_organisations(conn: psycopg.Connection, meeting_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT guest_org FROM meeting_participants WHERE meeting_id = %s AND guest_org IS NOT NULL"
        " AND btrim(guest_org) <> '' ORDER BY guest_org",
        (meeting_id,),
    ).fetchall()
    return [str(r[0]) for r in rows]


def signer_of(conn: psycopg.Connection, meeting_id: int) -> tuple[str | None, str, str | None]:
    """(username, full name, position) of the meeting's chair (username None: the chair has no account)."""
    row = conn.execute(
        "SELECT us.username, e.full_name, e.position FROM meeting_participants p"
        " JOIN employees e ON e.id = p.employee_id LEFT JOIN users us ON us.employee_id = e.id"
        " WHERE p.meeting_id = %s AND p.part = 'chair'",
        (meeting_id,),
    ).fetchone()
    if row is None:
        return None, "", None
    return row[0], str(row[1]), row[2]
