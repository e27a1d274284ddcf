"""Room displays at the scale of the administration: 300 rooms, each with its display, through a real Mosquitto.

The hub side is the real one: the embedded PostgreSQL, the meetings service (rooms, bookings), the displays
service and its MQTT publisher (HubServices, as the runtime wires them). Each of the 300 displays is the agent's
own `DisplayCapability` (the same parsing, room check and newest-wins as on a device) on its own MQTT connection,
logged in as its device with the broker's per-room ACL — not 300 whole agent processes (no outbox, heartbeat or
HTTP page, which play no part in receiving the state).

1. change → display: a change committed through the meetings service in one room (a booking of the next
   meeting, then its cancellation — the chair's actions are not built yet; they reach the displays by the same
   path: commit → on_room_change → publisher → broker → display), timed from just before the service call to
   the moment that room's display holds the new state. p50/p95/p99/max over all changes.
2. reconnect: Mosquitto restarted (retained states persisted), so all 300 displays reconnect at once: from the
   broker accepting connections again until every display received its room's state again and holds the
   state the hub computes for its room now (the displays reconnect after 1–2 s, paho's backoff, as the agent's).

    python -m bench.displays --rooms 300 --changes 600
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
from hub.meetings.models import BookingInput, RoomInput
from hub.services import HubServices
from protocol.broker_acl import mosquitto_acl
from protocol.broker_url import BrokerAddress
from tests.hub.orgdata import seed_org
from tests.services import MosquittoBroker, new_workdir

ADMIN = Principal(0, "bench", "Bench", None, None, (RoleGrant(Role.SYSTEM_ADMIN, None),))
ACTOR = Actor("bench")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rooms", type=int, default=300)
    parser.add_argument("--changes", type=int, default=600)
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
        for i, room in enumerate(rooms):  # each room: a meeting on now, until well after the bench
            services.meetings.save_room(ADMIN, ACTOR, room, RoomInput(
                office="Trụ sở Nội Bài", unit_code="CCHQNB", name=f"Phòng họp {i + 1}", capacity=20))  # fmt: skip
            services.meetings.book(ADMIN, ACTOR, BookingInput(room, f"Giao ban {i + 1}", now - timedelta(minutes=5),
                                                              now + timedelta(hours=3)))  # fmt: skip
        figures["setup_s"] = round(time.perf_counter() - started, 1)
        note(f"{len(rooms)} rooms booked")
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

        # 1. a change committed in a room → that room's display holds the new state
        latencies: list[float] = []
        missed = 0
        for k in range(args.changes):
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
        figures["change_to_display_ms"] = {
            "changes": args.changes, "missed": missed, "p50": round(pct(latencies, 50), 1),
            "p95": round(pct(latencies, 95), 1), "p99": round(pct(latencies, 99), 1),
            "max": round(max(latencies), 1), "mean": round(statistics.fmean(latencies), 1),
        }  # fmt: skip

        note(f"changes: {figures['change_to_display_ms']}")
        # 2. the broker restarts: all the displays reconnect at once; each must hold its room's current state again
        expected = {room: services.displays.room_state(room) for room in rooms}

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
