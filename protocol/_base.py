"""Shared building blocks of the wire models."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer, model_validator

from protocol.topics import DEVICE_ID_PATTERN


def format_ts(value: datetime) -> str:
    """UTC, millisecond precision, `Z` suffix: the one timestamp spelling on the wire."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


#: a timezone-aware instant; naive timestamps are refused because a device's local time is ambiguous
UtcTimestamp = Annotated[AwareDatetime, PlainSerializer(format_ts, return_type=str, when_used="json")]
DeviceId = Annotated[str, Field(pattern=DEVICE_ID_PATTERN, description="[a-z0-9-]{3,64}")]


def unstorable_value(value: Any, path: str = "") -> str | None:
    """Where `value` holds something no database column can keep, described; None when it is clean.

    A NUL character is refused by PostgreSQL's text and jsonb, and Infinity/NaN (which Python's
    `json` reads from `Infinity`, `NaN` and `1e999`) by jsonb and by any sensible reading of a
    score or a metric. Refusing them here, at validation, dead-letters such a message with its
    reason instead of letting it reach SQL. Walks dicts (keys too), lists and tuples.
    """
    if isinstance(value, str):
        return f"{path or '(root)'}: text contains a NUL character" if "\x00" in value else None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{path or '(root)'}: number is not finite ({value})"
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                return f"{path or '(root)'}: a key contains a NUL character"
            if found := unstorable_value(item, f"{path}.{key}" if path else str(key)):
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if found := unstorable_value(item, f"{path}[{index}]"):
                return found
    return None


class WireModel(BaseModel):
    """Strict about unknown fields: a typo on the wire is an error, not silently ignored data.

    Strict about what cannot be stored too: no NUL character in any text, no non-finite number.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        if isinstance(data, dict) and (problem := unstorable_value(data)):
            raise ValueError(problem)
        return data


def utc_now() -> datetime:
    return datetime.now(UTC)
