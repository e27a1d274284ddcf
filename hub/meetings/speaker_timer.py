"""A timer per speaker (issue 17 item 3): the floor the chair gives (hub.meetings.chairing.give_floor) has a limit
in minutes — the chair's choice, 1–60, by default [meetings] speaker_minutes (3) — counted from when it was given
(`meeting_speakers.speaking_at`, stored). The chair (or the secretary) adds minutes (1–60 at a time, 240 in all)
or ends the floor. The room's display (hub.displays: the speaker with `since` and `until`) and the tablets show who
speaks and the time left; each change is announced to the room like the chair's other actions.

A part of `hub.meetings.service.MeetingsService` (a mixin).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.meetings import repository
from hub.meetings.models import MeetingConflict, MeetingError, bilingual
from hub.meetings.repository import speaking

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

    from hub.meetings.models import Meeting

MAX_FLOOR_MINUTES = 60  # what the chair gives (or adds) at once
MAX_TOTAL_MINUTES = 240  # one turn in all, with what was added


def floor_minutes(minutes: int | None, default: int) -> int:
    """The floor's limit: the chair's choice (1–60) or the default."""
    chosen = default if minutes is None else minutes
    if isinstance(chosen, bool) or not isinstance(chosen, int) or not 1 <= chosen <= MAX_FLOOR_MINUTES:
        raise MeetingError(bilingual(f"thời gian phát biểu: 1–{MAX_FLOOR_MINUTES} phút",
                                     f"speaking time: 1-{MAX_FLOOR_MINUTES} minutes"))  # fmt: skip
    return chosen


class MeetingSpeakerTimer:
    pool: ConnectionPool
    now: Callable[[], datetime]
    speaker_minutes: int
    _changed: Callable[..., None]
    _meeting: Callable[..., Meeting]
    _require_chair: Callable[..., None]
    give_floor: Callable[..., list[dict[str, Any]]]

    def _time_floor(self, conn: psycopg.Connection, meeting_id: int, minutes: int) -> None:
        """Internal (give_floor, in its transaction): the limit of the floor just given."""
        speaking.set_limit(conn, meeting_id, minutes)

    def extend_floor(self, principal: Principal, actor: Actor, meeting_id: int, minutes: int) -> list[dict[str, Any]]:
        """The chair adds minutes to the current speaker's time; the queue (the one speaking first)."""
        minutes = floor_minutes(minutes, self.speaker_minutes)
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            self._require_chair(conn, principal, meeting)
            if not speaking.speaking(conn, meeting_id):
                raise MeetingConflict(bilingual("chưa ai đang phát biểu", "nobody has the floor"))
            limit = speaking.extend(conn, meeting_id, minutes, MAX_TOTAL_MINUTES)
            if limit is None:
                raise MeetingConflict(bilingual(f"một lượt phát biểu tối đa {MAX_TOTAL_MINUTES} phút",
                                                f"one turn lasts at most {MAX_TOTAL_MINUTES} minutes"))  # fmt: skip
            audit.record(conn, actor, "meeting.floor_extend", "meeting", meeting_id,
                         after={"added_minutes": minutes, "limit_minutes": limit},
                         unit_path=meeting.unit_path)  # fmt: skip
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)
            queue = repository.speakers(conn, meeting_id)
        if meeting.room_id:
            self._changed(meeting.room_id)
        return queue

    def end_floor(self, principal: Principal, actor: Actor, meeting_id: int) -> list[dict[str, Any]]:
        """The chair ends the current speaker's turn (nobody has the floor then)."""
        return self.give_floor(principal, actor, meeting_id, None)
