"""Desired device configuration, published retained by the hub.

The device applies it and reports the `version` it runs in its telemetry, so the hub can see
which devices lag behind.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from protocol._base import UtcTimestamp, WireModel


class DeviceConfig(WireModel):
    v: int = Field(default=1, ge=1, le=1)
    version: int = Field(ge=0, description="monotonic config version")
    issued_at: UtcTimestamp
    telemetry_interval_s: float = Field(default=30.0, gt=0, le=3600)
    model_pack: str | None = Field(default=None, max_length=64)
    gallery_version: str | None = Field(default=None, max_length=64)
    display_room: str | None = Field(default=None, max_length=64)
    capabilities: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="per capability settings, e.g. faceid thresholds"
    )
