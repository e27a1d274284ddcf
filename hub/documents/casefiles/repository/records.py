"""SQL of the archive's papers (issue 15 item 7): the heading of a unit's papers (the governing unit, its place and
notation), people's names, and the files past their retention with their proposals for destruction."""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from hub.documents.casefiles.models import CaseFile, Proposal
from hub.documents.casefiles.repository.files import _FILE_SELECT


def heading(conn: psycopg.Connection, unit_code: str) -> tuple[str | None, str, str | None, str]:
    """(the governing unit's name or None at the top, the unit's name, its place for the date line or None, its
    notation in symbols — its code when it has none); a unit since dissolved keeps its last heading."""
    row = conn.execute(
        "SELECT p.name, u.name, i.place, coalesce(i.notation, u.code) FROM org_units u"
        " LEFT JOIN org_units p ON p.id = u.parent_id LEFT JOIN document_issuers i ON i.unit_id = u.id"
        " WHERE u.code = %s ORDER BY u.valid_to DESC NULLS FIRST LIMIT 1",
        (unit_code,),
    ).fetchone()
    assert row is not None
    return row[0], str(row[1]), row[2], str(row[3])


def display_names(conn: psycopg.Connection, usernames: list[str]) -> dict[str, str]:
    rows = conn.execute("SELECT username, display_name FROM users WHERE username = ANY(%s)", (usernames,)).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


# --- past retention (hồ sơ hết thời hạn bảo quản, migration 0542) ----------------------------------------------


def expired_files(conn: psycopg.Connection, unit_path: str, this_year: int, limit: int) -> list[CaseFile]:
    """Closed files of the unit and the units under it, not permanent, whose retention — whole years counted from
    the year after their end year — ended before `this_year`; by unit, then the year it ended, then the code."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"{_FILE_SELECT} WHERE u.path LIKE %(path)s AND f.closed_on IS NOT NULL AND r.years IS NOT NULL"
            " AND extract(year FROM f.closed_on)::int + r.years < %(year)s"
            " ORDER BY u.path, extract(year FROM f.closed_on)::int + r.years, f.code, f.id LIMIT %(limit)s",
            {"path": unit_path + "%", "year": this_year, "limit": limit},
        ).fetchall()
    return [CaseFile(**r) for r in rows]


def proposals(conn: psycopg.Connection, file_ids: list[int]) -> dict[int, Proposal]:
    rows = conn.execute(
        "SELECT case_file_id, reason, proposed_at, proposed_by FROM case_file_destruction_proposals"
        " WHERE case_file_id = ANY(%s)",
        (file_ids,),
    ).fetchall()
    return {int(r[0]): Proposal(*r[1:]) for r in rows}


def insert_proposal(conn: psycopg.Connection, file_id: int, reason: str, at: datetime, by: str) -> bool:
    """Mark the file proposed for destruction; False if it was already."""
    inserted = conn.execute(
        "INSERT INTO case_file_destruction_proposals (case_file_id, reason, proposed_at, proposed_by)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (file_id, reason, at, by),
    ).rowcount
    return inserted == 1


def delete_proposal(conn: psycopg.Connection, file_id: int) -> Proposal | None:
    row = conn.execute(
        "DELETE FROM case_file_destruction_proposals WHERE case_file_id = %s"
        " RETURNING reason, proposed_at, proposed_by",
        (file_id,),
    ).fetchone()
    return Proposal(*row) if row else None
