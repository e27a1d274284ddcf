"""Agent → broker → hub ingest → PostgreSQL, exactly once, through crashes and outages.

Real everything: the agent runs as its own process (`cces agent`), the broker is the embedded
amqtt or a Mosquitto, the hub's ingest commits to PostgreSQL.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.edge_agent.helpers import wait_until
from tests.hubstack import IngestStack, provision

pytestmark = pytest.mark.timeout(240)

TOTAL = 1000


def start_agent(
    stack: IngestStack, device_id: str, password: str, data_dir: Path, interval_s: float
) -> subprocess.Popen[bytes]:
    config = data_dir / "agent.toml"
    config.write_text(
        "\n".join(
            [
                f'device_id = "{device_id}"',
                f'mqtt_url = "{stack.broker.url}"',
                f'username = "{device_id}"',
                f'password = "{password}"',
                f'data_dir = "{data_dir}"',
                "telemetry_interval_s = 1.0",
                "reconnect_max_delay_s = 1",
                "[simulated]",
                "enabled = true",
                f"interval_s = {interval_s}",
                f"count = {TOTAL}",
            ]
        )
        + "\n"
    )
    log = open(data_dir / "agent.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "cces", "agent", "--config", str(config)], stdout=log, stderr=log)


def outbox_state(data_dir: Path) -> tuple[int, int]:
    """(last seq made, rows still pending) read from the agent's outbox, as a second reader would."""
    path = data_dir / "outbox.sqlite3"
    if not path.exists():
        return 0, 0
    with sqlite3.connect(path, timeout=5) as db:
        try:
            seq = db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
            pending = db.execute("SELECT count(*) FROM outbox WHERE kind = 'event'").fetchone()
        except sqlite3.OperationalError:  # schema not created yet
            return 0, 0
    return (int(seq[0]) if seq else 0), int(pending[0])


def assert_exactly_once(stack: IngestStack, device_id: str, data_dir: Path) -> None:
    stack.wait_for("SELECT count(*) FROM attendance_events WHERE device_id = %s", TOTAL, 90, device_id)
    assert wait_until(lambda: outbox_state(data_dir) == (TOTAL, 0), 30), outbox_state(data_dir)
    time.sleep(1.0)  # anything still in flight would show up now
    rows, distinct_ids, seqs = stack.query(
        "SELECT count(*), count(DISTINCT id), array_agg(seq ORDER BY seq) FROM attendance_events WHERE device_id = %s",
        device_id,
    )[0]
    assert rows == TOTAL and distinct_ids == TOTAL
    assert seqs == list(range(1, TOTAL + 1)), "every seq made by the device is stored once"


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def test_agent_killed_mid_run_and_restarted_leaves_exactly_all_events(
    ingest_stack: IngestStack, tmp_path: Path
) -> None:
    device = "door-kill-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    agent = start_agent(ingest_stack, device, credentials.password, tmp_path, interval_s=0.004)
    try:
        assert wait_until(lambda: outbox_state(tmp_path)[0] >= TOTAL // 3, 60), "agent made no events"
        agent.send_signal(signal.SIGKILL)
        agent.wait(10)
        made_before_kill = outbox_state(tmp_path)[0]
        assert 0 < made_before_kill < TOTAL, "the kill must land mid-run"
        agent = start_agent(ingest_stack, device, credentials.password, tmp_path, interval_s=0.004)
        assert_exactly_once(ingest_stack, device, tmp_path)
    finally:
        stop(agent)


def test_broker_stopped_for_a_while_then_started_leaves_exactly_all_events(
    ingest_stack: IngestStack, tmp_path: Path
) -> None:
    device = "door-outage-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    agent = start_agent(ingest_stack, device, credentials.password, tmp_path, interval_s=0.006)
    try:
        assert wait_until(lambda: outbox_state(tmp_path)[0] >= TOTAL // 4, 60), "agent made no events"
        ingest_stack.broker_handle.stop()
        made_at_stop = outbox_state(tmp_path)[0]
        time.sleep(3.0)  # the agent keeps making events into its outbox meanwhile
        assert outbox_state(tmp_path)[0] > made_at_stop, "capabilities must not block on the network"
        ingest_stack.broker_handle.start()
        assert_exactly_once(ingest_stack, device, tmp_path)
    finally:
        stop(agent)
