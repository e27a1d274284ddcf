"""The wire contract: topics, envelope validation, JSON Schema export."""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from protocol import EVENT_TYPES, InvalidEvent, Topics, parse_device_topic, parse_event
from protocol.broker_url import BrokerAddress
from protocol.schema import all_schemas


def envelope(**overrides: object) -> dict[str, object]:
    event: dict[str, object] = {
        "v": 1,
        "id": str(uuid.uuid4()),
        "device_id": "door-hq-01",
        "type": "attendance.face",
        "ts": "2026-11-23T08:01:02.345Z",
        "seq": 1042,
        "data": {"person_id": "nv-0001", "score": 0.62, "liveness": None, "model": "yunet-sface"},
    }
    event.update(overrides)
    return event


def test_topics_of_a_device() -> None:
    t = Topics("door-hq-01")
    assert t.events == "cces/v1/devices/door-hq-01/events"
    assert t.status == "cces/v1/devices/door-hq-01/status"
    assert Topics.shared(Topics.all_events()) == "$share/cces-hub/cces/v1/devices/+/events"
    assert Topics.room_display("p-301") == "cces/v1/rooms/p-301/display"
    assert parse_device_topic("cces/v1/devices/door-hq-01/telemetry") == ("door-hq-01", "telemetry")


@pytest.mark.parametrize("device_id", ["AB", "door/01", "door+1", "x" * 65, "door_01", ""])
def test_device_ids_that_could_escape_their_topic_are_refused(device_id: str) -> None:
    with pytest.raises(ValueError):
        Topics(device_id)
    with pytest.raises(ValueError):
        parse_device_topic(f"cces/v1/devices/{device_id}/events")


def test_a_valid_event_round_trips_with_utc_millisecond_timestamps() -> None:
    event = parse_event(json.dumps(envelope(ts="2026-11-23T15:01:02.345+07:00")))
    wire = json.loads(event.model_dump_json())
    assert wire["ts"] == "2026-11-23T08:01:02.345Z"
    assert parse_event(event.model_dump_json()) == event


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "not_json"),
        (b"\xff\xfe", "not_json"),
        (b'"a string"', "not_object"),
        (json.dumps(envelope(v=2)).encode(), "unsupported_version"),
        (json.dumps(envelope(type="door.opened")).encode(), "unknown_type"),
        (json.dumps(envelope(seq=-1)).encode(), "schema"),
        (json.dumps(envelope(ts="2026-11-23T08:01:02")).encode(), "schema"),
        (json.dumps(envelope(extra_field=1)).encode(), "schema"),
        (json.dumps(envelope(data={"person_id": "", "score": 0.5, "model": "m"})).encode(), "schema"),
        (
            json.dumps(
                envelope(
                    data={
                        "person_id": "a",
                        "score": 0.5,
                        "model": "m",
                        "snapshot": base64.b64encode(b"PNG....").decode(),
                    }
                )
            ).encode(),
            "schema",
        ),
    ],
)
def test_invalid_payloads_have_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(payload)
    assert caught.value.reason == reason
    assert caught.value.detail


def test_rfid_read_and_unknown_face_validate() -> None:
    rfid = envelope(
        type="rfid.read",
        data={
            "epc": "3034257BF7194E4000001A85",
            "antenna": 2,
            "rssi": -61.0,
            "count": 3,
            "first_seen": "2026-11-23T08:00:00Z",
            "last_seen": "2026-11-23T08:00:01Z",
            "scheme": "sgtin-96",
        },
    )
    assert parse_event(json.dumps(rfid)).data.antenna == 2
    unknown = envelope(type="face.unknown", data={"score": 0.21, "model": "yunet-sface"})
    assert parse_event(json.dumps(unknown)).type == "face.unknown"


def _rfid(**data: object) -> dict[str, object]:
    base: dict[str, object] = {
        "epc": "3034257BF7194E4000001A85",
        "antenna": 1,
        "count": 2,
        "first_seen": "2026-11-23T08:00:00Z",
        "last_seen": "2026-11-23T08:00:01Z",
    }
    return envelope(type="rfid.read", data={**base, **data})


def test_rfid_read_carries_its_zone_and_reader() -> None:
    event = parse_event(json.dumps(_rfid(zone="p-301", reader="cua-1", zone_first_seen="2026-11-23T07:59:00Z")))
    assert (event.data.zone, event.data.reader) == ("p-301", "cua-1")
    assert parse_event(json.dumps(_rfid())).data.zone is None  # an agent older than the fields


@pytest.mark.parametrize(
    "data",
    [
        {"last_seen": "2026-11-23T07:59:59Z"},  # before first_seen
        {"zone_first_seen": "2026-11-23T08:00:00.5Z"},  # after first_seen
        {"zone": "phòng 301"},  # spaces, non-ASCII
        {"zone": "x" * 65},
        {"reader": ""},
        {"count": 0},
        {"epc": "30G4"},
    ],
)
def test_bad_rfid_reads_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(json.dumps(_rfid(**data)))
    assert caught.value.reason == "schema"


def test_json_schemas_cover_every_message_and_event_type() -> None:
    schemas = all_schemas()
    assert set(schemas["schemas"]) == {
        "event",
        "telemetry",
        "status",
        "config",
        "command",
        "reply",
        "receipt",
        "room_display",
    }
    text = json.dumps(schemas["schemas"]["event"])
    for event_type in EVENT_TYPES:
        assert event_type in text


def test_broker_urls() -> None:
    assert BrokerAddress.parse("mqtts://hub:s3cret@broker.example:8883") == BrokerAddress(
        "broker.example", 8883, True, "hub", "s3cret"
    )
    assert BrokerAddress.parse("mqtt://10.0.0.5").port == 1883
    with pytest.raises(ValueError):
        BrokerAddress.parse("http://x")


def _telemetry(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "v": 1,
        "device_id": "door-hq-01",
        "ts": "2026-11-23T08:01:02.345Z",
        "uptime_s": 12.5,
        "software_version": "0.1.0",
        "outbox_pending": 0,
        "outbox_bytes": 0,
        "metrics": {"faceid.fps": 12.0},
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    "event",
    [
        envelope(data={"person_id": "p-\u0000x", "score": 0.6, "model": "yunet-sface"}),
        envelope(data={"person_id": "nv-0001", "score": 0.6, "model": "yunet\u0000"}),
        envelope(type="meeting.checkin", data={"meeting_id": "m\u00001", "person_id": "nv-0001", "method": "face"}),
    ],
    ids=["person_id", "model", "meeting_id"],
)
def test_an_event_with_a_nul_character_in_any_text_is_refused_at_validation(event: dict[str, object]) -> None:
    with pytest.raises(InvalidEvent) as refused:
        parse_event(json.dumps(event))
    assert refused.value.reason == "schema" and "NUL" in refused.value.detail


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e999"])
def test_an_event_with_a_non_finite_number_is_refused(number: str) -> None:
    raw = json.dumps(envelope()).replace('"score": 0.62', f'"score": {number}')
    assert number in raw
    with pytest.raises(InvalidEvent) as refused:
        parse_event(raw)
    assert refused.value.reason == "schema"


@pytest.mark.parametrize(
    "body",
    [
        _telemetry(software_version="0.1\u0000"),
        _telemetry(metrics={"faceid.model": "yunet\u0000"}),
        _telemetry(metrics={"bad\u0000key": 1}),
        _telemetry(metrics={"faceid.fps": float("inf")}),
        _telemetry(metrics={"faceid.fps": float("nan")}),
        _telemetry(uptime_s=float("inf")),
    ],
    ids=["software_version", "metric_text", "metric_key", "metric_inf", "metric_nan", "uptime_inf"],
)
def test_telemetry_with_nul_or_non_finite_values_is_refused(body: dict[str, object]) -> None:
    from pydantic import ValidationError

    from protocol import Telemetry

    with pytest.raises(ValidationError):
        Telemetry.model_validate(json.loads(json.dumps(body)))


def test_a_status_with_a_nul_in_its_software_version_is_refused() -> None:
    from pydantic import ValidationError

    from protocol import DeviceStatus

    with pytest.raises(ValidationError, match="NUL"):
        DeviceStatus.model_validate({"online": True, "ts": "2026-11-23T08:01:02Z", "software_version": "1\u0000"})
    assert DeviceStatus.model_validate({"online": True, "ts": "2026-11-23T08:01:02Z", "software_version": "1.0"})
