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
    attempts: int  # publishes the broker took: 1 when first sent, +1 per re-send (lần gửi)
    last_sent_at: datetime  # the latest of them (hub clock)


_NAMES = (
    "id",
    "device_id",
    "name",
    "args",
    "issued_by",
    "issued_at",
    "expires_at",
    "state",
    "replied_at",
    "reply_ok",
    "reply_code",
    "reply_error",
    "reply",
    "attempts",
    "last_sent_at",
)
_COLUMNS = ", ".join(_NAMES)


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


@dataclass(frozen=True, slots=True)
class ClaimedSend:
    """A command claimed for one more publish, and when it was last sent before (to undo the claim)."""

    command: CommandRecord
    previous_sent_at: datetime


def claim_resends(
    conn: psycopg.Connection,
    device_ids: list[str] | None,
    not_sent_within_s: float,
    min_left_s: float,
    limit: int,
) -> list[ClaimedSend]:
    """Claim pending commands of online devices for a re-send: +1 attempt, last_sent_at = now().

    Only commands not yet answered, with more than `min_left_s` before their expiry, last sent at
    least `not_sent_within_s` ago, of a device the hub sees online (of `device_ids` when given).
    SKIP LOCKED: two hub nodes never claim the same row at once; a reply being stored wins."""
    rows = conn.execute(
        "WITH due AS ("
        " SELECT c.id, c.last_sent_at FROM device_commands c JOIN devices d USING (device_id)"
        " WHERE c.state = 'pending' AND d.online"
        " AND c.expires_at > now() + make_interval(secs => %(left)s)"
        " AND c.last_sent_at <= now() - make_interval(secs => %(gap)s)"
        " AND (%(ids)s::text[] IS NULL OR c.device_id = ANY(%(ids)s::text[]))"
        " ORDER BY c.issued_at, c.id LIMIT %(limit)s FOR UPDATE OF c SKIP LOCKED)"
        " UPDATE device_commands c SET attempts = c.attempts + 1, last_sent_at = now() FROM due"
        f" WHERE c.id = due.id RETURNING {', '.join('c.' + n for n in _NAMES)}, due.last_sent_at",
        {"ids": device_ids, "gap": not_sent_within_s, "left": min_left_s, "limit": limit},
    ).fetchall()
    claimed = [ClaimedSend(CommandRecord(*r[:-1]), r[-1]) for r in rows]
    return sorted(claimed, key=lambda c: (c.command.issued_at, c.command.id))


def unclaim_resend(conn: psycopg.Connection, command_id: UUID, previous_sent_at: datetime) -> None:
    """The broker did not take the re-send: the attempt is not counted."""
    conn.execute(
        "UPDATE device_commands SET attempts = attempts - 1, last_sent_at = %s WHERE id = %s AND attempts > 1",
        (previous_sent_at, command_id),
    )


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
