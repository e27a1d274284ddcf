"""The hub's room display publisher on a real Mosquitto: retained on every notified change, at the clock's
start/end marks, not again when nothing changed, cleared for a room that is gone.

The meetings service is stood in for by `Rooms` (its `room_schedule` answer, which tests change as a booking
or a chair's action would) until hub.meetings lands; the broker and the publisher's client are real.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from hub.devices.config_publisher import MqttConfigPublisher
from hub.displays.models import DisplayConfig, DisplaySchedule
from hub.displays.service import DisplaysService
from protocol.broker_url import BrokerAddress
from protocol.display import AgendaItemShown, MeetingShown, RoomDisplayState
from protocol.topics import Topics
from tests.edge_agent.helpers import Subscriber, unique, wait_until
from tests.services import MosquittoBroker

pytestmark = pytest.mark.timeout(120)

WAIT_S = 30.0


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at
        self.lock = threading.Lock()

    def __call__(self) -> datetime:
        with self.lock:
            return self.at

    def move(self, delta: timedelta) -> None:
        with self.lock:
            self.at += delta


class Rooms:
    """What the meetings service answers, changed by the test."""

    def __init__(self) -> None:
        self.schedules: dict[str, DisplaySchedule] = {}

    def room_schedule(self, room_id: str, around: datetime) -> DisplaySchedule | None:
        return self.schedules.get(room_id)

    def rooms(self) -> list[str]:
        return list(self.schedules)


@pytest.fixture
def rig(mosquitto: MosquittoBroker) -> Iterator[tuple[DisplaysService, Rooms, Clock, Subscriber]]:
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    rooms = Rooms()
    publisher = MqttConfigPublisher(
        BrokerAddress(mosquitto.host, mosquitto.port, tls=False), unique("hub-displays"),
        username=mosquitto.hub_username, password=mosquitto.hub_password,
    )  # fmt: skip
    assert publisher.start(wait_s=15)
    service = DisplaysService(
        clock, schedule=rooms.room_schedule, rooms=rooms.rooms, publisher=publisher,
        config=DisplayConfig(tick_s=0.2, refresh_s=3600),
    )  # fmt: skip
    service.start()
    watcher = Subscriber(mosquitto, [f"{Topics.room_display('x').rsplit('/', 2)[0]}/+/display"]).start()
    try:
        yield service, rooms, clock, watcher
    finally:
        watcher.stop()
        service.stop()
        publisher.stop()


def states(watcher: Subscriber, room: str) -> list[RoomDisplayState | None]:
    return [
        RoomDisplayState.model_validate_json(m.payload) if m.payload else None
        for m in watcher.on(Topics.room_display(room))
    ]


def test_each_change_is_published_retained_and_the_clock_moves_the_room_along(rig) -> None:  # type: ignore[no-untyped-def]
    service, rooms, clock, watcher = rig
    room = unique("p")
    start = clock() + timedelta(minutes=20)
    meeting = MeetingShown(meeting_id="m-1", title="Giao ban", start=start, end=start + timedelta(hours=1), chair="An")
    rooms.schedules[room] = DisplaySchedule(room, "Phòng 301", next=meeting)

    service.notify_room_changed(room)  # the booking
    assert wait_until(lambda: len(states(watcher, room)) == 1, WAIT_S)
    first = states(watcher, room)[0]
    assert first is not None and first.colour == "free" and first.next == meeting
    assert first.valid_until == start - timedelta(minutes=15)

    service.notify_room_changed(room)  # nothing changed: nothing published
    service.notify_room_changed(room)
    clock.move(timedelta(minutes=4))  # still before the "starting soon" mark
    assert not wait_until(lambda: len(states(watcher, room)) > 1, 1.0)

    clock.move(timedelta(minutes=2))  # 14 minutes before the start: the tick publishes "starting soon"
    assert wait_until(lambda: len(states(watcher, room)) == 2, WAIT_S)
    assert states(watcher, room)[-1].colour == "starting_soon"  # type: ignore[union-attr]

    rooms.schedules[room] = DisplaySchedule(  # what the meetings service answers once it has started
        room, "Phòng 301", current=meeting, agenda_item=AgendaItemShown(number="1", title="Khai mạc")
    )
    clock.move(timedelta(minutes=15))  # the start passed: busy, with no call from the meetings service
    assert wait_until(lambda: len(states(watcher, room)) == 3, WAIT_S)
    busy = states(watcher, room)[-1]
    assert busy is not None and busy.colour == "busy" and busy.agenda_item is not None

    rooms.schedules[room] = DisplaySchedule(  # the chair moves to item 2
        room, "Phòng 301", current=meeting, agenda_item=AgendaItemShown(number="2", title="Báo cáo")
    )
    service.notify_room_changed(room)
    assert wait_until(lambda: len(states(watcher, room)) == 4, WAIT_S)
    assert states(watcher, room)[-1].agenda_item.title == "Báo cáo"  # type: ignore[union-attr]
    assert service.last_published(room) == states(watcher, room)[-1]

    del rooms.schedules[room]  # the room is gone: its retained state is cleared
    service.notify_room_changed(room)
    assert wait_until(lambda: states(watcher, room)[-1:] == [None], WAIT_S)

    late = Subscriber(watcher.broker, [Topics.room_display(room)]).start()
    try:  # a cleared retained message is not handed to a new subscriber
        assert not wait_until(lambda: late.on(Topics.room_display(room)), 1.0)
    finally:
        late.stop()


def test_a_display_connecting_later_gets_the_current_state_retained(rig) -> None:  # type: ignore[no-untyped-def]
    service, rooms, clock, watcher = rig
    room = unique("p")
    rooms.schedules[room] = DisplaySchedule(room, "Phòng 302")
    assert service.publish_now(room) is not None
    late = Subscriber(watcher.broker, [Topics.room_display(room)]).start()
    try:
        assert wait_until(lambda: late.on(Topics.room_display(room)), WAIT_S)
        got = late.on(Topics.room_display(room))[0]
        assert got.retain and RoomDisplayState.model_validate_json(got.payload).room_name == "Phòng 302"
    finally:
        late.stop()


def test_without_a_broker_the_room_stays_due_and_is_published_once_it_is_back(mosquitto_factory) -> None:  # type: ignore[no-untyped-def]
    broker: MosquittoBroker = mosquitto_factory()
    rooms, room = Rooms(), unique("p")
    rooms.schedules[room] = DisplaySchedule(room, "Phòng 303")
    publisher = MqttConfigPublisher(
        BrokerAddress(broker.host, broker.port, tls=False), unique("hub-displays"),
        username=broker.hub_username, password=broker.hub_password,
    )  # fmt: skip
    assert publisher.start(wait_s=15)
    service = DisplaysService(lambda: datetime.now(UTC), schedule=rooms.room_schedule, publisher=publisher)
    service.start()
    try:
        broker.stop()
        assert wait_until(lambda: not publisher.connected, WAIT_S)
        service.notify_room_changed(room)
        assert wait_until(lambda: service.failures >= 1, WAIT_S)
        broker.start()
        watcher = Subscriber(broker, [Topics.room_display(room)]).start()
        try:
            assert wait_until(lambda: watcher.on(Topics.room_display(room)), WAIT_S)
        finally:
            watcher.stop()
    finally:
        service.stop()
        publisher.stop()


def test_a_room_changed_during_a_round_over_every_room_goes_before_the_rest_of_it(rig) -> None:  # type: ignore[no-untyped-def]
    """Every `refresh_s` the publisher goes over every room (300 rooms take seconds); a chair's action meanwhile
    must reach its display before that round ends, not after it."""
    service, rooms, clock, watcher = rig
    asked: list[str] = []
    answer = rooms.room_schedule

    def slow_schedule(room_id: str, around: datetime) -> DisplaySchedule | None:
        asked.append(room_id)
        if room_id.startswith("bulk-"):
            threading.Event().wait(0.01)  # a room's queries; 100 rooms make a round of over a second
        return answer(room_id, around)

    service._schedule = slow_schedule  # noqa: SLF001 - the same source, slower, to make the round long
    bulk = [f"bulk-{i:03d}" for i in range(100)]
    rooms.schedules.update({room: DisplaySchedule(room_id=room, room_name=room) for room in bulk})
    service._refreshed_at = float("-inf")  # noqa: SLF001 - the next round is a refresh of every room
    service.notify_room_changed(bulk[0])
    assert wait_until(lambda: len([r for r in asked if r.startswith("bulk-")]) >= 10, WAIT_S)
    rooms.schedules["urgent"] = DisplaySchedule(room_id="urgent", room_name="Phòng họp số 1")
    service.notify_room_changed("urgent")
    assert wait_until(lambda: "urgent" in asked and bulk[-1] in asked, WAIT_S)
    assert asked.index("urgent") < asked.index(bulk[-1]), "the changed room waited for the whole round"
    assert wait_until(lambda: any(s is not None for s in states(watcher, "urgent")), WAIT_S)
