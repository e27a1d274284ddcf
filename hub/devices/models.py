"""What an admin may change in the device registry, validated before anything is written.

Kinds are the ones `cces provision` issues; door direction is the one the `devices` table allows
("in", "out", or none when one terminal serves both ways — the timekeeping engine then takes the
first and last event of the day). Site and room are free labels, trimmed; an empty one clears it.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class DeviceKind(StrEnum):
    GENERIC = "generic"
    FACEID = "faceid"  # door terminal
    RFID = "rfid"  # reader or door portal
    DISPLAY = "display"  # meeting-room display


class DoorDirection(StrEnum):
    IN = "in"
    OUT = "out"


class DeviceChanges(BaseModel):
    """A partial update: only the fields present change; `null` clears site, room or direction."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: DeviceKind | None = None
    site: str | None = Field(default=None, max_length=128)
    room: str | None = Field(default=None, max_length=128)
    direction: DoorDirection | None = None

    @field_validator("site", "room")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None

    @model_validator(mode="after")
    def _says_something(self) -> DeviceChanges:
        if not self.model_fields_set:
            raise ValueError("nothing to change: give at least one of kind, site, room, direction")
        if "kind" in self.model_fields_set and self.kind is None:
            raise ValueError("kind cannot be cleared; use 'generic'")
        return self

    def columns(self) -> dict[str, str | None]:
        """The registry columns to set, as stored (enum values as text)."""
        values = {name: getattr(self, name) for name in self.model_fields_set}
        return {name: v.value if isinstance(v, StrEnum) else v for name, v in values.items()}
