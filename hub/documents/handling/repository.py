"""SQL of the leader's instruction and its follow-up (migration 0504). Transactions are the service's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.documents.handling.models import Assignment, Extension, Handler, MyItem, Progress

#: the deadline in force: the last approved extension's, else the instructed one
_DEADLINE = (
    "coalesce((SELECT x.new_deadline FROM document_extensions x WHERE x.handler_id = h.id"
    " AND x.decision = 'approved' ORDER BY x.decided_at DESC, x.id DESC LIMIT 1), h.deadline)"
)
_HANDLER_SELECT = (
    "SELECT h.id, h.assignment_id, a.document_id, h.lead, u.code AS unit_code, u.name AS unit_name,"
    " u.path AS unit_path, h.user_id, us.username, us.display_name, h.deadline AS instructed_deadline,"
    f" {_DEADLINE} AS deadline, h.finished_at, h.finished_by, h.result_note, h.reply_document_id"
    " FROM document_handlers h JOIN document_assignments a ON a.id = h.assignment_id"
    " LEFT JOIN org_units u ON u.id = h.unit_id LEFT JOIN users us ON us.id = h.user_id"
)


def unit_of_code(conn: psycopg.Connection, code: str) -> tuple[int, str, str] | None:
    """(id, name, path) of a unit in being."""
    row = conn.execute("SELECT id, name, path FROM org_units WHERE code = %s AND valid_to IS NULL", (code,)).fetchone()
    return (int(row[0]), row[1], row[2]) if row else None


def active_user(conn: psycopg.Connection, username: str) -> int | None:
    row = conn.execute("SELECT id FROM users WHERE username = %s AND disabled_at IS NULL", (username,)).fetchone()
    return int(row[0]) if row else None


def insert_assignment(
    conn: psycopg.Connection, document_id: int, by: str, by_user_id: int | None, at: datetime, comment: str | None
) -> int | None:
    """The assignment's id; None when the document already has one (ON CONFLICT: two leaders at once)."""
    row = conn.execute(
        "INSERT INTO document_assignments (document_id, assigned_by, assigned_by_user_id, assigned_at, comment)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (document_id) DO NOTHING RETURNING id",
        (document_id, by, by_user_id or None, at, comment),
    ).fetchone()
    return int(row[0]) if row else None


def insert_handler(
    conn: psycopg.Connection, assignment_id: int, lead: bool, unit_id: int | None, user_id: int | None, deadline: date
) -> int:
    row = conn.execute(
        "INSERT INTO document_handlers (assignment_id, lead, unit_id, user_id, deadline)"
        " VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (assignment_id, lead, unit_id, user_id, deadline),
    ).fetchone()
    assert row is not None
    return int(row[0])


def _handlers(conn: psycopg.Connection, where: str, params: Sequence[Any], *, details: bool) -> list[Handler]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(f"{_HANDLER_SELECT} WHERE {where} ORDER BY NOT h.lead, h.id", params).fetchall()
    if not rows or not details:
        return [Handler(**r) for r in rows]
    ids = [r["id"] for r in rows]
    progress: dict[int, list[Progress]] = {}
    for handler_id, at, by, note in conn.execute(
        "SELECT handler_id, at, by_user, note FROM document_progress WHERE handler_id = ANY(%s) ORDER BY at, id",
        (ids,),
    ).fetchall():
        progress.setdefault(handler_id, []).append(Progress(at, by, note))
    extensions: dict[int, list[Extension]] = {}
    for row in conn.execute(
        "SELECT id, handler_id, requested_at, requested_by, new_deadline, reason, decision, decided_at, decided_by,"
        " decision_note FROM document_extensions WHERE handler_id = ANY(%s) ORDER BY id",
        (ids,),
    ).fetchall():
        extensions.setdefault(row[1], []).append(Extension(*row))
    return [
        Handler(**r, progress=tuple(progress.get(r["id"], ())), extensions=tuple(extensions.get(r["id"], ())))
        for r in rows
    ]


def assignment_of(conn: psycopg.Connection, document_id: int) -> Assignment | None:
    row = conn.execute(
        "SELECT id, document_id, assigned_by, assigned_at, comment FROM document_assignments WHERE document_id = %s",
        (document_id,),
    ).fetchone()
    if row is None:
        return None
    return Assignment(*row, handlers=tuple(_handlers(conn, "h.assignment_id = %s", (row[0],), details=True)))


def assigner_id(conn: psycopg.Connection, document_id: int) -> int | None:
    """The account of the leader who assigned the document (None: a tool, or not assigned)."""
    row = conn.execute(
        "SELECT assigned_by_user_id FROM document_assignments WHERE document_id = %s", (document_id,)
    ).fetchone()
    return int(row[0]) if row and row[0] else None


def handler(conn: psycopg.Connection, handler_id: int, *, lock: bool = False) -> Handler | None:
    if lock:
        conn.execute("SELECT 1 FROM document_handlers WHERE id = %s FOR UPDATE", (handler_id,))
    found = _handlers(conn, "h.id = %s", (handler_id,), details=True)
    return found[0] if found else None


def add_progress(conn: psycopg.Connection, handler_id: int, at: datetime, by: str, note: str) -> None:
    conn.execute(
        "INSERT INTO document_progress (handler_id, at, by_user, note) VALUES (%s, %s, %s, %s)",
        (handler_id, at, by, note),
    )


def add_extension(
    conn: psycopg.Connection, handler_id: int, at: datetime, by: str, new_deadline: date, reason: str
) -> int | None:
    """The request's id; None when one already waits for this handler."""
    row = conn.execute(
        "INSERT INTO document_extensions (handler_id, requested_at, requested_by, new_deadline, reason)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (handler_id) WHERE decision IS NULL DO NOTHING RETURNING id",
        (handler_id, at, by, new_deadline, reason),
    ).fetchone()
    return int(row[0]) if row else None


def extension(conn: psycopg.Connection, extension_id: int, *, lock: bool = False) -> Extension | None:
    row = conn.execute(
        "SELECT id, handler_id, requested_at, requested_by, new_deadline, reason, decision, decided_at, decided_by,"
        f" decision_note FROM document_extensions WHERE id = %s{' FOR UPDATE' if lock else ''}",
        (extension_id,),
    ).fetchone()
    return Extension(*row) if row else None


def decide_extension(
    conn: psycopg.Connection, extension_id: int, decision: str, at: datetime, by: str, note: str | None
) -> None:
    conn.execute(
        "UPDATE document_extensions SET decision = %s, decided_at = %s, decided_by = %s, decision_note = %s"
        " WHERE id = %s",
        (decision, at, by, note, extension_id),
    )


def finish(
    conn: psycopg.Connection, handler_id: int, at: datetime, by: str, note: str | None, reply_id: int | None
) -> None:
    conn.execute(
        "UPDATE document_handlers SET finished_at = %s, finished_by = %s, result_note = %s, reply_document_id = %s"
        " WHERE id = %s",
        (at, by, note, reply_id, handler_id),
    )


def is_handler(conn: psycopg.Connection, document_id: int, user_id: int, unit_paths: Sequence[str]) -> bool:
    """Whether the account, or a unit it belongs to (paths of its unit and those it holds grants on), handles
    the document."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM document_handlers h JOIN document_assignments a ON a.id = h.assignment_id"
        " LEFT JOIN org_units u ON u.id = h.unit_id WHERE a.document_id = %s"
        " AND (h.user_id = %s OR EXISTS (SELECT 1 FROM unnest(%s::text[]) p WHERE p LIKE u.path || '%%')))",
        (document_id, user_id or None, list(unit_paths)),
    ).fetchone()
    return bool(row and row[0])


def my_items(
    conn: psycopg.Connection, user_id: int, unit_paths: Sequence[str], *, open_only: bool, limit: int
) -> list[MyItem]:
    """The parts the account handles (itself, or a unit it belongs to), nearest deadline first."""
    where = "(h.user_id = %s OR EXISTS (SELECT 1 FROM unnest(%s::text[]) p WHERE p LIKE u.path || '%%'))" + (
        " AND h.finished_at IS NULL" if open_only else ""
    )
    handlers = _handlers(conn, where, (user_id or None, list(unit_paths)), details=False)
    handlers.sort(key=lambda h: (h.finished_at is not None, h.deadline, h.id))
    handlers = handlers[:limit]
    if not handlers:
        return []
    rows = conn.execute(
        "SELECT d.id, ru.code, d.number, d.code_number, d.code_notation, d.organ_name, d.subject, d.urgency,"
        " d.secrecy, d.arrival_date, a.comment FROM documents d JOIN document_registers r ON r.id = d.register_id"
        " JOIN org_units ru ON ru.id = r.unit_id JOIN document_assignments a ON a.document_id = d.id"
        " WHERE d.id = ANY(%s)",
        ([h.document_id for h in handlers],),
    ).fetchall()
    docs = {r[0]: r for r in rows}
    return [MyItem(h, *docs[h.document_id]) for h in handlers]


def due_handlers(conn: psycopg.Connection, remind_until: date, today: date) -> list[tuple[Handler, str, int | None]]:
    """Open handlers whose deadline in force is at most `remind_until` and not yet reminded or escalated for
    that deadline, locked (SKIP LOCKED): (handler, what to send — 'remind' or 'escalate', the assigner's id).
    An extension only moves a deadline later, so the instructed deadline filters first (its index)."""
    rows = conn.execute(
        f"SELECT h.id, {_DEADLINE} AS deadline, h.reminded_for, h.escalated_for, a.assigned_by_user_id"
        " FROM document_handlers h JOIN document_assignments a ON a.id = h.assignment_id"
        f" WHERE h.finished_at IS NULL AND h.deadline <= %s AND {_DEADLINE} <= %s"
        " FOR UPDATE OF h SKIP LOCKED",
        (remind_until, remind_until),
    ).fetchall()
    found = []
    for handler_id, deadline, reminded, escalated, assigner in rows:
        kind = "escalate" if deadline < today else "remind"
        if (kind == "remind" and reminded == deadline) or (kind == "escalate" and escalated == deadline):
            continue
        got = handler(conn, handler_id)
        assert got is not None
        found.append((got, kind, assigner))
    return found


def mark_sent(conn: psycopg.Connection, handler_id: int, kind: str, deadline: date) -> None:
    column = "reminded_for" if kind == "remind" else "escalated_for"
    conn.execute(f"UPDATE document_handlers SET {column} = %s WHERE id = %s", (deadline, handler_id))


def unit_leaders(conn: psycopg.Connection, unit_id_path: str) -> list[int]:
    """Active accounts holding the manager role on exactly this unit (by path): a unit handler's leaders."""
    rows = conn.execute(
        "SELECT DISTINCT g.user_id FROM role_grants g JOIN org_units u ON u.id = g.unit_id"
        " JOIN users us ON us.id = g.user_id WHERE g.role = 'manager' AND u.path = %s AND us.disabled_at IS NULL",
        (unit_id_path,),
    ).fetchall()
    return [int(r[0]) for r in rows]


def document_brief(conn: psycopg.Connection, document_id: int) -> dict[str, Any] | None:
    """What the instruction needs of a document: direction, unit, số đến, symbol, subject, secrecy."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT d.id, d.direction, d.number, d.code_number, d.code_notation, d.subject, d.secrecy,"
            " u.code AS unit_code, u.path AS unit_path, d.frozen_kind FROM documents d"
            " JOIN document_registers r ON r.id = d.register_id JOIN org_units u ON u.id = r.unit_id"
            " WHERE d.id = %s",
            (document_id,),
        ).fetchone()


# --- read by the leadership screen (hub.leadership): set-based over unit subtrees ----------------------------------

#: the unit a handler part counts for: the unit handler, or the person handler's unit (their employee record); two
#: branches so that each reaches the open parts of a few units through its partial index (migration 0710)
_OPEN_PARTS = (
    "SELECT h.id, h.deadline, h.assignment_id, h.user_id, h.lead, u.id AS unit_id, u.code, u.name, u.path"
    " FROM org_units u JOIN document_handlers h ON h.unit_id = u.id AND h.finished_at IS NULL"
    " WHERE (%(all)s OR u.path LIKE ANY(%(under)s))"
    " UNION ALL SELECT h.id, h.deadline, h.assignment_id, h.user_id, h.lead, u.id, u.code, u.name, u.path"
    " FROM org_units u JOIN employees he ON he.unit_id = u.id JOIN users hu ON hu.employee_id = he.id"
    " JOIN document_handlers h ON h.user_id = hu.id AND h.finished_at IS NULL"
    " WHERE (%(all)s OR u.path LIKE ANY(%(under)s))"
)
#: past the deadline in force on %(today)s: an extension only moves a deadline later, so the instructed deadline
#: decides first and the approved extensions are looked up only for the parts already past it
_PAST_DUE = f"(h.deadline < %(today)s AND {_DEADLINE} < %(today)s)"


def open_parts_by_unit(
    conn: psycopg.Connection, under: Sequence[str] | None, today: date
) -> list[tuple[str, int, int]]:
    """(unit path, parts in progress, of them past the deadline in force) of the unfinished handler parts, by the
    unit they count for, inside the subtrees `under` (None: every unit). One query over the scope."""
    return conn.execute(
        f"SELECT h.path, count(*), count(*) FILTER (WHERE {_PAST_DUE}) FROM ({_OPEN_PARTS}) h GROUP BY h.path",
        {"today": today, "all": under is None, "under": [p + "%" for p in under or ()]},
    ).fetchall()


def open_parts_under(conn: psycopg.Connection, path: str, today: date, limit: int) -> list[dict[str, Any]]:
    """The unfinished handler parts counting for units in the subtree `path`, nearest deadline in force first: the
    document (id, số đến, symbol, subject, secrecy), the unit, the handler, the deadline in force."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"SELECT d.id AS document_id, d.number, d.code_number, d.code_notation, d.subject, d.secrecy,"
            f" h.lead, h.code AS unit_code, h.name AS unit_name,"
            f" hu.display_name AS person, {_DEADLINE} AS deadline FROM ({_OPEN_PARTS}) h"
            " JOIN document_assignments a ON a.id = h.assignment_id JOIN documents d ON d.id = a.document_id"
            " LEFT JOIN users hu ON hu.id = h.user_id ORDER BY deadline, h.id LIMIT %(limit)s",
            {"all": False, "under": [path + "%"], "limit": limit},
        ).fetchall()
