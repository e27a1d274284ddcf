"""A running `cces hub` for the browser tests: the real process on the test's PostgreSQL (seeded
with the small organisation), the embedded amqtt broker, the real `yunet-sface` pack, the first
admin's password given. Driven with the `browser` fixture (headless Chromium) of tests/conftest.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.hub.orgdata import seed_org
from tests.services import free_port, new_workdir

ADMIN_PASSWORD = "trình-duyệt-thử-2026"


@dataclass
class BrowserHub:
    base_url: str
    env: dict[str, str]
    data_dir: Path
    database_url: str

    def cces(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cces", *args], env=self.env, capture_output=True, text=True, timeout=120
        )

    def log_tail(self, chars: int = 3000) -> str:
        return (self.data_dir / "hub.log").read_text(errors="replace")[-chars:]


@pytest.fixture
def browser_hub(database_url: str, models_dir: Path) -> Iterator[BrowserHub]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    data_dir = new_workdir("cces-hub-browser-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCES_")}
    env.update(
        CCES_DATA_DIR=str(data_dir),
        CCES_DATABASE_URL=database_url,
        CCES_HTTP_PORT=str(free_port()),
        CCES_EMBEDDED_MQTT_PORT=str(free_port()),
        CCES_DEVICE_HTTPS_PORT=str(free_port()),
        CCES_ADMIN_PASSWORD=ADMIN_PASSWORD,
        CCES_MODELS_DIR=str(models_dir),
    )
    log = open(data_dir / "hub.log", "wb")  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen([sys.executable, "-m", "cces", "hub"], env=env, stdout=log, stderr=subprocess.STDOUT)
    hub = BrowserHub(f"http://127.0.0.1:{env['CCES_HTTP_PORT']}", env, data_dir, database_url)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, hub.log_tail()
            try:
                if httpx.get(f"{hub.base_url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"cces hub did not become healthy:\n{hub.log_tail()}"
            time.sleep(0.5)
        yield hub
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
