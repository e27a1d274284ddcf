"""`cces hub` through outages: the database going away under it, and a stop after a crash.

The hub runs as a person runs it (embedded PostgreSQL and broker in its data dir). While the
database is down the API answers 503 with `Retry-After` and a Vietnamese/English message at
once (not after the pool's wait), pages say the database is unavailable, devices' events wait
at the broker; when the database is back everything works again without restarting the hub.
"""

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
from tests.hubprocess import HubProcess, log_tail, running_hub, wait_healthy
from tests.hubprocess import hub_env as shared_hub_env
from tests.hubstack import attendance_event, device_client, publish
from tests.services import new_workdir, start_postgres, stop_postgres

pytestmark = pytest.mark.timeout(240)

#: generous: the hub must answer long before the pool's old 30 s wait, on a busy 2-core machine
ANSWER_WITHIN_S = 15.0


def postgres_processes(pgdata: Path) -> list[psutil.Process]:
    """Every PostgreSQL process serving `pgdata` (the postmaster has it on its command line)."""
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        try:
            if proc.info["name"] == "postgres" and str(pgdata) in " ".join(proc.info["cmdline"] or ()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def stop_leftover_postgres(data_dir: Path) -> None:
    """Teardown only: a failing test must not leave its PostgreSQL running."""
    pgdata = data_dir / "postgres"
    if postgres_processes(pgdata.resolve()):
        try:
            stop_postgres(pgdata)
        except subprocess.CalledProcessError:
            pass


@pytest.fixture
def hub_process() -> Iterator[HubProcess]:
    data_dir = new_workdir("cces-outage-")
    try:
        with running_hub(shared_hub_env(data_dir, CCES_LOG_LEVEL="INFO")) as hub:
            yield hub
    finally:
        stop_leftover_postgres(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


def sign_in(base_url: str, data_dir: Path) -> httpx.Response:
    password = (data_dir / "admin-password").read_text().strip()
    return httpx.post(
        f"{base_url}/api/v1/auth/sign-in",
        json={"username": "admin", "password": password},
        timeout=ANSWER_WITHIN_S,
    )


def assert_database_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:500])
    assert int(response.headers["retry-after"]) > 0
    detail = response.json()["detail"]
    assert "cơ sở dữ liệu" in detail.lower() and "database" in detail.lower(), detail
    assert "Traceback" not in response.text and "psycopg" not in response.text


def test_database_down_answers_503_then_the_hub_recovers_without_a_restart(hub_process: HubProcess) -> None:
    base, data_dir = hub_process.base_url, hub_process.data_dir
    signed = sign_in(base, data_dir)
    assert signed.status_code == 200, signed.text
    headers = {"Authorization": f"Bearer {signed.json()['token']}"}
    cookies = {"cces_session": signed.json()["token"]}
    created = hub_process.cces("provision", "device", "door-o-01", "--json")
    assert created.returncode == 0, created.stderr
    credentials = json.loads(created.stdout)
    device = device_client(
        BrokerAddress.parse(credentials["mqtt_url"]),
        DeviceCredentials(credentials["username"], credentials["password"]),
    )
    try:
        publish(device, Topics("door-o-01").events, attendance_event("door-o-01", seq=0))
        stats_url = f"{base}/api/v1/ingest/stats"
        deadline = time.monotonic() + 30
        while httpx.get(stats_url, headers=headers).json()["accepted"] < 1:
            assert time.monotonic() < deadline, "the first event was not stored"
            time.sleep(0.2)

        stop_postgres(data_dir / "postgres")

        # the API: 503 + Retry-After + a message in both languages, answered at once
        for path in ("/api/v1/ingest/stats", "/api/v1/auth/me", "/api/v1/devices", "/api/v1/employees"):
            assert_database_unavailable(httpx.get(f"{base}{path}", headers=headers, timeout=ANSWER_WITHIN_S))
        assert_database_unavailable(sign_in(base, data_dir))
        # a page: a notice that the database is unavailable, not a traceback
        page = httpx.get(f"{base}/", cookies=cookies, timeout=ANSWER_WITHIN_S)
        assert page.status_code == 503 and int(page.headers["retry-after"]) > 0
        assert "database is unavailable" in page.text.lower(), page.text[-2000:]
        assert "Traceback" not in page.text and "OperationalError" not in page.text
        assert hub_process.process.poll() is None
        # the device goes on: its events wait at the broker while the hub cannot store them
        for seq in range(1, 6):
            publish(device, Topics("door-o-01").events, attendance_event("door-o-01", seq=seq))

        start_postgres(data_dir / "postgres")

        # no restart: health, sign-in, the API and pages work again; the events sent meanwhile are stored
        wait_healthy(base, hub_process.process, timeout=60, data_dir=data_dir)
        deadline = time.monotonic() + 90
        while True:
            response = httpx.get(stats_url, headers=headers, timeout=ANSWER_WITHIN_S)
            if response.status_code == 200 and response.json()["accepted"] >= 6:
                break
            assert time.monotonic() < deadline, f"events sent during the outage were not stored: {response.text}"
            time.sleep(0.5)
        assert response.json() == {"accepted": 6, "duplicates": 0, "rejected": 0}
        assert sign_in(base, data_dir).status_code == 200
        assert httpx.get(f"{base}/api/v1/devices", headers=headers).status_code == 200
        assert httpx.get(f"{base}/api/v1/employees", headers=headers).status_code == 200
        home = httpx.get(f"{base}/", cookies=cookies)
        assert home.status_code == 200 and "database is unavailable" not in home.text.lower()
        # the live feed's listener (its own connection, not the pool's) is back too
        while "live feed reconnected" not in (data_dir / "hub.log").read_text(errors="replace"):
            assert time.monotonic() < deadline, f"the live feed did not reconnect\n{hub_process.log_tail()}"
            time.sleep(0.5)
        assert hub_process.process.poll() is None
    finally:
        device.disconnect()
        device.loop_stop()

    # the PostgreSQL running now was started behind pgserver's back (start_postgres): a clean stop stops it too
    hub_process.process.send_signal(signal.SIGTERM)
    assert hub_process.process.wait(60) == 0
    pgdata = (data_dir / "postgres").resolve()
    _gone, alive = psutil.wait_procs(postgres_processes(pgdata), timeout=20)
    assert not alive, f"PostgreSQL left running after the hub stopped: {alive}\n{hub_process.log_tail()}"


def test_a_clean_stop_after_a_killed_hub_stops_postgresql() -> None:
    """SIGKILL leaves PostgreSQL running (a daemon) and pgserver's list of holders naming a dead
    process; the next hub joins that server, and its clean stop must still stop it."""
    data_dir = new_workdir("cces-killed-")
    env = shared_hub_env(data_dir, CCES_LOG_LEVEL="INFO")
    base = f"http://127.0.0.1:{env['CCES_HTTP_PORT']}"
    pgdata = (data_dir / "postgres").resolve()
    logs = open(data_dir / "hub.log", "ab")  # noqa: SIM115 - closed in finally
    hub: subprocess.Popen[bytes] | None = None
    try:
        hub = subprocess.Popen([sys.executable, "-m", "cces", "hub"], env=env, stdout=logs, stderr=logs)
        wait_healthy(base, hub, data_dir=data_dir)
        hub.send_signal(signal.SIGKILL)
        hub.wait(30)
        survivors = postgres_processes(pgdata)
        assert survivors, "expected the killed hub's PostgreSQL to outlive it"

        hub = subprocess.Popen([sys.executable, "-m", "cces", "hub"], env=env, stdout=logs, stderr=logs)
        wait_healthy(base, hub, data_dir=data_dir)
        hub.send_signal(signal.SIGTERM)
        assert hub.wait(60) == 0, log_tail(data_dir)
        hub = None

        _gone, alive = psutil.wait_procs(postgres_processes(pgdata) + survivors, timeout=20)
        left = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not left, f"PostgreSQL left running after a clean stop: {left}\n{log_tail(data_dir)}"
    finally:
        if hub is not None and hub.poll() is None:
            hub.kill()
            hub.wait(30)
        logs.close()
        stop_leftover_postgres(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
