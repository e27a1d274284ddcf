"""Commit receipts: the hub tells a device which of its events are stored for good.

A broker's PUBACK only says the broker has the message; a broker restart, or a broker that
forgets shared subscriptions on restart (Mosquitto 2.0), can still lose it before the hub
commits. A device that waits for a receipt before forgetting an event, and publishes it again
when none comes, makes delivery end to end: at least once to the hub's COMMIT, and exactly
once in the database because the event id is the key.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from protocol._base import WireModel


class CommitReceipt(WireModel):
    v: int = Field(default=1, ge=1, le=1)
    ids: list[UUID] = Field(min_length=1, max_length=10_000, description="events stored or dead-lettered")
