"""SQL of asset movements (no rules here: hub.assets.movements.service decides)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.assets.movements.models import Movement

_MOVEMENT = """
SELECT m.id, a.asset_number, a.name AS asset_name, u.code AS unit_code, u.path AS unit_path, m.kind, m.status,
       e.employee_code, e.full_name AS employee_name, l.code AS location_code, l.name AS location_name,
       tu.code AS to_unit_code, tu.path AS to_unit_path, m.party, m.decision_number, m.decision_date,
       m.decision_signer, m.reason, m.due_on, m.exit_until, m.requested_by, m.requested_at, m.decided_by,
       m.decided_at, m.decision_note, m.returned_by, m.returned_at
  FROM asset_movements m
  JOIN assets a ON a.id = m.asset_id
  JOIN org_units u ON u.id = a.unit_id
  LEFT JOIN employees e ON e.id = m.to_employee_id
  LEFT JOIN asset_locations l ON l.id = m.to_location_id
  LEFT JOIN org_units tu ON tu.id = m.to_unit_id
"""

INSERT_COLUMNS = (
    "asset_id", "kind", "status", "to_employee_id", "to_location_id", "to_unit_id", "party", "decision_number",
    "decision_date", "decision_signer", "reason", "due_on", "exit_until", "requested_by",
)  # fmt: skip


def insert(conn: psycopg.Connection, values: dict[str, Any]) -> int | None:
    """The new movement's id; None when the asset already has an open one (the partial unique index)."""
    names = [c for c in INSERT_COLUMNS if c in values]
    try:
        with conn.transaction():
            row = conn.execute(
                f"INSERT INTO asset_movements ({', '.join(names)}) VALUES ({', '.join('%s' for _ in names)})"
                " RETURNING id",
                [values[c] for c in names],
            ).fetchone()
    except psycopg.errors.UniqueViolation:
        return None
    return None if row is None else int(row[0])


def by_id(conn: psycopg.Connection, movement_id: int, *, lock: bool = False) -> Movement | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_MOVEMENT + " WHERE m.id = %s" + (" FOR UPDATE OF m" if lock else ""), (movement_id,))
        row = cur.fetchone()
    return None if row is None else Movement(**row)


def raw(conn: psycopg.Connection, movement_id: int) -> dict[str, Any]:
    """The stored ids of a movement (its targets and what the asset was before)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT asset_id, kind, status, to_employee_id, to_location_id, to_unit_id, decision_date, from_status,"
            " from_employee_id, from_location_id, from_unit_id FROM asset_movements WHERE id = %s",
            (movement_id,),
        )
        row = cur.fetchone()
    assert row is not None
    return row


def of_asset(conn: psycopg.Connection, asset_id: int) -> list[Movement]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_MOVEMENT + " WHERE m.asset_id = %s ORDER BY m.id DESC", (asset_id,))
        return [Movement(**r) for r in cur.fetchall()]


def listing(
    conn: psycopg.Connection, scope: Sequence[str] | None, status: str | None, limit: int, offset: int
) -> list[Movement]:
    """Movements of assets in the scope's units (or moving into them), newest first."""
    clauses, params = ["TRUE"], []
    if scope is not None:
        clauses.append("(u.path LIKE ANY(%s::text[]) OR tu.path LIKE ANY(%s::text[]))")
        patterns = [f"{p}%" for p in scope]
        params += [patterns, patterns]
    if status is not None:
        clauses.append("m.status = %s")
        params.append(status)
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            _MOVEMENT + f" WHERE {' AND '.join(clauses)} ORDER BY m.id DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [Movement(**r) for r in cur.fetchall()]


def decide(conn: psycopg.Connection, movement_id: int, values: dict[str, Any]) -> None:
    allowed = (
        "status", "decided_by", "decided_at", "decision_note", "returned_by", "returned_at", "from_status",
        "from_employee_id", "from_location_id", "from_unit_id", "exit_until",
    )  # fmt: skip
    names = [c for c in allowed if c in values]
    conn.execute(
        f"UPDATE asset_movements SET {', '.join(f'{c} = %s' for c in names)} WHERE id = %s",
        [*(values[c] for c in names), movement_id],
    )


def assets_allowed_out(conn: psycopg.Connection, asset_ids: Sequence[int], day: date) -> set[int]:
    """Of `asset_ids`, those an approved movement lets leave on `day`: a check-out, repair or loan not yet
    returned (until its `exit_until` if one is set), or a transfer or liquidation up to its `exit_until`."""
    rows = conn.execute(
        "SELECT DISTINCT asset_id FROM asset_movements WHERE asset_id = ANY(%s) AND status = 'approved'"
        " AND (exit_until IS NULL OR exit_until >= %s)"
        " AND (kind IN ('checkout', 'repair', 'loan') OR exit_until IS NOT NULL)",
        (list(asset_ids), day),
    ).fetchall()
    return {int(r[0]) for r in rows}


def approvers(conn: psycopg.Connection, unit_path: str, other_path: str | None, requester: str) -> list[int]:
    """Accounts that may approve a movement (assets.approve_move: an asset officer or a manager over the asset's
    unit, and over the receiving unit of a transfer), not disabled, the requester left out. The system admin,
    who may approve everything, is not told of every request."""
    rows = conn.execute(
        "SELECT DISTINCT g.user_id FROM role_grants g JOIN org_units u ON u.id = g.unit_id"
        " JOIN users x ON x.id = g.user_id"
        " WHERE g.role IN ('asset_officer', 'manager') AND %(path)s LIKE u.path || '%%'"
        " AND x.disabled_at IS NULL AND x.username <> %(requester)s"
        " AND (%(other)s::text IS NULL OR EXISTS (SELECT 1 FROM role_grants g2 JOIN org_units u2 ON u2.id = g2.unit_id"
        "      WHERE g2.user_id = g.user_id AND g2.role IN ('asset_officer', 'manager')"
        "        AND %(other)s::text LIKE u2.path || '%%'))",
        {"path": unit_path, "other": other_path, "requester": requester},
    ).fetchall()
    return [int(r[0]) for r in rows]


def requester(conn: psycopg.Connection, username: str) -> list[int]:
    """The account that asked for a movement, to be told of its decision (none once disabled or gone)."""
    row = conn.execute("SELECT id FROM users WHERE username = %s AND disabled_at IS NULL", (username,)).fetchone()
    return [int(row[0])] if row else []
