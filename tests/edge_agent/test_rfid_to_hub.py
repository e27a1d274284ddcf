"""End to end: a simulated Chafon reader on a pty → the real agent (`cces agent`, rfid capability) → a real
Mosquitto → the hub's ingest → rfid_reads; the reader's zone comes from the hub's config (published
retained by the hub's DeviceConfigService, applied by the agent live)."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from devices.rfid.simulator import SerialReaderSimulator, SimTag
from hub.accounts.audit import SYSTEM_ACTOR
from hub.devices.config import DesiredConfigChanges, DeviceConfigService
from hub.devices.config_publisher import MqttConfigPublisher
from hub.ingest.repository import RFID_READS_CHANNEL
from tests.edge_agent.helpers import wait_until
from tests.edge_agent.test_faceid_to_hub import latest_metrics
from tests.hubstack import HUB_USER, IngestStack, provision

pytest.importorskip("serial")
pytestmark = [pytest.mark.timeout(120), pytest.mark.slow]

TAGS = {
    "3434257BF400000000BC6038": "urn:epc:id:giai:0614141.12345400",
    "3034257BF7194E4000001A85": "urn:epc:id:sgtin:0614141.812345.6789",
}


@pytest.mark.parametrize("ingest_stack", ["mosquitto"], indirect=True)
def test_reads_of_a_serial_reader_reach_the_hub_with_the_hubs_zone(ingest_stack: IngestStack, tmp_path: Path) -> None:
    device = "portal-rfid-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    link = tmp_path / "ttyRFID0"
    publisher = MqttConfigPublisher(
        ingest_stack.broker, f"cces-hub-config-{secrets.token_hex(3)}", username=HUB_USER,
        password=ingest_stack.hub_password,
    )  # fmt: skip
    assert publisher.start(10)
    with ConnectionPool(ingest_stack.database_url, min_size=1, max_size=2, open=True) as pool:
        service = DeviceConfigService(pool, publisher, gallery_base_url=None, default_pack="yunet-sface")
        changes = DesiredConfigChanges.model_validate(
            {  # the heartbeat interval too: a config without it sets the contract's default, 30 s
                "rfid": {"zone": "p-301", "antennas": [{"port": 1, "zone": "p-301-cua"}], "dedup_s": 1},
                "telemetry_interval_s": 0.5,
            }
        )
        service.update(device, changes, SYSTEM_ACTOR)
    publisher.stop()
    config = tmp_path / "agent.toml"
    config.write_text(
        "\n".join(
            [
                f'device_id = "{device}"',
                f'mqtt_url = "{ingest_stack.broker.url}"',
                f'username = "{device}"',
                f'password = "{credentials.password}"',
                f'data_dir = "{tmp_path}"',
                "telemetry_interval_s = 0.5",
                "reconnect_max_delay_s = 1",
                "[rfid]",
                "enabled = true",
                'reader = "chafon"',
                f'port = "{link}"',
                'name = "cua-chinh"',
                'zone = "kho-1"',
                "batch_s = 0.2",
            ]
        )
        + "\n"
    )
    log_path = tmp_path / "agent.log"
    listener = psycopg.connect(ingest_stack.database_url, autocommit=True)
    listener.execute(f"LISTEN {RFID_READS_CHANNEL}")  # what door portals and live inventories wait on
    with SerialReaderSimulator("chafon", link, [SimTag(epc) for epc in TAGS], round_s=0.02, chunk=7):
        with open(log_path, "ab") as log:
            agent = subprocess.Popen([sys.executable, "-m", "cces", "agent", "--config", str(config)], stdout=log,
                                     stderr=log)  # fmt: skip
        try:
            stored = wait_until(
                lambda: (
                    ingest_stack.scalar(
                        "SELECT count(DISTINCT epc) FROM rfid_reads WHERE device_id = %s AND zone = 'p-301-cua'", device
                    )
                    == len(TAGS)
                ),
                40,
                0.2,
            )
            assert stored, log_path.read_text()[-3000:]
            # the heartbeat after the reader thread took the hub's settings (config.version comes first)
            applied = {"config.version": 1, "rfid.zone": "p-301", "rfid.state": "connected"}
            in_use = wait_until(lambda: applied.items() <= latest_metrics(ingest_stack, device).items(), 20, 0.2)
            assert in_use, f"{latest_metrics(ingest_stack, device)}\n{log_path.read_text()[-3000:]}"
            metrics = latest_metrics(ingest_stack, device)
        finally:
            agent.terminate()
            agent.wait(20)
    rows = ingest_stack.query(
        "SELECT epc, antenna, reader, uri, read_count, first_seen <= last_seen, zone_first_seen <= first_seen"
        " FROM rfid_reads WHERE device_id = %s AND zone = 'p-301-cua'",
        device,
    )
    for epc, antenna, reader, uri, count, ordered, stay in rows:
        assert (antenna, reader, uri, ordered, stay) == (1, "cua-chinh", TAGS[epc], True, True)
        assert count >= 1
    assert metrics["rfid.state"] == "connected" and metrics["rfid.zone"] == "p-301" and metrics["rfid.reads"] > 0
    assert ingest_stack.scalar("SELECT count(*) FROM ingest_rejects WHERE device_id = %s", device) == 0
    notices = [json.loads(n.payload) for n in listener.notifies(timeout=2.0, stop_after=1000)]
    listener.close()
    assert notices and all(n["devices"] == [device] for n in notices)
    announced = sum(n["n"] for n in notices)
    assert announced == ingest_stack.scalar("SELECT count(*) FROM rfid_reads WHERE device_id = %s", device)
