"""Heartbeat and metrics (QoS 0): losing one is harmless, the next one supersedes it."""

from __future__ import annotations

from pydantic import Field

from protocol._base import DeviceId, UtcTimestamp, WireModel

MetricValue = float | int | str | bool | None


class Telemetry(WireModel):
    v: int = Field(default=1, ge=1, le=1)
    device_id: DeviceId
    ts: UtcTimestamp
    uptime_s: float = Field(ge=0)
    software_version: str = Field(max_length=64)
    outbox_pending: int = Field(ge=0, description="events written but not yet acknowledged")
    outbox_bytes: int = Field(ge=0)
    telemetry_dropped: int = Field(default=0, ge=0, description="telemetry dropped by the outbox budget")
    metrics: dict[str, MetricValue] = Field(default_factory=dict, max_length=200)
