"""Commands from the hub and their replies.

Commands are sent with an MQTT message expiry as well as `expires_at`, so a device that
comes back after a week does not act on a stale 'restart'.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from protocol._base import UtcTimestamp, WireModel

CommandName = Literal["ping", "resync_gallery", "restart_capability", "snapshot", "flush_outbox"]


class Command(WireModel):
    v: int = Field(default=1, ge=1, le=1)
    id: UUID
    name: CommandName
    args: dict[str, Any] = Field(default_factory=dict)
    issued_at: UtcTimestamp
    expires_at: UtcTimestamp


class CommandReply(WireModel):
    v: int = Field(default=1, ge=1, le=1)
    command_id: UUID
    ok: bool
    ts: UtcTimestamp
    result: dict[str, Any] = Field(default_factory=dict)
    error: str | None = Field(default=None, max_length=1000)
