"""The room display state (`cces/v1/rooms/{room_id}/display`): (de)serialisation and its limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from protocol.display import MAX_VOTE_OPTIONS, RoomDisplayState
from protocol.schema import all_schemas

T0 = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội


def meeting(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "meeting_id": "m-1",
        "title": "Giao ban tuần — Cục Hải quan",
        "start": "2026-12-07T01:00:00Z",
        "end": "2026-12-07T03:00:00Z",
        "chair": "Nguyễn Văn An",
    }
    value.update(overrides)
    return value


def busy(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "v": 1,
        "room_id": "p-301",
        "room_name": "Phòng họp 301",
        "colour": "busy",
        "now": meeting(),
        "next": meeting(meeting_id="m-2", title="Họp hội đồng", start="2026-12-07T07:00:00Z",
                        end="2026-12-07T08:00:00Z", chair=None),
        "agenda_item": {"number": "2", "title": "Báo cáo thu ngân sách", "presenter": "Trần Thị Bình"},
        "speaker": {"name": "Trần Thị Bình", "since": "2026-12-07T01:25:00Z", "until": "2026-12-07T01:35:00Z"},
        "vote": {
            "title": "Thông qua báo cáo",
            "secret": True,
            "options": [{"label": "Tán thành", "count": 9}, {"label": "Không tán thành", "count": 1},
                        {"label": "Không biểu quyết", "count": 1}],
            "voters": 12,
            "quorum_met": True,
            "passed": True,
        },
        "checkin": {"payload": "https://hub.example/m/m-1/checkin?t=abc", "valid_until": "2026-12-07T03:00:00Z"},
        "updated_at": "2026-12-07T01:30:00.123Z",
        "valid_until": "2026-12-07T03:00:00Z",
    }  # fmt: skip
    value.update(overrides)
    return value


def test_a_full_state_round_trips_through_json_with_utc_millisecond_timestamps() -> None:
    state = RoomDisplayState.model_validate_json(json.dumps(busy()))
    text = state.model_dump_json()
    assert RoomDisplayState.model_validate_json(text) == state
    body = json.loads(text)
    assert body["updated_at"] == "2026-12-07T01:30:00.123Z"
    assert body["now"]["start"] == "2026-12-07T01:00:00.000Z"
    assert body["v"] == 1 and body["colour"] == "busy"
    assert state.vote is not None and state.vote.cast == 11
    assert "Nguyễn Văn An" in state.model_dump_json()  # UTF-8 names kept as written


def test_a_free_room_needs_only_its_name_colour_and_time() -> None:
    state = RoomDisplayState(room_id="p-301", room_name="Phòng 301", colour="free", updated_at=T0)
    assert state.now is None and state.next is None and state.valid_until is None
    assert RoomDisplayState.model_validate_json(state.model_dump_json()) == state


def test_starting_soon_names_the_next_meeting() -> None:
    soon = busy(colour="starting_soon", now=None, agenda_item=None, speaker=None, vote=None)
    assert RoomDisplayState.model_validate(soon).next is not None
    with pytest.raises(ValidationError, match="next meeting"):
        RoomDisplayState.model_validate({**soon, "next": None})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"v": 2}, "less than or equal to 1"),
        ({"room_id": "P 301"}, "pattern"),
        ({"room_id": "x" * 65}, "pattern"),
        ({"room_name": ""}, "at least 1"),
        ({"room_name": "x" * 201}, "at most 200"),
        ({"colour": "red"}, "free"),
        ({"colour": "free"}, "is busy"),
        ({"now": None}, "busy room"),
        ({"updated_at": "2026-12-07T01:30:00"}, "timezone"),
        ({"surprise": 1}, "Extra inputs"),
        ({"room_name": "Phòng\x00301"}, "NUL"),
        ({"now": meeting(end="2026-12-07T00:30:00Z")}, "ends after it starts"),
        ({"now": meeting(title="x" * 301)}, "at most 300"),
        ({"now": meeting(meeting_id="")}, "at least 1"),
        ({"speaker": {"name": "A", "since": "2026-12-07T01:25:00Z", "until": "2026-12-07T01:20:00Z"}}, "ends after"),
        ({"agenda_item": {"number": "1" * 17, "title": "t"}}, "at most 16"),
        ({"checkin": {"payload": "x" * 1025}}, "at most 1024"),
        ({"checkin": {"payload": ""}}, "at least 1"),
        ({"next": meeting(meeting_id="m-0", start="2026-12-06T01:00:00Z", end="2026-12-06T02:00:00Z")}, "after the"),
    ],
)
def test_out_of_limits_states_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RoomDisplayState.model_validate_json(json.dumps(busy(**change)))


@pytest.mark.parametrize(
    ("vote", "message"),
    [
        ({"options": []}, "at least 1"),
        ({"options": [{"label": f"{i}", "count": 1} for i in range(MAX_VOTE_OPTIONS + 1)]}, "at most"),
        ({"options": [{"label": "Tán thành", "count": -1}]}, "greater than or equal to 0"),
        ({"options": [{"label": "Tán thành", "count": 1.5}]}, "integer"),
        ({"voters": -1}, "greater than or equal to 0"),
    ],
)  # fmt: skip
def test_vote_results_have_limits(vote: dict[str, Any], message: str) -> None:
    body = busy()
    body["vote"] = {**body["vote"], **vote}
    with pytest.raises(ValidationError, match=message):
        RoomDisplayState.model_validate(body)


def test_a_non_finite_count_is_refused() -> None:
    text = json.dumps(busy()).replace('"count": 9', '"count": Infinity')
    with pytest.raises(ValidationError):
        RoomDisplayState.model_validate_json(text)


def test_agenda_speaker_and_vote_only_during_a_meeting() -> None:
    for field in ("agenda_item", "speaker", "vote"):
        body = busy(colour="free", now=None)
        body.update({f: None for f in ("agenda_item", "speaker", "vote") if f != field})
        with pytest.raises(ValidationError, match="only during a meeting"):
            RoomDisplayState.model_validate(body)


def test_the_newest_state_wins_and_a_state_past_its_validity_is_stale() -> None:
    older = RoomDisplayState.model_validate(busy())
    newer = older.model_copy(update={"updated_at": older.updated_at + timedelta(seconds=1)})
    assert newer.newer_than(older) and not older.newer_than(newer) and newer.newer_than(None)
    other_room = older.model_copy(update={"room_id": "p-302"})
    assert older.newer_than(other_room)  # a display moved to another room takes that room's state
    assert older.valid_until is not None
    assert not older.stale(older.valid_until + timedelta(seconds=30))
    assert older.stale(older.valid_until + timedelta(seconds=61))
    assert not RoomDisplayState(room_id="a", room_name="A", colour="free", updated_at=T0).stale(T0 + timedelta(days=9))


def test_the_json_schema_is_exported_with_the_topic() -> None:
    schemas = all_schemas()
    assert schemas["topics"]["room_display"] == "cces/v1/rooms/{room_id}/display"
    schema = schemas["schemas"]["room_display"]
    assert set(schema["properties"]) >= {"room_name", "colour", "now", "next", "agenda_item", "speaker", "vote"}
    assert schema["additionalProperties"] is False
