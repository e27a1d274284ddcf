"""SQL of a meeting's roster changed after it was called (hub.meetings.participants): staff and guests added and
removed by its organisers, and the staff an organiser may pick from. (Not `participants.py`: the package already
has a function of that name, which a submodule would shadow.)"""

from __future__ import annotations

import psycopg
from psycopg.rows import dict_row


def add(
    conn: psycopg.Connection, meeting_id: int, *, employee_id: int | None = None, guest_name: str | None = None,
    guest_org: str | None = None,
) -> int | None:  # fmt: skip
    """A member (staff: voting) or a guest (no vote); None when that employee already takes part."""
    row = conn.execute(
        "INSERT INTO meeting_participants (meeting_id, employee_id, guest_name, guest_org, part, voting)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (meeting_id, employee_id) DO NOTHING RETURNING id",
        (meeting_id, employee_id, guest_name, guest_org, "member" if employee_id else "guest", employee_id is not None),
    ).fetchone()
    return int(row[0]) if row else None


def has_voted(conn: psycopg.Connection, participant_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM meeting_vote_voters WHERE participant_id = %s LIMIT 1", (participant_id,))
    return row.fetchone() is not None


def remove(conn: psycopg.Connection, meeting_id: int, participant_id: int) -> bool:
    """Remove one not checked in (their notes, requests to speak and paper grants go with them)."""
    cur = conn.execute(
        "DELETE FROM meeting_participants WHERE id = %s AND meeting_id = %s AND present_at IS NULL"
        " AND part IN ('member', 'guest')",
        (participant_id, meeting_id),
    )
    return cur.rowcount == 1


def employee(conn: psycopg.Connection, code: str | None = None, username: str | None = None) -> dict | None:
    """An employee by code, or the employee of an account (by username): id, code, name, unit, account id."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT e.id, e.employee_code AS code, e.full_name AS name, u.name AS unit,"
            " (SELECT a.id FROM users a WHERE a.employee_id = e.id) AS user_id FROM employees e"
            " JOIN org_units u ON u.id = e.unit_id"
            " WHERE e.employee_code = %s OR e.id = (SELECT a.employee_id FROM users a WHERE a.username = %s)",
            (code, username),
        ).fetchone()


def staff_matching(conn: psycopg.Connection, meeting_id: int, terms: list[str], limit: int) -> list[dict]:
    """Employees still employed whose name or code holds every folded term, not yet in the meeting, by name."""
    patterns = ["%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for t in terms]
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT e.employee_code AS code, e.full_name AS name, u.name AS unit FROM employees e"
            " JOIN org_units u ON u.id = e.unit_id"
            " WHERE (e.active_to IS NULL OR e.active_to >= current_date)"
            " AND (e.search_text || ' ' || lower(e.employee_code)) LIKE ALL(%s)"
            " AND NOT EXISTS (SELECT 1 FROM meeting_participants p WHERE p.meeting_id = %s AND p.employee_id = e.id)"
            " ORDER BY e.full_name, e.employee_code LIMIT %s",
            (patterns, meeting_id, limit),
        ).fetchall()


def set_part(conn: psycopg.Connection, participant_id: int, part: str) -> None:
    """A staff participant's part in the meeting (chair, secretary, member); staff always vote."""
    conn.execute("UPDATE meeting_participants SET part = %s, voting = true WHERE id = %s", (part, participant_id))


def add_lead(conn: psycopg.Connection, meeting_id: int, employee_id: int, part: str) -> int:
    """A staff member not yet in the meeting, taking part as its chair or secretary."""
    row = conn.execute(
        "INSERT INTO meeting_participants (meeting_id, employee_id, part, voting) VALUES (%s, %s, %s, true)"
        " RETURNING id",
        (meeting_id, employee_id, part),
    ).fetchone()
    assert row is not None
    return int(row[0])
