"""Sending commands to devices and storing their replies.

A command is written to `device_commands` and committed BEFORE it is published: a fast device
(a ping answers in milliseconds) must find its command when its reply comes back. If the
broker does not take the publish, the row is deleted again and the caller gets
`CommandsUnavailable` — nothing was sent, so nothing is kept.

A reply is matched to its command by id, in one transaction. One that cannot be read, names
no known command, or comes from another device than the one commanded is dead-lettered in
`ingest_rejects` with the reason, like an invalid event; a second copy of a reply already
stored (QoS 1 may deliver twice) changes nothing.
"""

from __future__ import annotations

import logging
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
from hub.devices.service import UnknownDevice
from protocol.commands import COMMAND_ARGS, COMMAND_NAMES, MAX_TTL_S, Command, CommandReply
from protocol.topics import parse_device_topic

log = logging.getLogger(__name__)

#: a command lives 5 minutes unless the caller says otherwise
DEFAULT_TTL_S = 300


class InvalidCommand(ValueError):
    """Unknown command name, arguments that do not fit it, or a ttl out of range (HTTP 422)."""


class UnknownCommand(LookupError):
    """No command with this id for this device (HTTP 404)."""


class CommandsUnavailable(RuntimeError):
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
