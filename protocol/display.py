"""What a meeting room's display shows: the retained message on `cces/v1/rooms/{room_id}/display`.

The hub publishes one `RoomDisplayState` per room, retained (QoS 1), on every change: a booking,
the chair's action (the current agenda item, the floor, a vote's results), the clock passing a
start or an end. A display that (re)connects gets the room's current state from the broker at
once, with no hub involved; `GET /api/v1/rooms/{room_id}/display` answers the same JSON, and the
hub's room kiosk page draws the same state.

A display may see states out of order (a retained message replayed after a newer live one when it
reconnects): it keeps the one with the latest `updated_at` (`RoomDisplayState.newer_than`).
`valid_until` says until when the state holds by the clock alone (the next start or end the hub
knows of): a display still showing a state past it has lost the hub, and says so.

Texts (room name, titles, names) are as people wrote them; the screen's own words (free, busy,
"starting soon", the notices) are the display's, Vietnamese first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from protocol._base import UtcTimestamp, WireModel
from protocol.topics import ROOM_ID_PATTERN

#: free: no meeting now or soon; busy: a meeting is on; starting_soon: the next one starts within minutes
RoomColour = Literal["free", "busy", "starting_soon"]
ROOM_COLOURS: tuple[RoomColour, ...] = ("free", "busy", "starting_soon")

#: minutes before a start when a free room turns to "starting soon" (the hub's default)
STARTING_SOON_MIN = 15
#: the most vote options a screen shows (yes / no / abstain, or a short election)
MAX_VOTE_OPTIONS = 12

RoomId = Annotated[str, Field(pattern=ROOM_ID_PATTERN, description="[a-z0-9-]{1,64}")]
Text = Annotated[str, Field(min_length=1, max_length=300)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class MeetingShown(WireModel):
    """A meeting as a room's door sign shows it: what, when, who chairs."""

    meeting_id: str = Field(min_length=1, max_length=64)
    title: Text
    start: UtcTimestamp
    end: UtcTimestamp
    chair: Name | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> MeetingShown:
        if self.end <= self.start:
            raise ValueError("a meeting ends after it starts")
        return self


class AgendaItemShown(WireModel):
    """The agenda item under discussion now (the chair moves it)."""

    number: str | None = Field(
        default=None, min_length=1, max_length=16, description="as printed on the agenda: '1', '2.a', 'III'"
    )
    title: Text
    presenter: Name | None = None


class SpeakerShown(WireModel):
    """Who has the floor, since when, and until when (the chair's timer; None: no limit)."""

    name: Name
    since: UtcTimestamp | None = None
    until: UtcTimestamp | None = None

    @model_validator(mode="after")
    def _until_after_since(self) -> SpeakerShown:
        if self.until is not None and self.since is not None and self.until <= self.since:
            raise ValueError("a speaker's time ends after it starts")
        return self


class VoteOptionShown(WireModel):
    label: Annotated[str, Field(min_length=1, max_length=100)]
    count: int = Field(ge=0, le=1_000_000)


class VoteShown(WireModel):
    """A closed vote's results, once the chair shows them on the room's screens (never who voted how)."""

    title: Text
    secret: bool = False
    options: list[VoteOptionShown] = Field(min_length=1, max_length=MAX_VOTE_OPTIONS)
    voters: int = Field(ge=0, le=1_000_000, description="participants entitled to vote")
    quorum_met: bool | None = None
    passed: bool | None = Field(default=None, description="None: the vote decides nothing by itself (an opinion poll)")

    @property
    def cast(self) -> int:
        return sum(option.count for option in self.options)


class CheckinShown(WireModel):
    """The QR a participant scans to check in: its payload (a URL or a signed token), and how long it holds."""

    payload: str = Field(min_length=1, max_length=1024)
    valid_until: UtcTimestamp | None = None


class RoomDisplayState(WireModel):
    """One room's display, as of `updated_at`."""

    v: int = Field(default=1, ge=1, le=1)
    room_id: RoomId
    room_name: Name
    colour: RoomColour
    now: MeetingShown | None = Field(default=None, description="the meeting on now")
    next: MeetingShown | None = Field(default=None, description="the next meeting in this room (today or later)")
    agenda_item: AgendaItemShown | None = None
    speaker: SpeakerShown | None = None
    vote: VoteShown | None = None
    checkin: CheckinShown | None = None
    updated_at: UtcTimestamp
    valid_until: UtcTimestamp | None = Field(
        default=None, description="the state holds until this instant by the clock alone (the next start or end)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> RoomDisplayState:
        if self.colour == "busy" and self.now is None:
            raise ValueError("a busy room has a meeting on now")
        if self.colour != "busy" and self.now is not None:
            raise ValueError("a room with a meeting on now is busy")
        if self.colour == "starting_soon" and self.next is None:
            raise ValueError("a room starting soon has a next meeting")
        if self.now is None and (self.agenda_item or self.speaker or self.vote):
            raise ValueError("agenda item, speaker and vote are shown only during a meeting")
        if self.now is not None and self.next is not None and self.next.start < self.now.start:
            raise ValueError("the next meeting starts after the current one")
        return self

    def newer_than(self, other: RoomDisplayState | None) -> bool:
        """True when this state should replace `other` (None, another room's, or an older one)."""
        return other is None or other.room_id != self.room_id or self.updated_at >= other.updated_at

    def stale(self, at: datetime, grace_s: float = 60.0) -> bool:
        """True when the clock has passed `valid_until` (plus `grace_s`) and no newer state came."""
        return self.valid_until is not None and (at - self.valid_until).total_seconds() > grace_s
