"""SQL of the hand-overs to the agency archive (nộp lưu)."""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from hub.documents.casefiles.models import (
    Handover,
)
from hub.documents.casefiles.repository.files import case_files

# --- hand-overs -------------------------------------------------------------------------------------------

_HANDOVER_SELECT = (
    "SELECT h.id, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, h.submitted_at, h.submitted_by,"
    " h.submitted_by_id, h.note, h.accepted_at, h.accepted_by FROM case_file_handovers h"
    " JOIN org_units u ON u.id = h.unit_id"
)


def handover(conn: psycopg.Connection, handover_id: int, *, lock: bool = False) -> Handover | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            f"{_HANDOVER_SELECT} WHERE h.id = %s{' FOR UPDATE OF h' if lock else ''}", (handover_id,)
        ).fetchone()
    if row is None:
        return None
    return Handover(**row, files=tuple(case_files(conn, handover_id=handover_id, limit=100_000)))


def handovers(conn: psycopg.Connection, unit_id: int, limit: int = 200) -> list[Handover]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"{_HANDOVER_SELECT} WHERE h.unit_id = %s ORDER BY h.submitted_at DESC, h.id DESC LIMIT %s",
            (unit_id, limit),
        ).fetchall()
    return [Handover(**r) for r in rows]


def insert_handover(
    conn: psycopg.Connection, unit_id: int, by: str, by_id: int | None, at: datetime, note: str | None
) -> int:
    row = conn.execute(
        "INSERT INTO case_file_handovers (unit_id, submitted_at, submitted_by, submitted_by_id, note)"
        " VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (unit_id, at, by, by_id, note),
    ).fetchone()
    assert row is not None
    return int(row[0])


def submit_files(conn: psycopg.Connection, handover_id: int, file_ids: list[int]) -> int:
    return conn.execute(
        "UPDATE case_files SET handover_id = %s WHERE id = ANY(%s) AND handover_id IS NULL AND closed_on IS NOT NULL",
        (handover_id, file_ids),
    ).rowcount


def accept_handover(conn: psycopg.Connection, handover_id: int, by: str, at: datetime) -> list[int]:
    """Mark the hand-over accepted, archive its files and freeze their documents; the frozen documents' ids."""
    conn.execute(
        "UPDATE case_file_handovers SET accepted_at = %s, accepted_by = %s WHERE id = %s", (at, by, handover_id)
    )
    conn.execute("UPDATE case_files SET archived_at = %s WHERE handover_id = %s", (at, handover_id))
    rows = conn.execute(
        "UPDATE documents SET frozen_at = %s, frozen_kind = 'archived' WHERE frozen_at IS NULL AND id IN"
        " (SELECT i.document_id FROM case_file_items i JOIN case_files f ON f.id = i.case_file_id"
        "  WHERE f.handover_id = %s AND i.document_id IS NOT NULL) RETURNING id",
        (at, handover_id),
    ).fetchall()
    return [int(r[0]) for r in rows]
