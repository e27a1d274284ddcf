"""Retained online/offline status; the offline form is also the device's MQTT Last Will."""

from __future__ import annotations

from pydantic import Field

from protocol._base import UtcTimestamp, WireModel


class DeviceStatus(WireModel):
    online: bool
    ts: UtcTimestamp
    software_version: str | None = Field(default=None, max_length=64)
    capabilities: list[str] = Field(default_factory=list, max_length=16)
    reason: str | None = Field(default=None, max_length=64, description="e.g. 'last-will', 'shutdown'")
