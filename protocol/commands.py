"""Commands from the hub and their replies.

Commands are sent with an MQTT message expiry as well as `expires_at`, so a device that
comes back after a week does not act on a stale 'restart': a broker that speaks MQTT v5
drops the message when it expires, and the device itself refuses one past `expires_at`
(with a reply saying so) whatever broker carried it.

A device answers every command it can read the id of, once, on `…/{device_id}/replies`:
`ok` with a `result`, or not `ok` with a `code` a program can act on and an `error` a person
can read. The hub stores the reply against the command id; a reply it cannot match is
dead-lettered, like an invalid event.
"""

from __future__ import annotations

from typing import Any, Literal, get_args
from uuid import UUID

from pydantic import Field

from protocol._base import UtcTimestamp, WireModel
from protocol.packs import PackOffer

CommandName = Literal[
    "ping", "resync_gallery", "restart_capability", "snapshot", "flush_outbox", "update_pack", "show_alert"
]
#: every command name of contract v1, in a stable order (API validation, UI pick lists)
COMMAND_NAMES: tuple[str, ...] = get_args(CommandName)

#: why a device did not carry out a command
RefusalCode = Literal["expired", "unknown_command", "bad_command", "bad_args", "unavailable", "failed"]

#: a command's arguments are small; a snapshot travels in the reply, never in the command
MAX_ARGS = 20
#: the longest a command may wait for its device (and the broker may keep it): one day
MAX_TTL_S = 86_400


class NoArgs(WireModel):
    """ping, resync_gallery: nothing to say."""


class RestartCapabilityArgs(WireModel):
    capability: str = Field(min_length=1, max_length=32, description="faceid, rfid, display, simulated")


class SnapshotArgs(WireModel):
    max_side: int = Field(default=320, ge=64, le=1280, description="the JPEG's longest side, pixels")
    quality: int = Field(default=80, ge=30, le=95, description="JPEG quality")


class FlushOutboxArgs(WireModel):
    timeout_s: float = Field(default=10.0, gt=0, le=60, description="how long to wait for the backlog to drain")


class ShowAlertArgs(WireModel):
    """show_alert: put a notice on the device's screen for `show_s` seconds (a door portal's alert on the door's
    display). A command, not retained state: a display that was off when it was sent never shows a stale alarm
    (the command's expiry, protocol.commands); one that has no screen refuses it (`unavailable`)."""

    title_vi: str = Field(min_length=1, max_length=200, description="the headline, Vietnamese")
    title_en: str = Field(default="", max_length=200, description="the headline, English")
    text_vi: str = Field(default="", max_length=300, description="what and when, Vietnamese")
    text_en: str = Field(default="", max_length=300, description="what and when, English")
    show_s: int = Field(default=30, ge=1, le=600, description="how long the screen shows it")


#: the arguments each command takes; a command with others is refused (`bad_args`) by hub and device alike
COMMAND_ARGS: dict[str, type[WireModel]] = {
    "ping": NoArgs,
    "resync_gallery": NoArgs,
    "restart_capability": RestartCapabilityArgs,
    "snapshot": SnapshotArgs,
    "flush_outbox": FlushOutboxArgs,
    "update_pack": PackOffer,  # download, verify, re-embed, self-check, switch — or roll back (edge_agent.pack_update)
    "show_alert": ShowAlertArgs,  # a notice on the device's screen (door portal alerts, hub.assets.portals)
}


class Command(WireModel):
    v: int = Field(default=1, ge=1, le=1)
    id: UUID
    name: CommandName
    args: dict[str, Any] = Field(default_factory=dict, max_length=MAX_ARGS)
    issued_at: UtcTimestamp
    expires_at: UtcTimestamp

    def parsed_args(self) -> WireModel:
        """The arguments as this command's model (raises pydantic's ValidationError when they do not fit)."""
        return COMMAND_ARGS[self.name].model_validate(self.args)


class CommandReply(WireModel):
    v: int = Field(default=1, ge=1, le=1)
    command_id: UUID
    ok: bool
    ts: UtcTimestamp
    result: dict[str, Any] = Field(default_factory=dict)
    code: RefusalCode | None = Field(default=None, description="set when not ok: why")
    error: str | None = Field(default=None, max_length=1000)
