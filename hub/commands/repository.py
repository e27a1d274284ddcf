"""SQL of device commands and their replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb


@dataclass(frozen=True, slots=True)
class CommandRecord:
    id: UUID
    device_id: str
    name: str
    args: dict[str, Any]
    issued_by: str
    issued_at: datetime
    expires_at: datetime
    state: str  # pending | replied | expired
    replied_at: datetime | None
    reply_ok: bool | None
    reply_code: str | None
    reply_error: str | None
    reply: dict[str, Any] | None  # the reply's `result`


_COLUMNS = (
    "id, device_id, name, args, issued_by, issued_at, expires_at, state,"
    " replied_at, reply_ok, reply_code, reply_error, reply"
)


def insert_command(
    conn: psycopg.Connection,
    command_id: UUID,
    device_id: str,
    name: str,
    args: dict[str, Any],
    issued_by: str,
    issued_at: datetime,
    expires_at: datetime,
) -> CommandRecord:
    row = conn.execute(
        "INSERT INTO device_commands (id, device_id, name, args, issued_by, issued_at, expires_at)"
        f" VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {_COLUMNS}",
        (command_id, device_id, name, Jsonb(args), issued_by, issued_at, expires_at),
    ).fetchone()
    assert row is not None
    return CommandRecord(*row)


def delete_command(conn: psycopg.Connection, command_id: UUID) -> None:
    """Undo a command that never reached the broker (nothing was sent, so nothing is kept)."""
    conn.execute("DELETE FROM device_commands WHERE id = %s AND state = 'pending'", (command_id,))


def expire_overdue(conn: psycopg.Connection, device_id: str | None = None) -> int:
    """Mark pending commands past their expiry 'expired'; returns how many."""
    return conn.execute(
        "UPDATE device_commands SET state = 'expired'"
        " WHERE state = 'pending' AND expires_at <= now() AND (%(d)s::text IS NULL OR device_id = %(d)s)",
        {"d": device_id},
    ).rowcount


def get_command(conn: psycopg.Connection, command_id: UUID) -> CommandRecord | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM device_commands WHERE id = %s", (command_id,)).fetchone()
    return CommandRecord(*row) if row else None


def list_commands(conn: psycopg.Connection, device_id: str, limit: int, offset: int) -> tuple[int, list[CommandRecord]]:
    """(total, one page newest first) of a device's commands."""
    total = conn.execute("SELECT count(*) FROM device_commands WHERE device_id = %s", (device_id,)).fetchone()
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM device_commands WHERE device_id = %s ORDER BY issued_at DESC, id LIMIT %s OFFSET %s",
        (device_id, limit, offset),
    ).fetchall()
    return (int(total[0]) if total else 0), [CommandRecord(*r) for r in rows]


def command_owner(conn: psycopg.Connection, command_id: UUID) -> tuple[str, str] | None:
    """(device_id, state) of a command, locked for the reply being stored; None when unknown."""
    row = conn.execute(
        "SELECT device_id, state FROM device_commands WHERE id = %s FOR UPDATE", (command_id,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def store_reply(
    conn: psycopg.Connection,
    command_id: UUID,
    ok: bool,
    code: str | None,
    error: str | None,
    result: dict[str, Any],
) -> None:
    """Record a reply (also after the hub marked the command expired: a late answer is still the truth).

    `replied_at` is the hub's clock, like `last_seen`: a device's clock may be wrong."""
    conn.execute(
        "UPDATE device_commands SET state = 'replied', replied_at = now(), reply_ok = %s, reply_code = %s,"
        " reply_error = %s, reply = %s WHERE id = %s",
        (ok, code, error, Jsonb(result), command_id),
    )


def dead_letter(
    conn: psycopg.Connection, topic: str, device_id: str | None, reason: str, detail: str, payload: bytes
) -> None:
    """A reply the hub could not accept, kept whole with the reason (the same table as refused events)."""
    conn.execute(
        "INSERT INTO ingest_rejects (topic, device_id, reason, detail, payload) VALUES (%s, %s, %s, %s, %s)",
        (topic, device_id, reason, detail[:1000], payload),
    )
