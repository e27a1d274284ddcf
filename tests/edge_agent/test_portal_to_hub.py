"""A door portal end to end with the real agent: an LLRP reader (llrpkit's emulator, two antennas) → the real agent
(`cces agent`, rfid capability, reader "llrp" through sllurp) → a real Mosquitto → the hub's ingest → rfid_reads →
the portal watcher. Two assets' tags are read on the inner antenna, then on the outer one: the asset with an
approved check-out passes silently, the other raises an alert within 2 s of its outer read being stored and lands
in the asset officer's inbox."""

from __future__ import annotations

import secrets
import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.accounts.service import GrantSpec
from hub.assets.models import AssetInput
from hub.assets.movements.models import MovementInput
from hub.assets.portals.service import PortalWatcher
from hub.db import open_pool
from hub.services import HubServices
from protocol.epc import AssetEpcPolicy, asset_epc
from tests.edge_agent.helpers import wait_until
from tests.hub.orgdata import seed_org
from tests.hubstack import IngestStack, provision

pytest.importorskip("sllurp", reason="the LLRP reader needs the `llrp` extra (sllurp): pip install 'cces[llrp]'")
pytest.importorskip("llrpkit", reason="the LLRP reader emulator is llrpkit's (a test dependency)")
pytestmark = [pytest.mark.timeout(120), pytest.mark.slow]

ADMIN = Principal(0, "test-setup", "Test setup", None, None, (RoleGrant(Role.SYSTEM_ADMIN, None),))
POLICY = AssetEpcPolicy(company_prefix="8934567")
DEVICE = "portal-llrp-a"
INNER, OUTER = 1, 2


def _seed(database_url: str) -> tuple[HubServices, int]:
    """Two assets, TS-2 checked out (approved), a portal on the agent's reader, an asset officer over its unit."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    services = HubServices(open_pool(database_url, 4), None)
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
        "code": "CONG-A", "name": "Cổng nhà A", "device_id": DEVICE, "inner_antenna": INNER,
        "outer_antenna": OUTER, "location_code": "NB-A", "display_device_id": None, "window_s": 30})  # fmt: skip
    officer = services.accounts.create_user(ADMIN, username="ts-nb", password=secrets.token_urlsafe(12),
                                            grants=[GrantSpec(Role.ASSET_OFFICER, "CCHQNB")])  # fmt: skip
    return services, officer.id


@pytest.mark.parametrize("ingest_stack", ["mosquitto"], indirect=True)
def test_the_real_agent_at_a_portal_alerts_for_an_asset_leaving_without_a_movement(
    ingest_stack: IngestStack, tmp_path: Path
) -> None:
    services, officer = _seed(ingest_stack.database_url)
    try:
        _pass_the_portal(ingest_stack, services, officer, tmp_path)
    finally:
        services.pool.close()


def _pass_the_portal(ingest_stack: IngestStack, services: HubServices, officer: int, tmp_path: Path) -> None:
    from llrpkit.emulator.core import EmulatedTag

    from tests.devices.rfid.llrp_emulator import EmulatorThread

    out, free = asset_epc("TS-2", POLICY).hex, asset_epc("TS-1", POLICY).hex  # checked out; no movement
    credentials = provision(ingest_stack.database_url, DEVICE, ingest_stack.broker_handle)
    watcher = PortalWatcher(ingest_stack.database_url, services.asset_portals)
    watcher.start()
    assert watcher.ready.wait(10)

    def tags_at(antennas: dict[str, int]) -> list[EmulatedTag]:
        return [EmulatedTag(bytes.fromhex(epc), antennas=(a,), rssi_dbm=-50.0) for epc, a in antennas.items()]

    def move(antennas: dict[str, int]) -> None:  # on the emulator's loop: its report loop reads `tags` there
        emulator.loop.call_soon_threadsafe(setattr, emulator.emulator, "tags", tags_at(antennas))

    def stored(epc: str, antenna: int) -> bool:
        sql = "SELECT count(*) FROM rfid_reads WHERE device_id = %s AND epc = %s AND antenna = %s"
        return ingest_stack.scalar(sql, DEVICE, epc, antenna) > 0

    emulator = EmulatorThread(tags_at({out: INNER, free: INNER})).start()
    config = tmp_path / "agent.toml"
    config.write_text(
        "\n".join(
            [
                f'device_id = "{DEVICE}"',
                f'mqtt_url = "{ingest_stack.broker.url}"',
                f'username = "{DEVICE}"',
                f'password = "{credentials.password}"',
                f'data_dir = "{tmp_path}"',
                "reconnect_max_delay_s = 1",
                "[rfid]",
                "enabled = true",
                'reader = "llrp"',
                f'port = "127.0.0.1:{emulator.port}"',
                'name = "cong-a"',
                "batch_s = 0.1",
                "dedup_s = 5",
                "[[rfid.antennas]]",
                f"port = {INNER}",
                'zone = "cong-a-trong"',
                "[[rfid.antennas]]",
                f"port = {OUTER}",
                'zone = "cong-a-ngoai"',
            ]
        )
        + "\n"
    )
    log_path = tmp_path / "agent.log"
    with open(log_path, "ab") as log:
        agent = subprocess.Popen([sys.executable, "-m", "cces", "agent", "--config", str(config)], stdout=log,
                                 stderr=log)  # fmt: skip
    try:
        # both tags inside the door (inner antenna), stored at the hub
        inside = wait_until(lambda: stored(out, INNER) and stored(free, INNER), 30, 0.1)
        assert inside, log_path.read_text()[-3000:]
        # the checked-out one goes out first: once its outer read is stored, the watcher has it in line
        move({out: OUTER, free: INNER})
        assert wait_until(lambda: stored(out, OUTER), 15, 0.05), log_path.read_text()[-3000:]
        # then the one without a movement; the watcher handles reads in the order they were stored, so by the
        # time its alert is there, the checked-out one's outer read has been handled too
        move({out: OUTER, free: OUTER})
        raised = wait_until(lambda: ingest_stack.scalar("SELECT count(*) FROM asset_portal_alerts") > 0, 15, 0.05)
        assert raised, log_path.read_text()[-3000:]
    finally:
        agent.terminate()
        agent.wait(20)
        emulator.stop()
        watcher.stop()
    alerts = ingest_stack.query(
        "SELECT a.asset_number, x.epc, x.passed_at, x.raised_at FROM asset_portal_alerts x"
        " JOIN assets a ON a.id = x.asset_id ORDER BY x.raised_at"
    )
    assert [(n, epc) for n, epc, _, _ in alerts] == [("TS-1", free)]  # none for TS-2 (checked out)
    _, _, passed_at, raised_at = alerts[0]
    # the read that raised it: the outer antenna's first sight of TS-1, as the agent sent it
    (trigger,) = ingest_stack.query(
        "SELECT reader, zone, min(received_at) FROM rfid_reads WHERE device_id = %s AND epc = %s AND antenna = %s"
        " AND first_seen = %s GROUP BY reader, zone",
        DEVICE,
        free,
        OUTER,
        passed_at,
    )
    assert trigger[:2] == ("cong-a", "cong-a-ngoai")
    assert 0 <= (raised_at - trigger[2]).total_seconds() < 2.0
    inner_seen = ingest_stack.scalar(
        "SELECT min(first_seen) FROM rfid_reads WHERE device_id = %s AND epc = %s AND antenna = %s", DEVICE, free, INNER
    )
    assert inner_seen < passed_at  # inside first, then out
    inbox = ingest_stack.query("SELECT category FROM notifications WHERE user_id = %s", officer)
    assert inbox == [("assets.portal_alert",)]
    assert [a["asset_number"] for a in services.asset_portals.alerts(ADMIN)] == ["TS-1"]
    assert ingest_stack.scalar("SELECT count(*) FROM ingest_rejects WHERE device_id = %s", DEVICE) == 0
