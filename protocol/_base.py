"""Shared building blocks of the wire models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer

from protocol.topics import DEVICE_ID_PATTERN


def format_ts(value: datetime) -> str:
    """UTC, millisecond precision, `Z` suffix: the one timestamp spelling on the wire."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


#: a timezone-aware instant; naive timestamps are refused because a device's local time is ambiguous
UtcTimestamp = Annotated[AwareDatetime, PlainSerializer(format_ts, return_type=str, when_used="json")]
DeviceId = Annotated[str, Field(pattern=DEVICE_ID_PATTERN, description="[a-z0-9-]{3,64}")]


class WireModel(BaseModel):
    """Strict about unknown fields: a typo on the wire is an error, not silently ignored data."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def utc_now() -> datetime:
    return datetime.now(UTC)
