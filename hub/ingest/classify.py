"""Turn one MQTT message into what ingest will store: an event, telemetry, a status, or a reject.

Pure functions with no I/O, so every rule about what the hub accepts is in one place and
testable without a broker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from protocol import DeviceStatus, InvalidEvent, Telemetry, parse_device_topic, parse_event

#: earlier than this is a device clock that was never set, not a real event
EARLIEST_TS = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Reject:
    topic: str
    device_id: str | None
    reason: str
    detail: str
    payload: bytes


@dataclass(frozen=True)
class AcceptedEvent:
    event: Any  # one of protocol's event models

    @property
    def device_id(self) -> str:
        return str(self.event.device_id)


@dataclass(frozen=True)
class AcceptedTelemetry:
    telemetry: Telemetry

    @property
    def device_id(self) -> str:
        return self.telemetry.device_id


@dataclass(frozen=True)
class AcceptedStatus:
    device_id: str
    status: DeviceStatus


Classified = AcceptedEvent | AcceptedTelemetry | AcceptedStatus | Reject


def _first_error(exc: ValidationError) -> str:
    item = exc.errors()[0]
    return f"{'.'.join(str(p) for p in item['loc']) or '(root)'}: {item['msg']}"


def classify(
    topic: str,
    payload: bytes,
    known_devices: set[str] | None,
    now: datetime,
    max_future: timedelta,
) -> Classified:
    """Decide what a message is. `known_devices=None` skips the registry check."""
    try:
        device_id, channel = parse_device_topic(topic)
    except ValueError as exc:
        return Reject(topic, None, "bad_topic", str(exc), payload)
    if known_devices is not None and device_id not in known_devices:
        return Reject(topic, device_id, "unknown_device", f"device {device_id!r} is not registered", payload)

    if channel == "events":
        try:
            event = parse_event(payload)
        except InvalidEvent as exc:
            return Reject(topic, device_id, exc.reason, exc.detail, payload)
        if event.device_id != device_id:
            return Reject(
                topic,
                device_id,
                "device_mismatch",
                f"payload device_id {event.device_id!r} differs from topic device {device_id!r}",
                payload,
            )
        if event.ts > now + max_future:
            return Reject(
                topic, device_id, "ts_in_future", f"ts {event.ts.isoformat()} is ahead of the hub clock", payload
            )
        if event.ts < EARLIEST_TS:
            return Reject(
                topic, device_id, "ts_too_old", f"ts {event.ts.isoformat()} is before {EARLIEST_TS.date()}", payload
            )
        return AcceptedEvent(event)

    if channel in ("telemetry", "status"):
        try:
            obj = json.loads(payload)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return Reject(topic, device_id, "not_json", str(exc), payload)
        try:
            if channel == "telemetry":
                telemetry = Telemetry.model_validate(obj)
                if telemetry.device_id != device_id:
                    return Reject(
                        topic,
                        device_id,
                        "device_mismatch",
                        f"payload device_id {telemetry.device_id!r} differs from topic",
                        payload,
                    )
                if telemetry.ts > now + max_future or telemetry.ts < EARLIEST_TS:
                    return Reject(topic, device_id, "ts_out_of_range", f"ts {telemetry.ts.isoformat()}", payload)
                return AcceptedTelemetry(telemetry)
            return AcceptedStatus(device_id, DeviceStatus.model_validate(obj))
        except ValidationError as exc:
            return Reject(topic, device_id, "schema", _first_error(exc), payload)

    return Reject(topic, device_id, "unexpected_channel", f"the hub does not ingest '{channel}'", payload)
