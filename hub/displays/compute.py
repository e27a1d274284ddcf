"""From a room's schedule at a moment to the state its displays show (pure: no database, no broker)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub.displays.models import DisplaySchedule
from protocol.display import RoomColour, RoomDisplayState


def display_state(room_id: str, schedule: DisplaySchedule | None, now: datetime, soon: timedelta) -> RoomDisplayState:
    """The state at `now`: the colour, the meeting on and the next, the live parts of the one on, and
    `valid_until` — the first moment the clock alone changes it (an end, a start, the "starting soon" mark).

    `schedule` None (no meetings module, or a room it does not know yet): a free room named by its id."""
    if schedule is None:
        return RoomDisplayState(room_id=room_id, room_name=room_id, colour="free", updated_at=now)
    current, following = schedule.current, schedule.next
    if current is not None and now < current.start:  # (asked a moment before it started)
        if following is None or current.start <= following.start:
            following = current
        current = None
    if current is not None and current.end <= now:
        current = None  # (asked a moment after it ended)
    if following is not None and following.end <= now:
        following = None
    if current is None and following is not None and following.start <= now:
        current, following = following, None  # it started meanwhile
    colour: RoomColour
    if current is not None:
        colour, valid_until = "busy", current.end
        if following is not None and following.start < current.end:
            valid_until = following.start  # (overlapping bookings: the next one takes over at its start)
    elif following is not None and following.start - soon <= now:
        colour, valid_until = "starting_soon", following.start
    else:
        colour = "free"
        valid_until = following.start - soon if following is not None else None
    live = current is not None
    return RoomDisplayState(
        room_id=room_id,
        room_name=schedule.room_name or room_id,
        colour=colour,
        now=current,
        next=following,
        agenda_item=schedule.agenda_item if live else None,
        speaker=schedule.speaker if live else None,
        vote=schedule.vote if live else None,
        checkin=schedule.checkin,
        updated_at=now,
        valid_until=valid_until,
    )


def same_content(a: RoomDisplayState | None, b: RoomDisplayState | None) -> bool:
    """Equal but for `updated_at`: nothing a display would draw differently (publishing it again is noise)."""
    if a is None or b is None:
        return a is b
    return a.model_copy(update={"updated_at": b.updated_at}) == b
