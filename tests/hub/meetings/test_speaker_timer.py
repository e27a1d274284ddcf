"""A timer per speaker (issue 17 item 3) on the real PostgreSQL: the floor the chair gives has a limit — the chair's
choice (1–60 minutes) or [meetings] speaker_minutes — counted from the stored moment it was given; the chair adds
minutes or ends the floor; the room's display state carries the speaker with `since` and `until`, and the tablet
view's queue the limit. Nobody else changes the timer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from pydantic import ValidationError

from hub.accounts.models import AccessDenied
from hub.db import open_pool
from hub.displays.compute import display_state
from hub.displays.source import display_schedule
from hub.meetings.models import MeetingConflict, MeetingError
from hub.meetings.service import MeetingsService
from hub.settings.modules import MeetingsSettings
from tests.hub.api.conftest import Api
from tests.hub.meetings.tablet_world import ACTOR, make_meeting, person


class Clock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(database_url: str, clock: Clock) -> MeetingsService:
    pool = open_pool(database_url, max_size=2, name="cces-timer-test")
    yield MeetingsService(pool, clock)
    pool.close()


def _state(svc: MeetingsService, at: datetime):  # noqa: ANN202
    return display_state("phong-hop-2", display_schedule(svc.room_schedule("phong-hop-2", at)), at, timedelta(0))


def test_the_floor_has_a_time_the_chair_sets_extends_and_ends(
    svc: MeetingsService, clock: Clock, org: psycopg.Connection, tmp_path: Path
) -> None:
    world = make_meeting(svc, org, tmp_path, clock())
    mid = world.meeting_id
    chair, member, secretary = person(org, "NV002"), person(org, "NV003"), person(org, "NV001")
    svc.set_status(chair, ACTOR, mid, "in_progress")
    svc.ask_floor(member, mid)
    svc.ask_floor(secretary, mid)
    first, second = (s["id"] for s in svc.speakers(chair, mid))

    given = clock()
    queue = svc.give_floor(chair, ACTOR, mid, first)  # the default: [meetings] speaker_minutes, 3
    assert (queue[0]["id"], queue[0]["speaking_at"], queue[0]["limit_minutes"]) == (first, given, 3)
    state = _state(svc, given + timedelta(seconds=30))
    assert state.speaker is not None and state.speaker.name == "Lê Minh Đạt"
    assert (state.speaker.since, state.speaker.until) == (given, given + timedelta(minutes=3))
    assert svc.tablet_view(member, mid).speakers[0]["limit_minutes"] == 3

    clock.at += timedelta(minutes=1)
    svc.extend_floor(secretary, ACTOR, mid, 2)  # the secretary chairs too
    assert _state(svc, clock()).speaker.until == given + timedelta(minutes=5)  # from the stored start
    with pytest.raises(AccessDenied):
        svc.extend_floor(member, ACTOR, mid, 5)
    with pytest.raises(MeetingError):
        svc.extend_floor(chair, ACTOR, mid, 61)
    for _ in range(3):
        svc.extend_floor(chair, ACTOR, mid, 60)
    with pytest.raises(MeetingConflict):  # 5 + 180 + 60 > 240 minutes in one turn
        svc.extend_floor(chair, ACTOR, mid, 60)
    assert svc.speakers(chair, mid)[0]["limit_minutes"] == 185

    with pytest.raises(MeetingError):  # refused before anything changes: the speaker keeps the floor
        svc.give_floor(chair, ACTOR, mid, second, minutes=0)
    with pytest.raises(MeetingError):
        svc.give_floor(chair, ACTOR, mid, second, minutes=61)
    assert svc.speakers(chair, mid)[0]["id"] == first
    with pytest.raises(AccessDenied):
        svc.give_floor(member, ACTOR, mid, second, minutes=10)

    clock.at += timedelta(minutes=1)
    svc.give_floor(chair, ACTOR, mid, second, minutes=10)
    state = _state(svc, clock())
    assert (state.speaker.name, state.speaker.until) == ("Nguyễn Văn Đức", clock() + timedelta(minutes=10))

    svc.end_floor(chair, ACTOR, mid)
    assert svc.speakers(chair, mid) == [] and _state(svc, clock()).speaker is None
    with pytest.raises(MeetingConflict):
        svc.extend_floor(chair, ACTOR, mid, 1)

    svc.speaker_minutes = 7  # what the [meetings] setting gives the service (hub.meetings.jobs)
    svc.ask_floor(member, mid)
    svc.give_floor(chair, ACTOR, mid, svc.speakers(chair, mid)[0]["id"])
    assert svc.speakers(chair, mid)[0]["limit_minutes"] == 7

    floors = org.execute("SELECT after FROM audit_log WHERE action = 'meeting.floor' ORDER BY id").fetchall()
    assert [r[0]["minutes"] for r in floors] == [3, 10, None, 7]
    extended = org.execute("SELECT after FROM audit_log WHERE action = 'meeting.floor_extend' ORDER BY id").fetchall()
    assert [r[0]["limit_minutes"] for r in extended] == [5, 65, 125, 185]


def test_the_default_time_is_a_setting_of_1_to_60_minutes() -> None:
    assert MeetingsSettings().speaker_minutes == 3
    assert MeetingsSettings(speaker_minutes=60).speaker_minutes == 60
    for bad in (0, 61):
        with pytest.raises(ValidationError):
            MeetingsSettings(speaker_minutes=bad)


def test_the_timer_over_the_api(api: Api, conn: psycopg.Connection, tmp_path: Path) -> None:
    world = make_meeting(api.services.meetings, conn, tmp_path, datetime.now(UTC))
    mid = world.meeting_id
    chair, member = api.client_as("lan", employee="NV002"), api.client_as("dat", employee="NV003")
    assert chair.post(f"/api/v1/meetings/{mid}/status", json={"status": "in_progress"}).status_code == 200
    speaker = member.post(f"/api/v1/meetings/{mid}/speakers").json()[0]["id"]
    assert chair.put(f"/api/v1/meetings/{mid}/floor", json={"speaker_id": speaker, "minutes": 61}).status_code == 422
    given = chair.put(f"/api/v1/meetings/{mid}/floor", json={"speaker_id": speaker, "minutes": 7})
    assert given.status_code == 200 and given.json()[0]["limit_minutes"] == 7
    assert member.post(f"/api/v1/meetings/{mid}/floor/extend", json={"minutes": 2}).status_code == 403
    assert chair.post(f"/api/v1/meetings/{mid}/floor/extend", json={"minutes": 0}).status_code == 422
    more = chair.post(f"/api/v1/meetings/{mid}/floor/extend", json={"minutes": 2})
    assert more.status_code == 200 and more.json()[0]["limit_minutes"] == 9
    shown = chair.get("/api/v1/rooms/phong-hop-2/display").json()
    assert shown["speaker"]["name"] == "Lê Minh Đạt"
    since = datetime.fromisoformat(shown["speaker"]["since"].replace("Z", "+00:00"))
    until = datetime.fromisoformat(shown["speaker"]["until"].replace("Z", "+00:00"))
    assert until - since == timedelta(minutes=9)
    assert chair.put(f"/api/v1/meetings/{mid}/floor", json={"speaker_id": None}).status_code == 200
    assert "speaker" not in chair.get("/api/v1/rooms/phong-hop-2/display").json() or (
        chair.get("/api/v1/rooms/phong-hop-2/display").json()["speaker"] is None
    )
