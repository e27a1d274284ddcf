"""Room displays: the state of each room, answered on request and published retained on every change.

`DisplaysService` computes a room's state from the meetings service's `room_schedule` (hub.displays.models)
and the clock (hub.displays.compute). Its publisher thread (`start`/`stop`, run by the hub processes that
serve the API) publishes to `cces/v1/rooms/{room_id}/display`, retained, QoS 1:

- at once after `notify_room_changed(room_id)` — the meetings service calls it after a booking or a chair's
  action committed; it only marks the room and wakes the thread (never blocks the caller on the broker);
  many calls for one room before the thread runs make one publication;
- at each published state's `valid_until` (a meeting's end or start, "starting soon"), checked every `tick_s`;
- for every room (`rooms()`) every `refresh_s`, for a change nobody notified.

A state equal to the last one published but for its time is not published again. A publication that fails
(the broker is down) leaves the room marked; it is tried again on the next round. With several API processes
each publishes what it computes: the same content, so a display sees at most a repeated state.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from hub.access import gate
from hub.accounts.principal import Principal
from hub.displays import access
from hub.displays.compute import display_state, same_content
from hub.displays.models import DisplayConfig, RetainedPublisher, RoomsSource, ScheduleSource, UnknownRoom
from protocol.display import RoomDisplayState
from protocol.topics import Topics, check_room_id

log = logging.getLogger(__name__)

_RETRY_S = 1.0


class DisplaysService:
    def __init__(
        self,
        now: Callable[[], datetime],
        *,
        schedule: ScheduleSource | None = None,
        rooms: RoomsSource | None = None,
        publisher: RetainedPublisher | None = None,
        config: DisplayConfig | None = None,
    ) -> None:
        self._now = now
        self._schedule = schedule
        self._rooms = rooms
        self.publisher = publisher
        self.config = config or DisplayConfig()
        self._cond = threading.Condition()
        self._dirty: set[str] = set()
        self._published: dict[str, RoomDisplayState] = {}  # room -> the last state the broker took
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._refreshed_at = float("-inf")
        self.publications = 0  # states the broker took (figures for /metrics and the bench)
        self.failures = 0

    # -- reading ------------------------------------------------------------------------------------

    def state(self, principal: Principal, room_id: str) -> RoomDisplayState:
        """`GET /api/v1/rooms/{room_id}/display`: the state a display of the room shows now."""
        gate.check(principal, access.VIEW)
        return self.room_state(room_id)

    def room_state(self, room_id: str) -> RoomDisplayState:
        """Internal (the publisher, and the kiosk screen its link authorises): the room's state now.

        Raises UnknownRoom when the meetings service does not know the room (or the id is not a room id)."""
        try:
            check_room_id(room_id)
        except ValueError:
            raise UnknownRoom(room_id[:64]) from None
        now = self._now()
        if self._schedule is None:
            return display_state(room_id, None, now, self.config.starting_soon)
        schedule = self._schedule(room_id, now)
        if schedule is None:
            raise UnknownRoom(room_id)
        return display_state(room_id, schedule, now, self.config.starting_soon)

    def last_published(self, room_id: str) -> RoomDisplayState | None:
        with self._cond:
            return self._published.get(room_id)

    # -- publishing ---------------------------------------------------------------------------------

    def notify_room_changed(self, room_id: str) -> None:
        """Internal, for the meetings service after its change committed: publish the room's state soon."""
        check_room_id(room_id)
        with self._cond:
            self._dirty.add(room_id)
            self._cond.notify()

    def publish_now(self, room_id: str) -> RoomDisplayState | None:
        """Compute and publish one room's state on the caller's thread; the state the broker took, or None
        (unchanged since the last publication, or not published: no broker)."""
        try:
            state: RoomDisplayState | None = self.room_state(room_id)
        except UnknownRoom:
            state = None  # a room that is gone: its retained state is cleared
        with self._cond:
            if room_id in self._published and same_content(self._published[room_id], state):
                return None
        if self.publisher is None:
            return None
        payload = state.model_dump_json().encode() if state is not None else b""
        if not self.publisher.publish_retained(Topics.room_display(room_id), payload):
            self.failures += 1
            raise ConnectionError(f"the broker did not take the display state of room {room_id}")
        self.publications += 1
        with self._cond:
            if state is None:
                self._published.pop(room_id, None)
            else:
                self._published[room_id] = state
        return state

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="room-displays", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                rooms = self._due()
                failed = self._publish_all(rooms)
            except Exception:  # e.g. the database is down: the rooms stay due, try again shortly
                log.exception("room displays: a round failed")
                failed = True
            with self._cond:
                if not self._stop.is_set() and not self._dirty:
                    self._cond.wait(_RETRY_S if failed else self._sleep_s())

    def _due(self) -> list[str]:
        """The rooms to publish this round: those notified, those past `valid_until`, all on a refresh."""
        now = self._now()
        with self._cond:
            due = set(self._dirty)
            self._dirty.clear()
            due.update(
                room for room, state in self._published.items() if state.valid_until and state.valid_until <= now
            )
        if self._rooms is not None and time.monotonic() - self._refreshed_at >= self.config.refresh_s:
            due.update(self._rooms())
            self._refreshed_at = time.monotonic()
        return sorted(due)

    def _publish_all(self, rooms: list[str]) -> bool:
        """Publish the round's rooms; a room notified meanwhile goes before the rest of the round, so a chair's action
        during a refresh of every room (hundreds of rooms, seconds) is not kept waiting for its end."""
        pending, retry = list(reversed(rooms)), set()
        while not self._stop.is_set():
            with self._cond:
                notified = sorted(self._dirty - retry)
                self._dirty.difference_update(notified)
            if notified:
                batch = notified
            elif pending:
                batch = [pending.pop()]
            else:
                break
            for room in batch:
                try:
                    self.publish_now(room)
                except Exception as exc:
                    retry.add(room)  # tried again next round, not in this one (a broker that is down)
                    log.warning("room displays: room %s not published (%s); retrying", room, exc)
        if retry:
            with self._cond:
                self._dirty.update(retry)
        return bool(retry)

    def _sleep_s(self) -> float:
        """Until the next `valid_until` among the published states, at most `tick_s`."""
        now = self._now()
        soonest = self.config.tick_s
        for state in self._published.values():
            if state.valid_until is not None:
                soonest = min(soonest, max(0.0, (state.valid_until - now).total_seconds()))
        return soonest
