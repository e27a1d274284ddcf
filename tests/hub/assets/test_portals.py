"""A door portal end to end on the real broker: a portal reader publishes rfid.read events (inner antenna, then
outer) to Mosquitto, the hub's ingest stores them, and the portal watcher raises an alert row and notifies the
asset officer within 2 s of the read being stored — and raises none for an asset with an approved check-out."""

from __future__ import annotations

import secrets
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import psycopg

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.accounts.service import GrantSpec
from hub.assets.models import AssetInput
from hub.assets.movements.models import MovementInput
from hub.assets.portals.service import PortalWatcher
from hub.db import open_pool
from hub.services import HubServices
from protocol.broker_url import BrokerAddress
from protocol.epc import AssetEpcPolicy, asset_epc
from protocol.topics import Topics
from tests.hub.orgdata import seed_org
from tests.hubstack import HUB_USER, IngestStack, device_client, provision, publish

ADMIN = Principal(0, "test-setup", "Test setup", None, None, (RoleGrant(Role.SYSTEM_ADMIN, None),))
POLICY = AssetEpcPolicy(company_prefix="8934567")


def _read(device: str, seq: int, epc: str, antenna: int, at: datetime) -> dict:
    stamp = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"v": 1, "id": str(uuid.uuid4()), "device_id": device, "type": "rfid.read", "ts": stamp, "seq": seq,
            "data": {"epc": epc, "antenna": antenna, "rssi": -48.0, "count": 3, "first_seen": stamp,
                     "last_seen": stamp}}  # fmt: skip


def test_an_asset_leaving_without_a_movement_alerts_within_2_s_and_one_checked_out_does_not(
    mosquitto_factory, database_url: str, tmp_path
) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    pool = open_pool(database_url, 4)
    services = HubServices(pool, None)
    services.assets.policy = POLICY
    actor = Actor("test-setup")
    for kind, code, parent, unit in (("office", "TS-NB", None, "CCHQNB"), ("building", "NB-A", "TS-NB", None)):
        services.assets.create_location(ADMIN, actor, kind, code, f"Vị trí {code}", parent, unit)
    for number in ("TS-1", "TS-2"):
        services.assets.create(ADMIN, actor, AssetInput(
            asset_number=number, name=f"Máy tính {number}", category_code="may-vi-tinh", unit_code="DOI1",
            cost=15_000_000, acquired_on=date(2024, 4, 1)))  # fmt: skip
    services.asset_movements.request(ADMIN, Actor("ts-1"), "TS-2", MovementInput(
        kind="checkout", reason="Mang đi công tác", employee_code="NV001"))  # fmt: skip
    services.asset_portals.save_portal(ADMIN, actor, {
        "code": "CONG-A", "name": "Cổng nhà A", "device_id": "portal-a", "inner_antenna": 1, "outer_antenna": 2,
        "location_code": "NB-A", "display_device_id": None, "window_s": 30})  # fmt: skip
    officer = services.accounts.create_user(ADMIN, username="ts-nb", password=secrets.token_urlsafe(12),
                                   grants=[GrantSpec(Role.ASSET_OFFICER, "CCHQNB")])  # fmt: skip

    broker = mosquitto_factory(hub_username=HUB_USER, hub_password=secrets.token_urlsafe(12))
    stack = IngestStack(database_url, BrokerAddress(broker.host, broker.port, tls=False), broker.hub_password)
    stack.broker_handle = broker
    watcher = PortalWatcher(database_url, services.asset_portals)
    watcher.start()
    assert watcher.ready.wait(10)
    stack.start_ingest()
    try:
        client = device_client(stack.broker, provision(database_url, "portal-a", broker))
        topic = Topics("portal-a").events
        now = datetime.now(UTC)
        seq = 0
        for number in ("TS-2", "TS-1"):  # the checked-out one first: it must stay silent
            epc = asset_epc(number, POLICY).hex
            for antenna, at in ((1, now), (2, now + timedelta(milliseconds=400))):
                seq += 1
                publish(client, topic, _read("portal-a", seq, epc, antenna, at))
        stack.wait_for("SELECT count(*) FROM rfid_reads WHERE device_id = 'portal-a'", 4, 20)
        stored = stack.scalar("SELECT max(received_at) FROM rfid_reads WHERE device_id = 'portal-a'")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not stack.scalar("SELECT count(*) FROM asset_portal_alerts"):
            time.sleep(0.05)
        alerts = stack.query(
            "SELECT a.asset_number, x.raised_at FROM asset_portal_alerts x JOIN assets a ON a.id = x.asset_id"
        )
        assert [n for n, _ in alerts] == ["TS-1"]  # none for TS-2 (checked out)
        assert (alerts[0][1] - stored).total_seconds() < 2.0
        inbox = stack.query("SELECT category FROM notifications WHERE user_id = %s", officer.id)
        assert inbox == [("assets.portal_alert",)]
        shown = services.asset_portals.alerts(ADMIN)
        assert [a["asset_number"] for a in shown] == ["TS-1"]
        client.disconnect()
    finally:
        stack.stop_ingest()
        watcher.stop()
        pool.close()


def test_the_alert_goes_to_the_door_display_as_a_show_alert_command(database_url: str) -> None:
    """A portal with a display: once the alert is stored, the display device gets a `show_alert` command on its
    commands topic (real Mosquitto, the hub's command channel), stored in device_commands under "hub" with its
    expiry; a second passage within the window raises nothing and sends nothing."""
    from hub.ingest.classify import AcceptedEvent
    from hub.ingest.repository import store_batch
    from hub.ingest.rows import build_rows
    from protocol.commands import Command
    from protocol.envelope import RfidReadData, RfidReadEvent
    from tests.hub.commands.conftest import start_stack, stop_stack

    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    stack = start_stack("mosquitto", database_url)
    try:
        services = HubServices(stack.pool, None, stack.channel)
        services.assets.policy = POLICY
        actor = Actor("test-setup")
        for kind, code, parent, unit in (("office", "TS-NB", None, "CCHQNB"), ("building", "NB-A", "TS-NB", None)):
            services.assets.create_location(ADMIN, actor, kind, code, f"Vị trí {code}", parent, unit)
        services.assets.create(ADMIN, actor, AssetInput(
            asset_number="TS-1", name="Máy tính TS-1", category_code="may-vi-tinh", unit_code="DOI1",
            cost=15_000_000, acquired_on=date(2024, 4, 1)))  # fmt: skip
        services.asset_portals.save_portal(ADMIN, actor, {
            "code": "CONG-A", "name": "Cổng nhà A", "device_id": "portal-a", "inner_antenna": 1, "outer_antenna": 2,
            "location_code": "NB-A", "display_device_id": "door-a-display", "window_s": 30})  # fmt: skip
        display = stack.device("door-a-display")
        epc = asset_epc("TS-1", POLICY).hex
        now = datetime.now(UTC)
        events = [
            AcceptedEvent(
                RfidReadEvent(
                    id=uuid.uuid4(),
                    device_id="portal-a",
                    ts=at,
                    seq=i,
                    data=RfidReadData(epc=epc, antenna=antenna, rssi=-50.0, first_seen=at, last_seen=at),
                )
            )  # fmt: skip
            for i, (antenna, at) in enumerate(((1, now), (2, now + timedelta(milliseconds=400))))
        ]
        rows, _ = build_rows(events, None)  # type: ignore[arg-type]
        with psycopg.connect(database_url) as conn, conn.transaction():
            store_batch(conn, "test", rows)

        alert_id = services.asset_portals.handle("portal-a", epc, 2, now + timedelta(milliseconds=400))
        assert alert_id is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not display.received:
            time.sleep(0.05)
        (payload,) = display.received
        command = Command.model_validate_json(payload)
        assert command.name == "show_alert"
        args = command.parsed_args()
        assert "TS-1" in args.title_vi and "Cổng nhà A" in args.text_vi and args.show_s == 60
        assert (command.expires_at - command.issued_at).total_seconds() == 30
        stored = stack.scalar("SELECT issued_by FROM device_commands WHERE id = %s", command.id)
        assert stored == "hub"

        assert services.asset_portals.handle("portal-a", epc, 2, now + timedelta(milliseconds=400)) is None
        time.sleep(0.5)  # nothing more may arrive (a second alert's command would be on its way by now)
        assert len(display.received) == 1
        display.stop()
    finally:
        stop_stack(stack)
