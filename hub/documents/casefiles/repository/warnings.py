"""SQL of the hand-over warnings (migration 0541): the closed files to look at, who to tell, what was sent."""

from __future__ import annotations

from datetime import date, datetime

import psycopg
from psycopg.rows import dict_row

from hub.documents.casefiles.models import CaseFile
from hub.documents.casefiles.repository.files import _FILE_SELECT


def closed_files(conn: psycopg.Connection, after_id: int, limit: int) -> list[CaseFile]:
    """Closed files not handed over (no items), by id from `after_id` on: the job pages through them."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"{_FILE_SELECT} WHERE f.closed_on IS NOT NULL AND f.handover_id IS NULL AND f.id > %s"
            " ORDER BY f.id LIMIT %s",
            (after_id, limit),
        ).fetchall()
    return [CaseFile(**r) for r in rows]


def role_holders(conn: psycopg.Connection, unit_path: str, role: str) -> list[int]:
    """Active accounts holding `role` on exactly this unit (its văn thư; its lãnh đạo)."""
    rows = conn.execute(
        "SELECT DISTINCT g.user_id FROM role_grants g JOIN org_units u ON u.id = g.unit_id"
        " JOIN users us ON us.id = g.user_id WHERE g.role = %s AND u.path = %s AND us.disabled_at IS NULL"
        " ORDER BY g.user_id",
        (role, unit_path),
    ).fetchall()
    return [int(r[0]) for r in rows]


def active_user(conn: psycopg.Connection, user_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM users WHERE id = %s AND disabled_at IS NULL", (user_id,)).fetchone()
    return row is not None


def record_warning(
    conn: psycopg.Connection, file_id: int, kind: str, due_on: date, at: datetime, recipients: int
) -> bool:
    """Record the warning; False if it was sent already (another run, another worker): send nothing then."""
    row = conn.execute(
        "INSERT INTO case_file_warnings (case_file_id, kind, due_on, sent_at, recipients) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT DO NOTHING RETURNING case_file_id",
        (file_id, kind, due_on, at, recipients),
    ).fetchone()
    return row is not None


def warnings(conn: psycopg.Connection, file_id: int) -> list[tuple[str, date, datetime]]:
    """The warnings sent for a file: (kind, due day, when)."""
    rows = conn.execute(
        "SELECT kind, due_on, sent_at FROM case_file_warnings WHERE case_file_id = %s ORDER BY sent_at, kind",
        (file_id,),
    ).fetchall()
    return [(str(r[0]), r[1], r[2]) for r in rows]
