"""The meetings service's answers (hub.meetings) as the displays read them.

`MeetingsService.room_schedule(room_id, around)` gives the room and its `ScheduleEntry`s (booking, meeting,
chair, the chair's current item and speaker); this turns them into a `DisplaySchedule` of the wire's models.
A booking with no meeting yet is shown by its booking's title; its id on the wire is `b<booking id>` (a
meeting's is `m<meeting id>`), so a display can tell a booking turned meeting from another booking. A meeting
on now carries its check-in QR: the address of the hub's check-in page with the meeting's signed token
(hub.meetings.checkin_link).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from hub.displays.models import DisplaySchedule, ScheduleSource
from hub.meetings.models import MeetingNotFound
from protocol.display import AgendaItemShown, CheckinShown, MeetingShown, SpeakerShown

if TYPE_CHECKING:
    from hub.meetings.models import RoomSchedule, ScheduleEntry
    from hub.meetings.service import MeetingsService


def _clip(text: str | None, limit: int) -> str | None:
    text = " ".join((text or "").split())
    return text[: limit - 1] + "…" if len(text) > limit else (text or None)


def meeting_shown(entry: ScheduleEntry) -> MeetingShown:
    return MeetingShown(
        meeting_id=f"m{entry.meeting_id}" if entry.meeting_id is not None else f"b{entry.booking_id}",
        title=_clip(entry.title, 300) or "—",
        start=entry.starts_at,
        end=entry.ends_at,
        chair=_clip(entry.chair, 200),
    )


def display_schedule(schedule: RoomSchedule, checkin_url: Callable[[int], str] | None = None) -> DisplaySchedule:
    """A room's schedule from the meetings service, as the displays show it; with `checkin_url` (a meeting's id to
    its check-in page's address) the meeting on now carries the QR a participant scans to check in."""
    current = schedule.current
    item = _clip(current.current_item, 300) if current is not None else None
    speaker = _clip(current.current_speaker, 200) if current is not None else None
    return DisplaySchedule(
        room_id=schedule.room.room_id,
        room_name=_clip(schedule.room.name, 200) or schedule.room.room_id,
        current=meeting_shown(current) if current is not None else None,
        next=meeting_shown(schedule.next) if schedule.next is not None else None,
        agenda_item=AgendaItemShown(title=item) if item else None,
        speaker=SpeakerShown(name=speaker, since=current.speaker_since, until=current.speaker_until)
        if speaker and current is not None
        else None,
        checkin=CheckinShown(payload=checkin_url(current.meeting_id), valid_until=current.ends_at)
        if checkin_url is not None and current is not None and current.meeting_id is not None
        else None,
    )


def meetings_schedule(meetings: MeetingsService) -> ScheduleSource:
    """`room_schedule` of the meetings service as the displays' source (None: no such room)."""

    def schedule(room_id: str, around: datetime) -> DisplaySchedule | None:
        try:
            return display_schedule(meetings.room_schedule(room_id, around), meetings.checkin_url)
        except MeetingNotFound:
            return None

    return schedule
