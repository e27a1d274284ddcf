"""What the tablet page reads and writes (issue 17 item 3) on the real PostgreSQL: one's own private notes per item
(nobody else reads them: not the chair, not the hub's administrator), the restricted paper left out of a member's
view, one's place in the speakers' queue, and the votes one has cast (a second ballot refused)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.meetings.models import MeetingConflict, MeetingError, MeetingNotFound
from hub.meetings.service import MeetingsService
from tests.hub.meetings.tablet_world import ACTOR, PUBLIC_PAPER, SECRET_PAPER, SETUP, make_meeting, person


@pytest.fixture
def svc(database_url: str) -> MeetingsService:
    pool = open_pool(database_url, max_size=2, name="cces-tablet-test")
    yield MeetingsService(pool, lambda: datetime.now(UTC))
    pool.close()


def test_private_notes_are_the_participant_s_own(svc: MeetingsService, org: psycopg.Connection, tmp_path: Path) -> None:
    world = make_meeting(svc, org, tmp_path, datetime.now(UTC))
    member, chair = person(org, "NV003"), person(org, "NV002")
    first, second, _ = world.item_ids
    assert svc.save_note(member, world.meeting_id, first, "  Hỏi lại số liệu thu nộp ngân sách  ") == (
        "Hỏi lại số liệu thu nộp ngân sách"
    )
    svc.save_note(member, world.meeting_id, second, "Đề nghị bổ sung")
    svc.save_note(chair, world.meeting_id, first, "Ghi chú của chủ trì")
    assert svc.tablet_view(member, world.meeting_id).notes == {
        first: "Hỏi lại số liệu thu nộp ngân sách", second: "Đề nghị bổ sung"}  # fmt: skip
    assert svc.tablet_view(chair, world.meeting_id).notes == {first: "Ghi chú của chủ trì"}
    assert svc.tablet_view(SETUP, world.meeting_id).notes == {}  # the administrator follows, reads no one's notes
    svc.save_note(member, world.meeting_id, second, "   ")  # blank: deleted
    assert svc.tablet_view(member, world.meeting_id).notes == {first: "Hỏi lại số liệu thu nộp ngân sách"}
    with pytest.raises(MeetingError):
        svc.save_note(member, world.meeting_id, first, "x" * 10_001)
    with pytest.raises(MeetingNotFound):
        svc.save_note(member, world.meeting_id, 999_999, "không có nội dung này")
    with pytest.raises(MeetingConflict):
        svc.save_note(SETUP, world.meeting_id, first, "không dự họp")
    stranger = Principal(0, "nguoi-ngoai", "Người ngoài", None, None, ())
    with pytest.raises(AccessDenied):
        svc.tablet_view(stranger, world.meeting_id)
    assert org.execute("SELECT count(*) FROM meeting_notes").fetchone() == (2,)


def test_the_tablet_view_of_a_member_and_of_the_chair(
    svc: MeetingsService, org: psycopg.Connection, tmp_path: Path
) -> None:
    world = make_meeting(svc, org, tmp_path, datetime.now(UTC))
    member, chair = person(org, "NV003"), person(org, "NV002")
    seen = svc.tablet_view(member, world.meeting_id)
    assert [p.title for p in seen.detail.papers] == [PUBLIC_PAPER]  # the restricted one is not listed
    assert seen.chairing is False and seen.place_in_queue() is None and seen.open_vote is None
    chair_view = svc.tablet_view(chair, world.meeting_id)
    assert {p.title for p in chair_view.detail.papers} == {PUBLIC_PAPER, SECRET_PAPER} and chair_view.chairing

    svc.set_status(chair, ACTOR, world.meeting_id, "in_progress")
    svc.set_current_item(chair, ACTOR, world.meeting_id, world.item_ids[1])
    svc.ask_floor(person(org, "NV001"), world.meeting_id)
    svc.ask_floor(member, world.meeting_id)
    seen = svc.tablet_view(member, world.meeting_id)
    assert seen.detail.meeting.current_item_id == world.item_ids[1] and seen.place_in_queue() == 2
    first = seen.speakers[0]["id"]
    svc.give_floor(chair, ACTOR, world.meeting_id, first)
    assert svc.tablet_view(member, world.meeting_id).place_in_queue() == 1
    mine = next(s["id"] for s in svc.speakers(member, world.meeting_id) if s["name"] == "Lê Minh Đạt")
    svc.give_floor(chair, ACTOR, world.meeting_id, mine)
    assert svc.tablet_view(member, world.meeting_id).place_in_queue() == 0

    vote = svc.open_vote(chair, ACTOR, world.meeting_id, "Thông qua kế hoạch", secret=True)
    with pytest.raises(MeetingConflict):  # not checked in yet
        svc.cast_vote(member, world.meeting_id, vote.id, "for")
    pid = next(p.id for p in seen.detail.participants if p.employee_code == "NV003")
    svc.mark_attendance(chair, ACTOR, world.meeting_id, pid)
    svc.cast_vote(member, world.meeting_id, vote.id, "for")
    seen = svc.tablet_view(member, world.meeting_id)
    assert seen.open_vote is not None and seen.voted == frozenset({vote.id}) and seen.open_vote.counts is None
    assert svc.tablet_view(chair, world.meeting_id).voted == frozenset()
    with pytest.raises(MeetingConflict):
        svc.cast_vote(member, world.meeting_id, vote.id, "against")
