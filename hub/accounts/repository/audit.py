"""The audit log: rows written in the caller's transaction, and its search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from hub.accounts.models import AuditEntry, AuditQuery

# --- audit log --------------------------------------------------------------------------------


_INSERT_AUDIT = (
    "INSERT INTO audit_log (actor, actor_user_id, action, entity, entity_id, unit_path, other_unit_path, before,"
    " after, client_ip, search_text) VALUES (%(actor)s, %(actor_user_id)s, %(action)s, %(entity)s, %(entity_id)s,"
    " %(unit_path)s, %(other_unit_path)s, %(before)s, %(after)s, %(client_ip)s, %(search_text)s)"
)


def _audit_params(row: dict[str, Any]) -> dict[str, Any]:
    before, after = row["before"], row["after"]
    return {
        **row,
        "before": None if before is None else Jsonb(before),
        "after": None if after is None else Jsonb(after),
    }


def insert_audit(
    conn: psycopg.Connection,
    *,
    actor: str,
    actor_user_id: int | None,
    action: str,
    entity: str,
    entity_id: str | None,
    unit_path: str | None,
    before: Any,
    after: Any,
    client_ip: str | None,
    search_text: str,
    other_unit_path: str | None = None,
) -> int:
    row = conn.execute(
        _INSERT_AUDIT + " RETURNING id",
        _audit_params(
            {
                "actor": actor,
                "actor_user_id": actor_user_id,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "unit_path": unit_path,
                "other_unit_path": other_unit_path,
                "before": before,
                "after": after,
                "client_ip": client_ip,
                "search_text": search_text,
            }
        ),
    ).fetchone()
    assert row is not None
    return int(row[0])


def insert_audit_many(conn: psycopg.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows with the keyword arguments of `insert_audit`, sent pipelined (executemany)."""
    if rows:
        with conn.cursor() as cursor:
            cursor.executemany(_INSERT_AUDIT, [_audit_params(r) for r in rows])


def search_audit(
    conn: psycopg.Connection, query: AuditQuery, patterns: Sequence[str], unit_paths: Sequence[str] | None
) -> tuple[int, list[AuditEntry]]:
    """(total, one page newest first). `patterns` are LIKE patterns over the folded search text;
    `unit_paths` (None: every row) keeps rows about those subtrees only (either unit of a row about two)."""
    action_prefix = query.action if query.action and query.action.endswith(".") else None
    where = (
        " WHERE (%(actor)s::text IS NULL OR actor = %(actor)s)"
        " AND (%(action)s::text IS NULL OR action = %(action)s)"
        " AND (%(prefix)s::text IS NULL OR starts_with(action, %(prefix)s))"
        " AND (%(entity)s::text IS NULL OR entity = %(entity)s)"
        " AND (%(entity_id)s::text IS NULL OR entity_id = %(entity_id)s)"
        " AND (%(since)s::timestamptz IS NULL OR at >= %(since)s)"
        " AND (%(until)s::timestamptz IS NULL OR at < %(until)s)"
        " AND search_text LIKE ALL(%(patterns)s::text[])"
        " AND (%(paths)s::text[] IS NULL OR unit_path LIKE ANY(%(paths)s::text[])"
        " OR other_unit_path LIKE ANY(%(paths)s::text[]))"
    )
    params: dict[str, Any] = {
        "actor": query.actor,
        "action": None if action_prefix else query.action,
        "prefix": action_prefix,
        "entity": query.entity,
        "entity_id": query.entity_id,
        "since": query.since,
        "until": query.until,
        "patterns": list(patterns),
        "paths": None if unit_paths is None else [p + "%" for p in unit_paths],
        "limit": query.limit,
        "offset": query.offset,
    }
    total = conn.execute(f"SELECT count(*) FROM audit_log{where}", params).fetchone()
    rows = conn.execute(
        "SELECT id, at, actor, actor_user_id, action, entity, entity_id, unit_path, before, after, client_ip,"
        f" other_unit_path FROM audit_log{where} ORDER BY at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s",
        params,
    ).fetchall()
    return (int(total[0]) if total else 0), [AuditEntry(*r) for r in rows]
