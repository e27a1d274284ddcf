"""SQL of the printouts: what a register row prints besides the document (handlers, internal recipients,
hidden secret numbers), and the handling state of a unit's incoming documents."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

_DEADLINE = (
    "coalesce((SELECT x.new_deadline FROM document_extensions x WHERE x.handler_id = h.id"
    " AND x.decision = 'approved' ORDER BY x.decided_at DESC, x.id DESC LIMIT 1), h.deadline)"
)


def handlers_of(conn: psycopg.Connection, document_ids: list[int]) -> dict[int, tuple[str, Any]]:
    """document id → (its handlers, lead first, joined by '; '; the day it was assigned)."""
    rows = conn.execute(
        "SELECT a.document_id, string_agg(coalesce(u.name, us.display_name, us.username), '; '"
        " ORDER BY NOT h.lead, h.id), min(a.assigned_at)"
        " FROM document_assignments a JOIN document_handlers h ON h.assignment_id = a.id"
        " LEFT JOIN org_units u ON u.id = h.unit_id LEFT JOIN users us ON us.id = h.user_id"
        " WHERE a.document_id = ANY(%s) GROUP BY a.document_id",
        (document_ids,),
    ).fetchall()
    return {int(r[0]): (r[1], r[2]) for r in rows}


def recipients_of(conn: psycopg.Connection, document_ids: list[int]) -> dict[int, str]:
    """outgoing document id → the CCES units it arrived at (their incoming copies), joined by '; '."""
    rows = conn.execute(
        "SELECT d.source_id, string_agg(u.name, '; ' ORDER BY u.code) FROM documents d"
        " JOIN document_registers r ON r.id = d.register_id JOIN org_units u ON u.id = r.unit_id"
        " WHERE d.source_id = ANY(%s) GROUP BY d.source_id",
        (document_ids,),
    ).fetchall()
    return {int(r[0]): r[1] for r in rows}


def hidden_secret_entries(
    conn: psycopg.Connection, unit_id: int, year: int, series_code: str, visible: list[int]
) -> list[tuple[int, int, Any]]:
    """(number, secrecy, registered_at) of the register's secret entries the caller may not see."""
    rows = conn.execute(
        "SELECT d.number, d.secrecy, d.registered_at FROM documents d JOIN document_registers r ON r.id = d.register_id"
        " WHERE r.unit_id = %s AND r.year = %s AND r.series_code = %s AND d.secrecy > 0 AND NOT d.id = ANY(%s)",
        (unit_id, year, series_code, visible),
    ).fetchall()
    return [(int(r[0]), int(r[1]), r[2]) for r in rows]


def incoming_handling(conn: psycopg.Connection, unit_id: int, year: int) -> list[dict[str, Any]]:
    """Every incoming document of the unit's year with its lead handler's deadline in force and finish."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT d.id, d.number, d.code_number, d.code_notation, d.organ_name, d.subject, d.secrecy, d.urgency,"
            " d.arrival_date, coalesce(hu.name, us.display_name, us.username) AS lead,"
            f" {_DEADLINE} AS deadline, h.finished_at"
            " FROM documents d JOIN document_registers r ON r.id = d.register_id"
            " LEFT JOIN document_assignments a ON a.document_id = d.id"
            " LEFT JOIN document_handlers h ON h.assignment_id = a.id AND h.lead"
            " LEFT JOIN org_units hu ON hu.id = h.unit_id LEFT JOIN users us ON us.id = h.user_id"
            " WHERE r.unit_id = %s AND r.year = %s AND d.direction = 'incoming' ORDER BY d.number",
            (unit_id, year),
        ).fetchall()


def unit_name(conn: psycopg.Connection, unit_id: int) -> str | None:
    row = conn.execute("SELECT name FROM org_units WHERE id = %s", (unit_id,)).fetchone()
    return str(row[0]) if row else None


def outgoing_handling(conn: psycopg.Connection, unit_id: int, year: int, until: Any) -> list[dict[str, Any]]:
    """The unit's drafts still in the chain (created before `until`, with the hạn trả lời they ask for), then its
    outgoing documents of the year, each with its drafting unit and its internal copies (those whose lead handler
    finished)."""
    with conn.cursor(row_factory=dict_row) as cur:
        drafts = cur.execute(
            "SELECT dr.id AS draft_id, NULL::bigint AS document_id, NULL AS code_number, NULL AS code_notation,"
            " dr.subject, dr.secrecy, coalesce(du.name, '') AS drafting_unit, dr.state, dr.created_at AS started,"
            " NULL::timestamptz AS released_at, dr.reply_due AS due_date, 0 AS copies, 0 AS copies_done"
            " FROM document_drafts dr JOIN org_units du ON du.id = dr.drafting_unit_id"
            " WHERE dr.unit_id = %s AND dr.state <> 'released' AND dr.created_at < %s ORDER BY dr.created_at, dr.id",
            (unit_id, until),
        ).fetchall()
        released = cur.execute(
            "SELECT dr.id AS draft_id, d.id AS document_id, d.code_number, d.code_notation, d.subject, d.secrecy,"
            " coalesce(du.name, d.drafter, '') AS drafting_unit, 'released' AS state,"
            " coalesce(dr.created_at, d.registered_at) AS started, d.registered_at AS released_at, d.due_date,"
            " (SELECT count(*) FROM documents c WHERE c.source_id = d.id) AS copies,"
            " (SELECT count(*) FROM documents c JOIN document_assignments a ON a.document_id = c.id"
            "  JOIN document_handlers h ON h.assignment_id = a.id AND h.lead"
            "  WHERE c.source_id = d.id AND h.finished_at IS NOT NULL) AS copies_done"
            " FROM documents d JOIN document_registers r ON r.id = d.register_id"
            " LEFT JOIN document_drafts dr ON dr.document_id = d.id"
            " LEFT JOIN org_units du ON du.id = dr.drafting_unit_id"
            " WHERE r.unit_id = %s AND r.year = %s AND d.direction = 'outgoing' ORDER BY d.registered_at, d.id",
            (unit_id, year),
        ).fetchall()
    return drafts + released
