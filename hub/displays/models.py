"""What the display publisher needs to know of a room, and how it is kept fresh.

`DisplaySchedule` is a room around a moment: its name, the meeting on (if any) with its live parts (the
chair's current item, the floor, the vote results shown, the check-in QR) and the next meeting. The meetings
service's `room_schedule(room_id, around)` answers it in its own records; hub.displays.source turns those into
this (None: no such room). The meetings service calls `DisplaysService.notify_room_changed(room_id)` after each
change a display shows, once committed (`MeetingsService.on_room_change`, wired in HubServices). The clock
passing a start or an end needs no call: the publisher republishes at each state's `valid_until`.

The parts are the wire's own models (protocol.display), so nothing is translated twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.domain import NotFound
from protocol.display import (
    STARTING_SOON_MIN,
    AgendaItemShown,
    CheckinShown,
    MeetingShown,
    SpeakerShown,
    VoteShown,
)


@dataclass(frozen=True, slots=True)
class DisplaySchedule:
    """One room around a moment, as the meetings service knows it."""

    room_id: str
    room_name: str
    current: MeetingShown | None = None  # on at `around`: start <= around < end
    next: MeetingShown | None = None  # the first to start after `around` (after `current`)
    agenda_item: AgendaItemShown | None = None  # of `current`
    speaker: SpeakerShown | None = None
    vote: VoteShown | None = None  # only once the chair shows its results
    checkin: CheckinShown | None = None


#: the meetings service's answer for a room around a moment (None: no such room)
ScheduleSource = Callable[[str, datetime], DisplaySchedule | None]
#: every room a display may show (the tick and a full refresh go over them)
RoomsSource = Callable[[], Iterable[str]]


class RetainedPublisher:
    """What the service publishes through (hub.devices.config_publisher.MqttConfigPublisher has this shape)."""

    @property
    def connected(self) -> bool:  # pragma: no cover - a protocol
        raise NotImplementedError

    def publish_retained(self, topic: str, payload: bytes) -> bool:  # pragma: no cover - a protocol
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class DisplayConfig:
    """How the states are made and kept fresh ([displays] in the hub's settings, when there is one)."""

    starting_soon: timedelta = timedelta(minutes=STARTING_SOON_MIN)
    tick_s: float = 5.0  # the longest the worker sleeps: a start or end is published within this
    refresh_s: float = 300.0  # every room recomputed this often (a change nobody notified)


class UnknownRoom(NotFound):
    def __init__(self, room_id: str) -> None:
        super().__init__(vi=f"Không có phòng họp {room_id}", en=f"No meeting room {room_id}")
