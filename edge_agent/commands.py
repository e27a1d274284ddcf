"""Commands from the hub, carried out on the device and answered on `…/{device_id}/replies`.

Why this shape:
- paho's network thread only queues the payload; one worker thread runs the commands one at a
  time, so a slow one (a snapshot, a gallery re-sync) never stalls the MQTT link, and two
  commands never race on the same capability.
- Every command whose id can be read is answered, exactly once per id: refused when it has
  expired (`expires_at` passed — whatever broker carried it), when its name or arguments are
  unknown to this agent, or when the device lacks what it needs; otherwise carried out. A QoS 1
  redelivery of a command already handled gets the same reply again, it is not run twice.
- Replies go through the outbox (QoS 1), so one made while the broker is away is sent when it
  is back; they are not events and are the first to go when the outbox is over budget.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import BaseModel, ValidationError

from edge_agent.outbox import Outbox
from protocol.commands import (
    COMMAND_ARGS,
    COMMAND_NAMES,
    Command,
    CommandReply,
    RefusalCode,
)
from protocol.topics import Topics

if TYPE_CHECKING:
    from edge_agent.link import MqttLink

log = logging.getLogger(__name__)

#: how many handled command ids are remembered (a redelivered one is answered again, not run again)
REMEMBER = 256
REPLY_QOS = 1

Handler = Callable[[BaseModel], Mapping[str, Any]]


class CommandRefused(Exception):
    """A handler cannot carry out the command; `code` says why (e.g. 'unavailable')."""

    def __init__(self, code: RefusalCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class CommandRunner:
    """Receives, checks, runs and answers commands; `handlers` maps a command name to its work."""

    def __init__(
        self,
        device_id: str,
        outbox: Outbox,
        handlers: Mapping[str, Handler],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._topics = Topics(device_id)
        self._outbox = outbox
        self._handlers = dict(handlers)
        self._now = now
        self._inbox: queue.Queue[bytes] = queue.Queue(maxsize=100)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listening = False
        self._answered: OrderedDict[UUID, CommandReply] = OrderedDict()
        self.handled = 0
        self.refused = 0

    # -- wiring ----------------------------------------------------------------------------
    def listen(self, link: MqttLink) -> None:
        """Subscribe (on every connection) before the link first connects: a command the hub sends again
        the moment it sees this device online is then received, and waits here until `start`."""
        link.subscribe(self._topics.commands, REPLY_QOS, self.receive)
        self._listening = True

    def start(self, link: MqttLink, handlers: Mapping[str, Handler] | None = None) -> None:
        """Run the commands received so far and those to come, with `handlers` when they could only be made
        now (once the capabilities they act on run)."""
        if handlers is not None:
            self._handlers = dict(handlers)
        self._thread = threading.Thread(target=self._run, name="agent-commands", daemon=True)
        self._thread.start()
        if not self._listening:
            self.listen(link)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None

    def receive(self, payload: bytes) -> None:
        """Called on paho's thread: queue only. A full queue (a flood) drops the newest, logged."""
        try:
            self._inbox.put_nowait(payload)
        except queue.Full:
            log.warning("command queue full; a command was not taken (the hub will see it expire)")

    # -- the worker ------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                payload = self._inbox.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                reply = self.handle(payload)
            except Exception:  # the worker must survive anything one command does
                log.exception("command handling failed")
                continue
            if reply is not None:
                self._outbox.put(
                    self._topics.replies, reply.model_dump_json().encode(), qos=REPLY_QOS, durable=False, kind="status"
                )

    def handle(self, payload: bytes) -> CommandReply | None:
        """The reply to one command message (None when not even its id can be read)."""
        command_id = _readable_id(payload)
        if command_id is None:
            log.warning("ignored a command without a readable id: %r", payload[:200])
            return None
        if command_id in self._answered:
            log.info("command %s delivered again; answering as before", command_id)
            return self._answered[command_id]
        reply = self._carry_out(command_id, payload)
        self._answered[command_id] = reply
        while len(self._answered) > REMEMBER:
            self._answered.popitem(last=False)
        if reply.ok:
            self.handled += 1
        else:
            self.refused += 1
        return reply

    def _carry_out(self, command_id: UUID, payload: bytes) -> CommandReply:
        name = _readable_name(payload)
        if name is not None and (name not in COMMAND_NAMES or name not in self._handlers):
            return self._refuse(command_id, "unknown_command", f"this device does not know the command {name!r}")
        try:
            command = Command.model_validate_json(payload)
        except ValidationError as exc:
            return self._refuse(command_id, "bad_command", _first_error(exc))
        now = self._now()
        if command.expires_at <= now:
            late = (now - command.expires_at).total_seconds()
            return self._refuse(command_id, "expired", f"expired {late:.0f} s before it arrived; not carried out")
        try:
            args = COMMAND_ARGS[command.name].model_validate(command.args)
        except ValidationError as exc:
            return self._refuse(command_id, "bad_args", _first_error(exc))
        started = time.monotonic()
        try:
            result = dict(self._handlers[command.name](args))
        except CommandRefused as refused:
            return self._refuse(command_id, refused.code, str(refused))
        except Exception as exc:
            log.exception("command %s (%s) failed", command_id, command.name)
            return self._refuse(command_id, "failed", " ".join(f"{type(exc).__name__}: {exc}".split())[:500])
        log.info("command %s (%s) done in %.2f s", command_id, command.name, time.monotonic() - started)
        return CommandReply(command_id=command_id, ok=True, ts=self._now(), result=result)

    def _refuse(self, command_id: UUID, code: RefusalCode, message: str) -> CommandReply:
        log.warning("command %s refused (%s): %s", command_id, code, message)
        return CommandReply(command_id=command_id, ok=False, ts=self._now(), code=code, error=message[:1000])


def _readable_id(payload: bytes) -> UUID | None:
    try:
        obj = json.loads(payload)
        return UUID(str(obj["id"])) if isinstance(obj, dict) and "id" in obj else None
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def _readable_name(payload: bytes) -> str | None:
    try:
        obj = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    name = obj.get("name") if isinstance(obj, dict) else None
    return name if isinstance(name, str) else None


def _first_error(exc: ValidationError) -> str:
    item = exc.errors()[0]
    return f"{'.'.join(str(p) for p in item['loc']) or '(root)'}: {item['msg']}"


# -- the standard commands on an agent ---------------------------------------------------------
