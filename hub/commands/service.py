"""Sending commands to devices and storing their replies.

A command is written to `device_commands` and committed BEFORE it is published: a fast device
(a ping answers in milliseconds) must find its command when its reply comes back. If the
broker does not take the publish, the row is deleted again and the caller gets
`CommandsUnavailable` — nothing was sent, so nothing is kept.

A reply is matched to its command by id, in one transaction. One that cannot be read, names
no known command, or comes from another device than the one commanded is dead-lettered in
`ingest_rejects` with the reason, like an invalid event; a second copy of a reply already
stored (QoS 1 may deliver twice) changes nothing.

Devices connect with a clean session, so a command published while its device is offline is
lost at the broker. `resend_pending` therefore publishes again - same id, same `expires_at` -
every command still pending and not expired, when its device comes back online and, for one
that stays unanswered (a lost PUBACK, a restart in between), periodically
(hub.commands.resend). The device runs a command id once and answers a copy as before
(edge_agent.commands), so a re-send never runs anything twice; `attempts` counts the publishes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol
from uuid import UUID, uuid4

import psycopg
from psycopg_pool import ConnectionPool
from pydantic import ValidationError

from hub.commands import repository as repo
from hub.commands.repository import CommandRecord
from hub.devices import repository as devices_repo
from hub.devices.models import UnknownDevice
from hub.domain import Invalid, NotFound, Unavailable
from protocol.commands import COMMAND_ARGS, COMMAND_NAMES, MAX_TTL_S, Command, CommandReply
from protocol.topics import parse_device_topic

log = logging.getLogger(__name__)

#: a command lives 5 minutes unless the caller says otherwise
DEFAULT_TTL_S = 300


class InvalidCommand(Invalid):
    """Unknown command name, arguments that do not fit it, or a ttl out of range (HTTP 422)."""


class UnknownCommand(NotFound):
    """No command with this id for this device (HTTP 404)."""


class CommandsUnavailable(Unavailable):
    """The hub has no broker connection to send commands on (HTTP 503); nothing was stored."""


class CommandPublisher(Protocol):
    """The MQTT side (hub.commands.channel): publishes one command, QoS 1, with a message expiry."""

    @property
    def connected(self) -> bool: ...

    def publish_command(self, device_id: str, payload: bytes, ttl_s: int) -> bool:
        """True once the broker acknowledged it, False if not yet (it is still queued to go);
        raises CommandsUnavailable when it could not be queued at all."""
        ...


def build_command(name: str, args: dict[str, Any], ttl_s: int, now: datetime) -> Command:
    """The wire command, checked: raises InvalidCommand with a message a person can act on."""
    if name not in COMMAND_NAMES:
        raise InvalidCommand(f"unknown command {name!r}; known: {', '.join(COMMAND_NAMES)}")
    if not 1 <= ttl_s <= MAX_TTL_S:
        raise InvalidCommand(f"ttl_s must be between 1 and {MAX_TTL_S} seconds, got {ttl_s}")
    try:
        parsed = COMMAND_ARGS[name].model_validate(args)
        return Command(
            id=uuid4(),
            name=name,  # type: ignore[arg-type]
            args=parsed.model_dump(mode="json"),
            issued_at=now,
            expires_at=now + timedelta(seconds=ttl_s),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "args"
        raise InvalidCommand(f"{name}: {where}: {first['msg']}") from exc


def send_command(
    pool: ConnectionPool,
    publisher: CommandPublisher | None,
    device_id: str,
    name: str,
    args: dict[str, Any],
    ttl_s: int,
    actor: str,
) -> CommandRecord:
    """Store and publish a command; raises InvalidCommand, UnknownDevice or CommandsUnavailable."""
    command = build_command(name, args, ttl_s, datetime.now(UTC))
    if publisher is None or not publisher.connected:
        raise CommandsUnavailable("the hub is not connected to the broker; try again shortly")
    with pool.connection() as conn:
        if devices_repo.get_device(conn, device_id) is None:
            raise UnknownDevice(f"no device has the id {device_id!r}")
        with conn.transaction():
            record = repo.insert_command(
                conn, command.id, device_id, name, command.args, actor, command.issued_at, command.expires_at
            )
    try:
        acknowledged = publisher.publish_command(device_id, command.model_dump_json().encode(), ttl_s)
    except Exception as exc:
        with pool.connection() as conn, conn.transaction():
            repo.delete_command(conn, command.id)
        if isinstance(exc, CommandsUnavailable):
            raise
        raise CommandsUnavailable(f"the broker did not take the command: {exc}") from exc
    if not acknowledged:  # still queued in the client: it goes after a reconnect, or expires unanswered
        log.warning("command %s to %s: the broker has not acknowledged it yet", command.id, device_id)
    log.info("command %s %s sent to %s by %s (expires %s)", command.id, name, device_id, actor, command.expires_at)
    return record


#: a command this close to its expiry is not sent again (it would arrive stale)
RESEND_MIN_LEFT_S = 1.0
#: commands re-sent per round at most (the rest go in the next round)
RESEND_BATCH = 200


def resend_pending(
    pool: ConnectionPool,
    publisher: CommandPublisher | None,
    device_ids: Sequence[str] | None,
    not_sent_within_s: float,
) -> int:
    """Publish again the pending, unexpired commands of online devices (of `device_ids`, else all) last
    sent at least `not_sent_within_s` ago; returns how many the broker took.

    Each is claimed (+1 attempt) and committed before it is published, like a first send; when the
    broker link refuses one, it and the rest are unclaimed and the round stops (the next one retries)."""
    if publisher is None or not publisher.connected:
        return 0
    ids = list(device_ids) if device_ids is not None else None
    with pool.connection() as conn, conn.transaction():
        claimed = repo.claim_resends(conn, ids, not_sent_within_s, RESEND_MIN_LEFT_S, RESEND_BATCH)
    sent = 0
    for i, item in enumerate(claimed):
        record = item.command
        left = (record.expires_at - datetime.now(UTC)).total_seconds()
        try:
            if left < RESEND_MIN_LEFT_S:
                raise CommandsUnavailable(f"command {record.id} expired while waiting for its turn")
            publisher.publish_command(record.device_id, wire_command(record), max(1, math.ceil(left)))
        except Exception as exc:  # CommandsUnavailable, or the link broke: what is left goes next round
            with pool.connection() as conn, conn.transaction():
                for rest in claimed[i:]:
                    repo.unclaim_resend(conn, rest.command.id, rest.previous_sent_at)
            log.warning("re-sending commands stopped after %d of %d: %s", sent, len(claimed), exc)
            break
        sent += 1
        log.info(
            "command %s %s sent again to %s (attempt %d)", record.id, record.name, record.device_id, record.attempts
        )
    return sent


def wire_command(record: CommandRecord) -> bytes:
    """The command as first published: same id, arguments, issue and expiry time."""
    command = Command(
        id=record.id,
        name=record.name,  # type: ignore[arg-type]
        args=record.args,
        issued_at=record.issued_at,
        expires_at=record.expires_at,
    )
    return command.model_dump_json().encode()


def expire_overdue(pool: ConnectionPool) -> int:
    """Mark every pending command past its expiry 'expired' now (reading a device's commands does it too),
    so one whose device never came back ends as expired without anyone looking."""
    with pool.connection() as conn, conn.transaction():
        return repo.expire_overdue(conn)


def device_commands(
    conn: psycopg.Connection, device_id: str, limit: int = 50, offset: int = 0
) -> tuple[int, list[CommandRecord]]:
    """A device's commands, newest first, with overdue ones marked expired; raises UnknownDevice."""
    if devices_repo.get_device(conn, device_id) is None:
        raise UnknownDevice(f"no device has the id {device_id!r}")
    with conn.transaction():
        repo.expire_overdue(conn, device_id)
    return repo.list_commands(conn, device_id, limit, offset)


def command(conn: psycopg.Connection, device_id: str, command_id: UUID) -> CommandRecord:
    """One command of a device; raises UnknownDevice or UnknownCommand."""
    with conn.transaction():
        repo.expire_overdue(conn, device_id)
    record = repo.get_command(conn, command_id)
    if record is None or record.device_id != device_id:
        raise UnknownCommand(f"device {device_id!r} has no command {command_id}")
    return record


@dataclass(frozen=True)
class ReplyOutcome:
    kind: Literal["stored", "duplicate", "rejected"]
    reason: str | None = None  # why it was rejected: bad_topic, bad_reply, unknown_command, wrong_device
    command_id: UUID | None = None


def handle_reply(conn: psycopg.Connection, topic: str, payload: bytes) -> ReplyOutcome:
    """Store one reply message, or dead-letter it with the reason; one transaction either way."""
    with conn.transaction():
        outcome, device_id, detail = _store_reply(conn, topic, payload)
        if outcome.kind == "rejected":
            repo.dead_letter(conn, topic, device_id, outcome.reason or "bad_reply", detail, payload)
    if outcome.kind == "rejected":
        log.warning("reply on %s dead-lettered (%s): %s", topic, outcome.reason, detail)
    return outcome


def dead_letter_refused(conn: psycopg.Connection, topic: str, payload: bytes, detail: str) -> None:
    """A reply the database refused to store: kept whole with the database's reason (`db_refused`)."""
    try:
        device_id: str | None = parse_device_topic(topic)[0]
    except ValueError:
        device_id = None
    repo.dead_letter(conn, topic.replace("\x00", "\\x00"), device_id, "db_refused", detail, payload)


def _store_reply(conn: psycopg.Connection, topic: str, payload: bytes) -> tuple[ReplyOutcome, str | None, str]:
    try:
        device_id, channel = parse_device_topic(topic)
    except ValueError as exc:
        return ReplyOutcome("rejected", "bad_topic"), None, str(exc)
    if channel != "replies":
        return ReplyOutcome("rejected", "bad_topic"), device_id, f"not a replies topic: {topic}"
    try:
        reply = CommandReply.model_validate_json(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(root)"
        return ReplyOutcome("rejected", "bad_reply"), device_id, f"{where}: {first['msg']}"
    owner = repo.command_owner(conn, reply.command_id)
    if owner is None:
        return ReplyOutcome("rejected", "unknown_command", reply.command_id), device_id, "no such command"
    owner_device, state = owner
    if owner_device != device_id:
        detail = f"command {reply.command_id} was sent to {owner_device!r}, not {device_id!r}"
        return ReplyOutcome("rejected", "wrong_device", reply.command_id), device_id, detail
    if state == "replied":
        return ReplyOutcome("duplicate", None, reply.command_id), device_id, ""
    repo.store_reply(conn, reply.command_id, reply.ok, reply.code, reply.error, reply.result)
    return ReplyOutcome("stored", None, reply.command_id), device_id, ""
