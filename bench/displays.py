"""Room displays at the scale of the administration: 300 rooms, each with its display, through a real Mosquitto.

The hub side is the real one: the embedded PostgreSQL, the meetings service (rooms, bookings), the displays
service and its MQTT publisher (HubServices, as the runtime wires them). Each of the 300 displays is the agent's
own `DisplayCapability` (the same parsing, room check and newest-wins as on a device) on its own MQTT connection,
logged in as its device with the broker's per-room ACL — not 300 whole agent processes (no outbox, heartbeat or
HTTP page, which play no part in receiving the state).

Each room has its meeting on now ("Giao ban i", in its booking), called through the meetings service with NV002
(Trần Thị Lan) as chair, NV001 as secretary and NV003 as a member, an agenda of two or three items, and the chair
on its first item (which starts the meeting). The chair acts as a real principal of that employee (no grants: the
meetings service lets the chair act because she is the meeting's chair, hub.meetings.access CHAIR), as the API does.

1. chair's action → display (`chair_action_to_display_ms`): in one room at a time, the chair moves the meeting to
   its next agenda item (`set_current_item`), and next time gives the floor (`give_floor`, to the member or the
   secretary, alternately, who asked for it untimed just before), timed from just before the service call to the
   moment that room's display holds a state with the new current item and speaker (commit → on_room_change →
   publisher → broker → display). p50/p95/p99/max over all actions, and per kind of action. The first actions
   come while the publisher's first round after its start recomputes every room (1–2 s at 300 rooms), as one may
   in its round every refresh_s: a room notified then goes before the rest of that round (it waited for the
   round's end, 1.2 s, before hub.displays.service did that).
2. booking → display (`booking_to_display_ms`): a booking of the room's next meeting, then its cancellation,
   timed the same way until the display shows the next meeting, then none.
3. reconnect: Mosquitto restarted (retained states persisted), so all 300 displays reconnect at once: from the
   broker accepting connections again until every display received its room's state again and holds the
   state the hub computes for its room now (the displays reconnect after 1–2 s, paho's backoff, as the agent's).

    python -m bench.displays --rooms 300 --changes 600 [--bookings 200]
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from edge_agent.capabilities.display import DisplayCapability
from edge_agent.settings import DisplaySettings
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.db import migrate, open_pool
from hub.devices.config_publisher import MqttConfigPublisher
from hub.embedded.postgres import EmbeddedPostgres
from hub.meetings.models import BookingInput, ItemInput, MeetingInput, RoomInput
from hub.services import HubServices
from protocol.broker_acl import mosquitto_acl
from protocol.broker_url import BrokerAddress
from protocol.display import RoomDisplayState
from tests.hub.meetings.tablet_world import person
from tests.hub.orgdata import seed_org
from tests.services import MosquittoBroker, new_workdir

ADMIN = Principal(0, "bench", "Bench", None, None, (RoleGrant(Role.SYSTEM_ADMIN, None),))
ACTOR = Actor("bench")
CHAIR, SECRETARY, MEMBER = "NV002", "NV001", "NV003"  # tests.hub.orgdata's employees
ITEMS = ("Báo cáo kết quả công tác tháng", "Kế hoạch kiểm tra sau thông quan", "Các việc khác")


class RoomMeeting:
    """A room's meeting on now, as the chair sees it: its agenda, the item on, and who speaks next."""

    def __init__(self, meeting_id: int, items: list[tuple[int, str]]) -> None:
        self.meeting_id = meeting_id
        self.items = items  # (id, title), in order
        self.on = 0  # the index of the current item
        self.speaker: str | None = None  # the name shown as speaking
        self.turns = 0  # floors given so far (the member and the secretary take turns)

    def shows(self, state: RoomDisplayState | None) -> bool:
        """The display holds this meeting's current item and speaker."""
        if state is None or state.agenda_item is None:
            return False
        speaking = state.speaker.name if state.speaker is not None else None
        return state.agenda_item.title == self.items[self.on][1] and speaking == self.speaker


class PahoLink:
    """The agent link's subscribe/unsubscribe/connected over one paho client (as edge_agent.link.MqttLink does)."""

    def __init__(self, broker: MosquittoBroker, device: str, password: str) -> None:
        self.client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=device,
                                  protocol=mqtt.MQTTv311, clean_session=True)  # fmt: skip
        self.client.username_pw_set(device, password)
        self.client.reconnect_delay_set(1, 2)
        self.handlers: dict[str, Any] = {}
        self._connected = threading.Event()
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = lambda *_: self._connected.clear()
        self.client.on_message = lambda _c, _u, m: self.handlers[m.topic](bytes(m.payload))
        self.broker = broker

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if not reason.is_failure:
            for topic in self.handlers:
                client.subscribe(topic, 1)
            self._connected.set()

    def subscribe(self, topic: str, qos: int, handler: Any) -> None:
        self.handlers[topic] = handler
        if self.connected:
            self.client.subscribe(topic, qos)

    def unsubscribe(self, topic: str) -> None:
        self.handlers.pop(topic, None)

    def start(self) -> None:
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class TimedDisplay(DisplayCapability):
    """The agent's display capability, noting when each state arrives (for the figures)."""

    def __init__(self, room: str, data_dir: Path) -> None:
        super().__init__(DisplaySettings(enabled=True, room=room, port=1), data_dir)
        self.arrived = threading.Condition()
        self.arrivals = 0

    def on_message(self, payload: bytes) -> None:
        super().on_message(payload)
        with self.arrived:
            self.arrivals += 1
            self.arrived.notify_all()

    def wait_for(self, check: Any, timeout: float) -> float | None:
        """perf_counter() when `check(state)` first holds; None after `timeout`."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while not check(self.state):
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.arrived.wait(left)
        return time.perf_counter()


def note(text: str) -> None:
    print(f"{datetime.now(UTC):%H:%M:%S} {text}", file=sys.stderr, flush=True)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summary(latencies: list[float], count: int, missed: int) -> dict[str, Any]:
    if not latencies:
        return {"changes": count, "missed": missed}
    return {
        "changes": count, "missed": missed, "p50": round(pct(latencies, 50), 1), "p95": round(pct(latencies, 95), 1),
        "p99": round(pct(latencies, 99), 1), "max": round(max(latencies), 1),
        "mean": round(statistics.fmean(latencies), 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rooms", type=int, default=300)
    parser.add_argument("--changes", type=int, default=600, help="the chair's timed actions")
    parser.add_argument("--bookings", type=int, default=200, help="timed bookings and cancellations (0: none)")
    args = parser.parse_args()
    work = new_workdir("cces-bench-displays-")
    pg = EmbeddedPostgres(work / "pg")
    url = pg.start()
    broker = MosquittoBroker(workdir=work / "mosquitto")
    (work / "mosquitto").mkdir(exist_ok=True)
    figures: dict[str, Any] = {"rooms": args.rooms}
    displays: list[tuple[TimedDisplay, PahoLink]] = []
    try:
        migrate(url)
        import psycopg

        with psycopg.connect(url) as conn:
            seed_org(conn)
            chair, secretary, member = (person(conn, code) for code in (CHAIR, SECRETARY, MEMBER))
        rooms = [f"bench-p{i:03d}" for i in range(args.rooms)]
        devices = {f"bench-display-{i:03d}": room for i, room in enumerate(rooms)}
        passwords = {device: secrets.token_urlsafe(12) for device in devices}
        broker.start()
        broker.add_users(passwords)
        (broker.workdir / "acl").write_text(mosquitto_acl(broker.hub_username, devices))
        broker.reload()
        broker.config_file = broker.workdir / "mosquitto.conf"  # a restart keeps this ACL

        publisher = MqttConfigPublisher(BrokerAddress(broker.host, broker.port, tls=False), "bench-hub-displays",
                                        username=broker.hub_username, password=broker.hub_password)  # fmt: skip
        assert publisher.start(wait_s=15)
        pool = open_pool(url, max_size=8, name="bench-displays")
        services = HubServices(pool, None, display_publisher=publisher)
        now = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        meetings: dict[str, RoomMeeting] = {}
        for i, room in enumerate(rooms):  # each room: a meeting on now, until well after the bench, on its 1st item
            services.meetings.save_room(ADMIN, ACTOR, room, RoomInput(
                office="Trụ sở Nội Bài", unit_code="CCHQNB", name=f"Phòng họp {i + 1}", capacity=20))  # fmt: skip
            booking = services.meetings.book(ADMIN, ACTOR, BookingInput(
                room, f"Giao ban {i + 1}", now - timedelta(minutes=5), now + timedelta(hours=3)))[0]  # fmt: skip
            meeting = services.meetings.create_meeting(ADMIN, ACTOR, MeetingInput(
                f"Giao ban {i + 1}", "CCHQNB", CHAIR, SECRETARY, (MEMBER,), booking_id=booking.id))  # fmt: skip
            agenda = [ItemInput(f"{title} ({i + 1})", duration_minutes=20) for title in ITEMS[: 2 + i % 2]]
            items = services.meetings.set_agenda(chair, ACTOR, meeting.id, agenda)
            services.meetings.set_current_item(chair, ACTOR, meeting.id, items[0].id)
            meetings[room] = RoomMeeting(meeting.id, [(item.id, item.title) for item in items])
        figures["setup_s"] = round(time.perf_counter() - started, 1)
        note(f"{len(rooms)} rooms, each with its meeting on its first item")
        started = time.perf_counter()
        for room in rooms:
            services.displays.publish_now(room)
        figures["first_publication_of_all_rooms_s"] = round(time.perf_counter() - started, 2)
        services.displays.start()

        for device, room in devices.items():
            display, link = TimedDisplay(room, work / "displays" / device), PahoLink(broker, device, passwords[device])
            display.attach_link(link)
            link.start()
            displays.append((display, link))
        if not all(d.wait_for(lambda s: s is not None, 60) for d, _ in displays):
            raise SystemExit("not every display got its room's state")
        note(f"{len(displays)} displays on their state")

        if not all(d.wait_for(meetings[d.room].shows, 30) for d, _ in displays):  # type: ignore[index]
            raise SystemExit("not every display shows its meeting's first item")

        # 1. the chair acts in a room → that room's display holds the new current item and speaker
        by_action: dict[str, list[float]] = {"set_current_item": [], "give_floor": []}
        missed_by = dict.fromkeys(by_action, 0)
        for k in range(args.changes):
            display, _ = displays[(k // 2 * 37) % len(displays)]
            m = meetings[display.room]  # type: ignore[index]
            if k % 2 == 0:  # the chair moves to the next item
                action = "set_current_item"
                m.on = (m.on + 1) % len(m.items)
                t0 = time.perf_counter()
                services.meetings.set_current_item(chair, ACTOR, m.meeting_id, m.items[m.on][0])
            else:  # someone asks to speak (not timed); the chair gives them the floor
                action = "give_floor"
                asking = member if m.turns % 2 == 0 else secretary
                m.turns += 1
                asked = services.meetings.ask_floor(asking, m.meeting_id)
                request = next(r for r in asked if r["speaking_at"] is None)
                m.speaker = request["name"]
                t0 = time.perf_counter()
                services.meetings.give_floor(chair, ACTOR, m.meeting_id, request["id"])
            seen = display.wait_for(m.shows, 30)
            if seen is None:
                missed_by[action] += 1
            else:
                by_action[action].append((seen - t0) * 1000)
        figures["chair_action_to_display_ms"] = {
            **summary([v for vs in by_action.values() for v in vs], args.changes, sum(missed_by.values())),
            "by_action": {name: summary(vs, len(vs) + missed_by[name], missed_by[name])
                          for name, vs in by_action.items()},
        }  # fmt: skip
        note(f"chair's actions: {figures['chair_action_to_display_ms']}")

        # 2. a booking of the room's next meeting, then its cancellation → that room's display shows it, then none
        latencies: list[float] = []
        missed = 0
        for k in range(args.bookings):
            display, _ = displays[(k // 2 * 37) % len(displays)]
            room = display.room
            assert room is not None
            if k % 2 == 0:
                title = f"Họp bench {k}"
                t0 = time.perf_counter()
                services.meetings.book(ADMIN, ACTOR, BookingInput(room, title, now + timedelta(hours=4),
                                                                  now + timedelta(hours=5)))  # fmt: skip
                seen = display.wait_for(
                    lambda s, t=title: s is not None and s.next is not None and s.next.title == t, 30
                )
            else:
                t0 = time.perf_counter()
                booking = services.meetings.bookings(ADMIN, room, now + timedelta(hours=4), now + timedelta(hours=5))
                services.meetings.cancel(ADMIN, ACTOR, booking[0].id)
                seen = display.wait_for(lambda s: s is not None and s.next is None, 30)
            if seen is None:
                missed += 1
            else:
                latencies.append((seen - t0) * 1000)
        if args.bookings:
            figures["booking_to_display_ms"] = summary(latencies, args.bookings, missed)
            note(f"bookings: {figures['booking_to_display_ms']}")

        # 3. the broker restarts: all the displays reconnect at once; each must hold its room's current state again
        # as a display holds it: through the wire's form (its instants in milliseconds; the floor's are finer)
        expected = {
            room: RoomDisplayState.model_validate_json(services.displays.room_state(room).model_dump_json())
            for room in rooms
        }

        def current(display: TimedDisplay, since: int) -> bool:
            want, state = expected[display.room], display.state  # type: ignore[index]
            fresh = display.arrivals > since
            return fresh and state is not None and state.model_copy(update={"updated_at": want.updated_at}) == want

        before = [d.arrivals for d, _ in displays]
        broker.stop()
        broker.start()
        t0 = time.perf_counter()
        deadline = time.monotonic() + 60
        back: list[float | None] = []
        for (d, _), n in zip(displays, before, strict=True):
            left = max(0.0, deadline - time.monotonic())
            back.append(d.wait_for(lambda _s, d=d, n=n: current(d, n), left))
        figures["reconnect_all_current_s"] = (
            round(max(b for b in back if b is not None) - t0, 2)
            if all(b is not None for b in back)
            else f"{back.count(None)} not current within 60 s"
        )
        figures["publications"] = services.displays.publications
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        services.displays.stop()
        publisher.stop()
        pool.close()
    finally:
        for _, link in displays:
            link.stop()
        broker.stop()
        pg.stop()


if __name__ == "__main__":
    main()
