"""Check-in at the room's door through the real broker and the hub's ingest: the door device publishes
`attendance.face` to Mosquitto, ingest stores it, and migration 0801's trigger marks the participant present in
the same transaction — during the meeting; the same person at the door hours before marks nothing."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import psycopg

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.meetings.models import BookingInput, MeetingInput, RoomInput
from hub.meetings.service import MeetingsService
from protocol.broker_url import BrokerAddress
from protocol.topics import Topics
from tests.hub.orgdata import seed_org
from tests.hubstack import HUB_USER, IngestStack, attendance_event, device_client, provision, publish

ADMIN = Principal.tool("test-setup", "Test setup")
ACTOR = Actor("test-setup")


def _stamp(t: datetime) -> str:
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_a_participant_seen_at_the_rooms_door_during_the_meeting_is_present_and_not_before(
    mosquitto_factory, database_url: str
) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    pool = open_pool(database_url, 4)
    svc = MeetingsService(pool, lambda: datetime.now(UTC))
    svc.save_room(ADMIN, ACTOR, "phong-b", RoomInput("Trụ sở", "CCHQNB", "Phòng B", 20, door_device_id="door-b"))
    now = datetime.now(UTC)
    booking = svc.book(
        ADMIN, ACTOR, BookingInput("phong-b", "Họp", now - timedelta(minutes=2), now + timedelta(hours=1))
    )
    meeting = svc.create_meeting(ADMIN, ACTOR, MeetingInput("Họp giao ban", "CCHQNB", "NV002", "NV001", ("NV003",),
                                                            booking_id=booking[0].id))  # fmt: skip
    broker = mosquitto_factory(hub_username=HUB_USER, hub_password=secrets.token_urlsafe(12))
    stack = IngestStack(database_url, BrokerAddress(broker.host, broker.port, tls=False), broker.hub_password)
    stack.broker_handle = broker
    stack.start_ingest()
    try:
        client = device_client(stack.broker, provision(database_url, "door-b", broker))
        topic = Topics("door-b").events
        publish(client, topic, attendance_event("door-b", 1, "nv-0003", ts=_stamp(now - timedelta(hours=3))))
        publish(client, topic, attendance_event("door-b", 2, "nv-0002", ts=_stamp(now)))
        stack.wait_for("SELECT count(*) FROM attendance_events WHERE device_id = 'door-b'", 2, 30)
        present = dict(stack.query(
            "SELECT e.employee_code, p.checkin_method FROM meeting_participants p JOIN employees e"
            " ON e.id = p.employee_id WHERE p.meeting_id = %s AND p.present_at IS NOT NULL", meeting.id))  # fmt: skip
        assert present == {"NV002": "face"}
        client.disconnect()
    finally:
        stack.stop_ingest()
        pool.close()
