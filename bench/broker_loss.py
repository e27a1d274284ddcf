"""What the embedded brokers can still lose: events acknowledged to a device but never stored.

Runs the real `cces hub` on its embedded defaults, once per broker (`CCES_EMBEDDED_MQTT_BROKER`
= mosquitto, amqtt), and counts, per scenario, the events the broker acknowledged (PUBACK) and
the events the hub stored (its exactly-once counters):

- flood-disconnect: a plain MQTT client (no commit receipts) publishes as fast as it can and
  disconnects the moment its last PUBACK arrives, while the broker still holds a backlog;
- hub-killed: a plain client publishes at a steady rate; the hub is SIGKILLed half-way and
  started again; the client reconnects and goes on;
- agent-hub-killed: a real `cces agent` with its defaults (it keeps each event until the hub's
  commit receipt) replays a full outbox; the hub is SIGKILLed half-way and started again.

    python -m bench.broker_loss --events 10000
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from hub.embedded.mosquitto import find_mosquitto
from tests.hubprocess import hub_env, wait_healthy
from tests.hubstack import attendance_event
from tests.services import free_port, new_workdir, stop_postgres


@dataclass
class LossFigures:
    broker: str
    scenario: str
    published: int
    acknowledged: int
    stored: int
    lost: int  # acknowledged by the broker, never stored


class Hub:
    """`cces hub` that can be SIGKILLed and started again on the same data dir and ports."""

    def __init__(self, broker: str) -> None:
        self.data_dir = new_workdir(f"cces-bench-loss-{broker}-")
        self.env = hub_env(self.data_dir, CCES_EMBEDDED_MQTT_BROKER=broker, CCES_LOG_LEVEL="WARNING")
        self.base_url = f"http://127.0.0.1:{self.env['CCES_HTTP_PORT']}"
        self.process: subprocess.Popen[bytes] | None = None
        self._headers: dict[str, str] = {}

    def start(self) -> None:
        log = open(self.data_dir / "hub.log", "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cces", "hub"], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        wait_healthy(self.base_url, self.process, timeout=120, data_dir=self.data_dir)
        password = (self.data_dir / "admin-password").read_text().strip()
        token = httpx.post(
            f"{self.base_url}/api/v1/auth/sign-in", json={"username": "admin", "password": password}
        ).json()["token"]
        self._headers = {"Authorization": f"Bearer {token}"}

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if (self.data_dir / "postgres" / "postmaster.pid").exists():
            try:
                stop_postgres(self.data_dir / "postgres")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def provision(self, device_id: str) -> dict[str, str]:
        result = subprocess.run(
            [sys.executable, "-m", "cces", "provision", "device", device_id, "--json"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    def stored(self) -> int:
        stats = httpx.get(f"{self.base_url}/api/v1/ingest/stats", headers=self._headers, timeout=10).json()
        return int(stats["accepted"])

    def settled(self, expected: int, quiet_s: float = 15.0, timeout: float = 600.0) -> int:
        """The stored count once it reached `expected` or stopped moving for `quiet_s`."""
        deadline, last, since = time.monotonic() + timeout, -1, time.monotonic()
        while time.monotonic() < deadline:
            count = self.stored()
            if count >= expected:
                time.sleep(1.0)
                return self.stored()
            if count != last:
                last, since = count, time.monotonic()
            elif time.monotonic() - since > quiet_s:
                return count
            time.sleep(0.5)
        return last


def _client(device: dict[str, str]):  # noqa: ANN202 - paho's Client
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    host, port = device["mqtt_url"].removeprefix("mqtt://").rsplit(":", 1)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=device["username"], protocol=mqtt.MQTTv311)
    client.username_pw_set(device["username"], device["password"])
    client.max_inflight_messages_set(100)
    client.reconnect_delay_set(1, 2)
    client.connect(host, int(port))
    client.loop_start()
    deadline = time.monotonic() + 20
    while not client.is_connected() and time.monotonic() < deadline:
        time.sleep(0.05)
    return client


def flood_disconnect(broker: str, events: int) -> LossFigures:
    hub = Hub(broker)
    try:
        hub.start()
        device = hub.provision("bench-flood-01")
        time.sleep(1.0)
        client = _client(device)
        topic = "cces/v1/devices/bench-flood-01/events"
        infos = [
            client.publish(topic, json.dumps(attendance_event("bench-flood-01", seq=i)), qos=1) for i in range(events)
        ]
        for info in infos:
            info.wait_for_publish(300)
        acked = sum(info.is_published() for info in infos)
        client.disconnect()
        client.loop_stop()
        stored = hub.settled(acked)
        return LossFigures(broker, "flood-disconnect", events, acked, stored, max(0, acked - stored))
    finally:
        hub.stop()


def hub_killed(broker: str, events: int, rate: float = 1000.0) -> LossFigures:
    hub = Hub(broker)
    try:
        hub.start()
        device = hub.provision("bench-kill-01")
        time.sleep(1.0)
        client = _client(device)
        topic = "cces/v1/devices/bench-kill-01/events"
        infos = []
        began = time.monotonic()
        for i in range(events):
            infos.append(client.publish(topic, json.dumps(attendance_event("bench-kill-01", seq=i)), qos=1))
            if i == events // 2:
                hub.kill()
                hub.start()
            delay = began + (i + 1) / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        for info in infos:
            try:
                info.wait_for_publish(120)
            except (RuntimeError, ValueError):
                pass
        acked = sum(info.is_published() for info in infos)
        client.disconnect()
        client.loop_stop()
        stored = hub.settled(acked)
        return LossFigures(broker, "hub-killed", events, acked, stored, max(0, acked - stored))
    finally:
        hub.stop()


def agent_hub_killed(broker: str, events: int) -> LossFigures:
    hub = Hub(broker)
    try:
        hub.start()
        device = hub.provision("bench-agent-01")
        agent_dir = hub.data_dir / "agent"
        agent_dir.mkdir()

        def config(url: str) -> Path:
            path = agent_dir / "agent.toml"
            path.write_text(
                "\n".join(
                    [
                        'device_id = "bench-agent-01"',
                        f'mqtt_url = "{url}"',
                        'username = "bench-agent-01"',
                        f'password = "{device["password"]}"',
                        f'data_dir = "{agent_dir}"',
                        "reconnect_max_delay_s = 2",
                        "receipt_timeout_s = 10",
                        "[simulated]",
                        "enabled = true",
                        "interval_s = 0.0001",
                        f"count = {events}",
                    ]
                )
                + "\n"
            )
            return path

        def agent(path: Path) -> subprocess.Popen[bytes]:
            log = open(agent_dir / "agent.log", "ab")  # noqa: SIM115
            return subprocess.Popen(
                [sys.executable, "-m", "cces", "agent", "--config", str(path)], stdout=log, stderr=log
            )

        offline = agent(config(f"mqtt://127.0.0.1:{free_port()}"))  # fills its outbox with every event
        import sqlite3

        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                with sqlite3.connect(agent_dir / "outbox.sqlite3", timeout=5) as db:
                    made = db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
                if made and int(made[0]) >= events:
                    break
            except sqlite3.Error:
                pass
            time.sleep(0.5)
        offline.terminate()
        offline.wait(30)
        online = agent(config(device["mqtt_url"]))
        while hub.stored() < events // 2 and online.poll() is None:
            time.sleep(0.05)
        hub.kill()
        hub.start()
        stored = hub.settled(events, quiet_s=40)
        online.terminate()
        online.wait(30)
        return LossFigures(broker, "agent-hub-killed", events, events, stored, max(0, events - stored))
    finally:
        hub.stop()


SCENARIOS = {"flood-disconnect": flood_disconnect, "hub-killed": hub_killed, "agent-hub-killed": agent_hub_killed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cces bench broker_loss", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--brokers", default="mosquitto,amqtt")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    brokers = [b for b in args.brokers.split(",") if b != "mosquitto" or find_mosquitto()]
    results = []
    for broker in brokers:
        for name in args.scenarios.split(","):
            figures = SCENARIOS[name](broker, args.events)
            results.append(figures)
            print(
                json.dumps(asdict(figures)) if args.json else "  ".join(f"{k}={v}" for k, v in asdict(figures).items())
            )
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
