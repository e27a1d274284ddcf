"""A room's display state from its schedule and the clock: colour, now/next, live parts, valid_until."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.displays.compute import display_state, same_content
from hub.displays.models import DisplaySchedule
from protocol.display import AgendaItemShown, CheckinShown, MeetingShown, SpeakerShown, VoteOptionShown, VoteShown

SOON = timedelta(minutes=15)
T8 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


def meeting(mid: str, start: datetime, hours: float = 1.0, **kw: object) -> MeetingShown:
    return MeetingShown(meeting_id=mid, title=f"Họp {mid}", start=start, end=start + timedelta(hours=hours), **kw)


def schedule(**kw: object) -> DisplaySchedule:
    return DisplaySchedule(room_id="p-301", room_name="Phòng họp 301", **kw)  # type: ignore[arg-type]


LIVE = {
    "agenda_item": AgendaItemShown(number="2", title="Báo cáo thu ngân sách"),
    "speaker": SpeakerShown(name="Trần Thị Bình", since=T8),
    "vote": VoteShown(title="Thông qua", options=[VoteOptionShown(label="Tán thành", count=3)], voters=5),
}


def test_a_room_with_no_schedule_is_free_under_its_id() -> None:
    state = display_state("p-9", None, T8, SOON)
    assert (state.room_name, state.colour, state.now, state.next, state.valid_until) == (
        "p-9",
        "free",
        None,
        None,
        None,
    )


def test_free_until_the_starting_soon_mark_then_starting_soon_until_the_start() -> None:
    nxt = meeting("b", T8 + timedelta(hours=2))
    free = display_state("p-301", schedule(next=nxt), T8, SOON)
    assert free.colour == "free" and free.next == nxt and free.valid_until == nxt.start - SOON
    soon = display_state("p-301", schedule(next=nxt), nxt.start - timedelta(minutes=10), SOON)
    assert soon.colour == "starting_soon" and soon.valid_until == nxt.start


def test_busy_during_a_meeting_with_its_live_parts_until_its_end() -> None:
    now_meeting = meeting("a", T8, chair="Nguyễn Văn An")
    nxt = meeting("b", T8 + timedelta(hours=3))
    qr = CheckinShown(payload="https://hub/checkin/a")
    state = display_state(
        "p-301", schedule(current=now_meeting, next=nxt, checkin=qr, **LIVE), T8 + timedelta(minutes=5), SOON
    )
    assert state.colour == "busy" and state.now == now_meeting and state.next == nxt
    assert state.agenda_item == LIVE["agenda_item"] and state.speaker == LIVE["speaker"] and state.vote == LIVE["vote"]
    assert state.checkin == qr and state.valid_until == now_meeting.end
    assert state.room_name == "Phòng họp 301"


def test_a_meeting_asked_about_after_its_end_is_not_shown_nor_its_live_parts() -> None:
    ended = meeting("a", T8)
    state = display_state("p-301", schedule(current=ended, **LIVE), ended.end, SOON)
    assert state.colour == "free" and state.now is None and state.agenda_item is None and state.vote is None


def test_a_next_meeting_that_started_meanwhile_is_the_current_one() -> None:
    started = meeting("b", T8)
    state = display_state("p-301", schedule(next=started), T8 + timedelta(minutes=1), SOON)
    assert state.colour == "busy" and state.now == started and state.next is None


def test_an_overlapping_next_booking_takes_over_at_its_start() -> None:
    a, b = meeting("a", T8, hours=2), meeting("b", T8 + timedelta(hours=1))
    state = display_state("p-301", schedule(current=a, next=b), T8 + timedelta(minutes=1), SOON)
    assert state.valid_until == b.start


def test_same_content_ignores_the_time_of_computing() -> None:
    nxt = meeting("b", T8 + timedelta(hours=2))
    one = display_state("p-301", schedule(next=nxt), T8, SOON)
    two = display_state("p-301", schedule(next=nxt), T8 + timedelta(minutes=1), SOON)
    assert one.updated_at != two.updated_at and same_content(one, two)
    assert not same_content(one, display_state("p-301", schedule(), T8, SOON))
    assert same_content(None, None) and not same_content(one, None)


def test_a_current_meeting_asked_about_before_its_start_is_the_next_one() -> None:
    early = meeting("a", T8 + timedelta(minutes=10))
    state = display_state("p-301", schedule(current=early, **LIVE), T8, SOON)
    assert state.colour == "starting_soon" and state.next == early and state.now is None and state.agenda_item is None
