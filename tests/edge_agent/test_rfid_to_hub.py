"""End to end: a simulated Chafon reader on a pty → the real agent (`cces agent`, rfid capability) → a real
Mosquitto → the hub's ingest → rfid_reads; the reader's zone comes from the hub's config (published
retained by the hub's DeviceConfigService, applied by the agent live)."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from psycopg_pool import ConnectionPool

from devices.rfid.simulator import SerialReaderSimulator, SimTag
from hub.accounts.audit import SYSTEM_ACTOR
from hub.devices.config import DesiredConfigChanges, DeviceConfigService
from hub.devices.config_publisher import MqttConfigPublisher
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
            {"rfid": {"zone": "p-301", "antennas": [{"port": 1, "zone": "p-301-cua"}], "dedup_s": 1}}
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
            assert wait_until(lambda: latest_metrics(ingest_stack, device).get("config.version") == 1, 20, 0.2)
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
