"""The event envelope and the data of each event type.

An event is something that happened at a device (a face recognised, a tag read). Its `id`
is the idempotency key the hub deduplicates on, so a replayed event is stored once.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, TypeAdapter, ValidationError, field_validator, model_validator

from protocol._base import DeviceId, UtcTimestamp, WireModel

#: a snapshot is a small JPEG for audit and review, not a photo archive
MAX_SNAPSHOT_BYTES = 256 * 1024


def _check_snapshot(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("snapshot must be base64") from exc
    if len(raw) > MAX_SNAPSHOT_BYTES:
        raise ValueError(f"snapshot is {len(raw)} bytes; at most {MAX_SNAPSHOT_BYTES}")
    if not raw.startswith(b"\xff\xd8"):
        raise ValueError("snapshot must be a JPEG")
    return value


PersonId = Annotated[str, Field(min_length=1, max_length=64)]
Direction = Literal["in", "out"]


class AttendanceFaceData(WireModel):
    """A person recognised at a door (chấm công bằng khuôn mặt)."""

    person_id: PersonId
    score: float = Field(ge=-1.0, le=1.0, description="cosine similarity of the decision")
    liveness: float | None = Field(default=None, ge=0.0, le=1.0)
    model: str = Field(min_length=1, max_length=64, description="model pack id")
    snapshot: str | None = Field(default=None, description="small JPEG, base64")
    direction: Direction | None = None

    _snapshot = field_validator("snapshot")(_check_snapshot)


class FaceUnknownData(WireModel):
    """A face seen but not recognised: for review, never an attendance record."""

    score: float | None = Field(default=None, ge=-1.0, le=1.0, description="best (rejected) similarity")
    liveness: float | None = Field(default=None, ge=0.0, le=1.0)
    model: str = Field(min_length=1, max_length=64)
    snapshot: str | None = None
    direction: Direction | None = None

    _snapshot = field_validator("snapshot")(_check_snapshot)


Epc = Annotated[str, Field(pattern=r"^[0-9A-Fa-f]{4,124}$", description="EPC, hex")]


#: a zone or reader name: what an admin configured (a room code, "cua-chinh-trong"); no spaces or controls
ZoneCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]


class RfidReadData(WireModel):
    """A tag seen by a reader antenna, aggregated over a short window.

    The reads of one (EPC, antenna) are counted into one event: `count` reads between `first_seen` and
    `last_seen`, `rssi` the strongest of them. Two events of the same tag never cover the same read, so
    summing `count` over events gives the reads. Added in v1 (optional, so older agents stay valid):
    `zone` (where the antenna reads, from the device's config), `reader` (which reader of the device),
    `zone_first_seen` (when the tag was first seen in this zone in its current stay: the agent forgets
    a tag after it has not been read there for a while).
    """

    epc: Epc
    antenna: int = Field(ge=0, le=64)
    rssi: float | None = Field(default=None, ge=-128.0, le=20.0)
    count: int = Field(default=1, ge=1, le=1_000_000)
    first_seen: UtcTimestamp
    last_seen: UtcTimestamp
    scheme: str | None = Field(default=None, max_length=32)
    uri: str | None = Field(default=None, max_length=256)
    zone: ZoneCode | None = None
    reader: ZoneCode | None = None
    zone_first_seen: UtcTimestamp | None = None

    @model_validator(mode="after")
    def _ordered(self) -> RfidReadData:
        if self.last_seen < self.first_seen:
            raise ValueError("last_seen is before first_seen")
        if self.zone_first_seen is not None and self.zone_first_seen > self.first_seen:
            raise ValueError("zone_first_seen is after first_seen")
        return self


class InventoryTag(WireModel):
    epc: Epc
    count: int = Field(default=1, ge=1)
    rssi: float | None = Field(default=None, ge=-128.0, le=20.0)


class RfidInventoryData(WireModel):
    """The result of walking a room with a handheld (phiên kiểm kê)."""

    session_id: str = Field(min_length=1, max_length=64)
    location: str | None = Field(default=None, max_length=128)
    started: UtcTimestamp
    ended: UtcTimestamp
    tags: list[InventoryTag] = Field(max_length=20_000)


class MeetingCheckinData(WireModel):
    """A participant checked in at a meeting-room display."""

    meeting_id: str = Field(min_length=1, max_length=64)
    person_id: PersonId
    method: Literal["face", "qr", "rfid", "manual"]


class _Envelope(WireModel):
    v: Literal[1] = 1
    id: UUID
    device_id: DeviceId
    ts: UtcTimestamp
    seq: int = Field(ge=0)


class AttendanceFaceEvent(_Envelope):
    type: Literal["attendance.face"] = "attendance.face"
    data: AttendanceFaceData


class FaceUnknownEvent(_Envelope):
    type: Literal["face.unknown"] = "face.unknown"
    data: FaceUnknownData


class RfidReadEvent(_Envelope):
    type: Literal["rfid.read"] = "rfid.read"
    data: RfidReadData


class RfidInventoryEvent(_Envelope):
    type: Literal["rfid.inventory"] = "rfid.inventory"
    data: RfidInventoryData


class MeetingCheckinEvent(_Envelope):
    type: Literal["meeting.checkin"] = "meeting.checkin"
    data: MeetingCheckinData


EventEnvelope = Annotated[
    AttendanceFaceEvent | FaceUnknownEvent | RfidReadEvent | RfidInventoryEvent | MeetingCheckinEvent,
    Field(discriminator="type"),
]
EVENT_MODELS: dict[str, type[_Envelope]] = {
    "attendance.face": AttendanceFaceEvent,
    "face.unknown": FaceUnknownEvent,
    "rfid.read": RfidReadEvent,
    "rfid.inventory": RfidInventoryEvent,
    "meeting.checkin": MeetingCheckinEvent,
}
EVENT_TYPES = tuple(EVENT_MODELS)
_EVENT_ADAPTER: TypeAdapter[Any] = TypeAdapter(EventEnvelope)

#: event types whose loss is never acceptable (the outbox never drops them)
DURABLE_EVENT_TYPES = frozenset(EVENT_TYPES)


class InvalidEvent(ValueError):
    """A payload that is not a valid v1 event; `reason` is a short stable code for dead-lettering."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "(root)"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def parse_event(
    payload: bytes | str,
) -> AttendanceFaceEvent | FaceUnknownEvent | RfidReadEvent | RfidInventoryEvent | MeetingCheckinEvent:
    """Validate a raw payload into an event, or raise InvalidEvent with a reason code.

    Reason codes: `not_json`, `not_object`, `unsupported_version`, `unknown_type`, `schema`.
    """
    try:
        obj = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEvent("not_json", str(exc)) from exc
    if not isinstance(obj, dict):
        raise InvalidEvent("not_object", f"expected a JSON object, got {type(obj).__name__}")
    if obj.get("v") != 1:
        raise InvalidEvent("unsupported_version", f"v={obj.get('v')!r}; this hub speaks v1")
    if obj.get("type") not in EVENT_MODELS:
        raise InvalidEvent("unknown_type", f"type={obj.get('type')!r}; known: {', '.join(EVENT_TYPES)}")
    try:
        return _EVENT_ADAPTER.validate_python(obj)
    except ValidationError as exc:
        raise InvalidEvent("schema", _describe(exc)) from exc


def event_json_schema() -> dict[str, Any]:
    return _EVENT_ADAPTER.json_schema()
