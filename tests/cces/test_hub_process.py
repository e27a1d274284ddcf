"""`cces hub` as a person runs it: embedded defaults, health, provisioning, clean stop."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from protocol.broker_url import BrokerAddress
from protocol.topics import Topics
from provisioning.credentials import DeviceCredentials
from tests.hubprocess import HubProcess, running_hub, wait_healthy
from tests.hubprocess import hub_env as shared_hub_env
from tests.hubstack import attendance_event, device_client, publish
from tests.services import new_workdir, start_postgres, stop_postgres

pytestmark = pytest.mark.timeout(180)


def hub_env(data_dir: Path) -> dict[str, str]:
    return shared_hub_env(data_dir, CCES_LOG_LEVEL="INFO")


def admin_headers(base_url: str, data_dir: Path) -> dict[str, str]:
    """Sign in as the `admin` the hub created on first start, with the password it wrote to the data dir."""
    password = (data_dir / "admin-password").read_text().strip()
    response = httpx.post(f"{base_url}/api/v1/auth/sign-in", json={"username": "admin", "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def hub_process() -> Iterator[HubProcess]:
    data_dir = new_workdir("cces-hub-data-")
    try:
        with running_hub(hub_env(data_dir)) as hub:
            yield hub
    finally:
        if (data_dir / "postgres" / "postmaster.pid").exists():  # a test restarted it: pgserver lost track
            stop_postgres(data_dir / "postgres")
        shutil.rmtree(data_dir, ignore_errors=True)  # an embedded PostgreSQL each: ~50 MB


def test_hub_on_embedded_defaults_is_healthy_ingests_and_stops_cleanly(hub_process: HubProcess) -> None:
    health = httpx.get(f"{hub_process.base_url}/api/v1/health").json()
    assert health["status"] == "ok" and health["database"] == "ok" and health["mqtt"] == "ok"
    assert health["version"]
    assert httpx.get(f"{hub_process.base_url}/docs").status_code == 200
    assert "CCES" in httpx.get(f"{hub_process.base_url}/", follow_redirects=True).text  # (the sign-in page)
    # the first start made `admin` with a password only this OS user can read; the log names the file only
    password_file = hub_process.data_dir / "admin-password"
    assert password_file.stat().st_mode & 0o777 == 0o600
    assert password_file.read_text().strip() not in (hub_process.data_dir / "hub.log").read_text()
    assert str(password_file) in (hub_process.data_dir / "hub.log").read_text()
    stats_url = f"{hub_process.base_url}/api/v1/ingest/stats"
    assert httpx.get(stats_url).status_code == 401
    headers = admin_headers(hub_process.base_url, hub_process.data_dir)

    result = hub_process.cces("provision", "device", "door-p-01", "--json")
    assert result.returncode == 0, result.stderr
    credentials = json.loads(result.stdout)
    assert set(credentials) == {"device_id", "mqtt_url", "username", "password"}
    client = device_client(
        BrokerAddress.parse(credentials["mqtt_url"]),
        DeviceCredentials(credentials["username"], credentials["password"]),
    )
    for seq in range(5):
        publish(client, Topics("door-p-01").events, attendance_event("door-p-01", seq=seq))
    client.disconnect()
    deadline = time.monotonic() + 20
    while httpx.get(stats_url, headers=headers).json()["accepted"] < 5:
        assert time.monotonic() < deadline, "events did not arrive"
        time.sleep(0.2)
    assert httpx.get(stats_url, headers=headers).json() == {
        "accepted": 5,
        "duplicates": 0,
        "rejected": 0,
    }

    again = hub_process.cces("provision", "device", "door-p-01", "--json")
    assert again.returncode == 2 and "already registered" in again.stderr and "Traceback" not in again.stderr

    # everything the hub started: its children and the PostgreSQL server (a daemon of pg_ctl)
    hub = psutil.Process(hub_process.process.pid)
    started = hub.children(recursive=True)
    postmaster = int((hub_process.data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
    started.append(psutil.Process(postmaster))
    started += psutil.Process(postmaster).children(recursive=True)
    hub_process.process.send_signal(signal.SIGTERM)
    assert hub_process.process.wait(60) == 0
    gone, alive = psutil.wait_procs(started, timeout=20)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], f"left running: {alive}"


def test_health_names_the_part_that_is_down(hub_process: HubProcess) -> None:
    """Stop the embedded PostgreSQL under the hub's feet: 503 naming the database; then it recovers."""
    pgdata = hub_process.data_dir / "postgres"
    stop_postgres(pgdata)
    response = httpx.get(f"{hub_process.base_url}/api/v1/health", timeout=10)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded" and body["database"].startswith("down") and body["mqtt"] == "ok"
    start_postgres(pgdata)
    wait_healthy(hub_process.base_url, hub_process.process, timeout=30)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["provision", "device", "Bad_Id"], "invalid device id"),
        (["hub", "--config", "/nonexistent/cces.toml"], "config file not found"),
        (["agent"], "needs --config"),
    ],
)
def test_user_mistakes_get_one_line_and_exit_code_2(args: list[str], message: str) -> None:
    env = hub_env(new_workdir("cces-cli-"))
    result = subprocess.run([sys.executable, "-m", "cces", *args], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_setting_in_environment_is_reported_by_name() -> None:
    env = hub_env(new_workdir("cces-cli-"))
    env["CCES_HTTP_PORT"] = "not-a-port"
    result = subprocess.run(
        [sys.executable, "-m", "cces", "db", "migrate"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "http_port" in result.stderr and "Traceback" not in result.stderr


def test_every_command_has_help() -> None:
    for args in (
        ["--help"],
        ["hub", "--help"],
        ["demo", "--help"],
        ["agent", "--help"],
        ["db", "migrate", "--help"],
        ["protocol", "schema", "--help"],
        ["provision", "device", "--help"],
        ["bench", "--help"],
        ["models", "install", "--help"],
        ["models", "list", "--help"],
        ["faces", "compare", "--help"],
        ["faces", "identify", "--help"],
        ["faces", "scan-video", "--help"],
    ):
        result = subprocess.run([sys.executable, "-m", "cces", *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "usage:" in result.stdout, args


def test_protocol_schema_prints_json() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cces", "protocol", "schema"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "attendance.face" in json.dumps(json.loads(result.stdout))


def test_hub_restarted_while_a_device_sends_keeps_every_event_once(tmp_path: Path) -> None:
    """The embedded mode's own outage: the whole hub (broker included) stops and comes back."""
    from tests.edge_agent.helpers import wait_until
    from tests.edge_agent.test_exactly_once_to_hub import TOTAL, outbox_state

    data_dir = new_workdir("cces-hub-restart-")
    env = hub_env(data_dir)
    base = f"http://127.0.0.1:{env['CCES_HTTP_PORT']}"
    logs = open(data_dir / "hub.log", "ab")

    def start_hub() -> subprocess.Popen[bytes]:
        process = subprocess.Popen([sys.executable, "-m", "cces", "hub"], env=env, stdout=logs, stderr=logs)
        wait_healthy(base, process)
        return process

    hub = start_hub()
    agent: subprocess.Popen[bytes] | None = None
    try:
        creds = json.loads(
            subprocess.run(
                [sys.executable, "-m", "cces", "provision", "device", "door-r-01", "--json"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
        )
        agent_dir = tmp_path / "agent"
        agent_dir.mkdir()
        (agent_dir / "agent.toml").write_text(
            f'device_id = "door-r-01"\nmqtt_url = "{creds["mqtt_url"]}"\nusername = "{creds["username"]}"\n'
            f'password = "{creds["password"]}"\ndata_dir = "{agent_dir}"\nreconnect_max_delay_s = 1\n'
            f"[simulated]\nenabled = true\ninterval_s = 0.01\ncount = {TOTAL}\n"
        )
        agent = subprocess.Popen(
            [sys.executable, "-m", "cces", "agent", "--config", str(agent_dir / "agent.toml")],
            env=env,
            stdout=logs,
            stderr=logs,
        )
        assert wait_until(lambda: outbox_state(agent_dir)[0] >= TOTAL // 4, 60)
        hub.send_signal(signal.SIGTERM)
        assert hub.wait(60) == 0
        time.sleep(2.0)  # the device goes on recording into its outbox
        hub = start_hub()
        headers = admin_headers(base, data_dir)  # sessions live in the database: a restart keeps none open here
        deadline = time.monotonic() + 90
        while (
            httpx.get(f"{base}/api/v1/ingest/stats", headers=headers).json()["accepted"] < TOTAL
            and time.monotonic() < deadline
        ):
            time.sleep(0.5)
        assert wait_until(lambda: outbox_state(agent_dir) == (TOTAL, 0), 30)
        time.sleep(1.0)
        stats = httpx.get(f"{base}/api/v1/ingest/stats", headers=headers).json()
        rejects = httpx.get(f"{base}/api/v1/ingest/rejects", headers=headers).json() if stats["rejected"] else []
        why = [(r["topic"], r["reason"], r["detail"]) for r in rejects]
        assert stats["accepted"] == TOTAL and stats["rejected"] == 0, (stats, why)
    finally:
        if agent is not None:
            agent.terminate()
            agent.wait(15)
        hub.send_signal(signal.SIGTERM)
        hub.wait(60)
        logs.close()


def test_embedded_broker_port_in_use_is_one_clear_line() -> None:
    import socket

    env = hub_env(new_workdir("cces-port-"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        env["CCES_EMBEDDED_MQTT_PORT"] = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "cces", "hub"], env=env, capture_output=True, text=True, timeout=120
        )
    assert result.returncode == 2, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("cces: error:")]
    assert len(errors) == 1 and "CCES_EMBEDDED_MQTT_PORT" in errors[0]
    assert "Traceback" not in result.stderr
