"""`cces demo`: the first command of the README brings up the hub and a device that sends events."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.cces.test_hub_process import admin_headers, hub_env, wait_healthy
from tests.services import new_workdir

pytestmark = pytest.mark.timeout(180)


def accepted(base: str, headers: dict[str, str]) -> int:
    return int(httpx.get(f"{base}/api/v1/ingest/stats", headers=headers).json()["accepted"])


def door_screen_link(log: Path, timeout_s: float = 30.0) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Màn hình cửa / door screen: "):
                return line.split(": ", 1)[1].strip()
        time.sleep(0.2)
    raise AssertionError(f"the demo printed no door screen link:\n{log.read_text()}")


def test_demo_is_healthy_and_its_device_events_keep_arriving() -> None:
    data_dir = new_workdir("cces-demo-")
    env = hub_env(data_dir) | {"CCES_MODELS_DIR": str(data_dir / "models")}  # the demo installs its pack there
    base = f"http://127.0.0.1:{env['CCES_HTTP_PORT']}"
    with open(data_dir / "demo.log", "wb") as log:
        demo = subprocess.Popen(
            [sys.executable, "-m", "cces", "demo", "--interval", "0.2"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            health = wait_healthy(base, demo)
            assert health["status"] == "ok"
            headers = admin_headers(base, data_dir)
            first = accepted(base, headers)
            deadline = time.monotonic() + 60
            while accepted(base, headers) < first + 5 and time.monotonic() < deadline:
                time.sleep(0.5)
            assert accepted(base, headers) >= first + 5, "the demo device's events stopped arriving"
            stats = httpx.get(f"{base}/api/v1/ingest/stats", headers=headers).json()
            assert stats["rejected"] == 0
            page = httpx.get(f"{base}/", follow_redirects=True).text  # the sign-in page when signed out
            assert "CCES" in page
            screen = door_screen_link(data_dir / "demo.log")  # the demo door's screen, as printed
            assert screen.startswith(f"{base}/kiosk/terminal/demo-door-01?key=")
            assert httpx.get(screen).status_code == 200
            assert httpx.get(screen.split("?")[0]).status_code == 403  # not without its key
            # the demo installed the door's model pack, so its office gallery builds (it failed every time before)
            rebuilt = "Job galleries.rebuild["
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not any(
                rebuilt in line and "Success" in line for line in (data_dir / "demo.log").read_text().splitlines()
            ):
                time.sleep(0.5)
            lines = (data_dir / "demo.log").read_text().splitlines()
            assert any(rebuilt in line and "Success" in line for line in lines), "no gallery rebuild succeeded"
            assert not [line for line in lines if rebuilt in line and "Error" in line]
            assert (data_dir / "models" / "yunet-sface").is_dir()
            children = psutil.Process(demo.pid).children(recursive=True)
            assert children, "the demo device runs as its own agent process"
        finally:
            demo.send_signal(signal.SIGTERM)
            assert demo.wait(60) == 0
    output = (data_dir / "demo.log").read_text()
    assert f"http://127.0.0.1:{env['CCES_HTTP_PORT']}/" in output  # the URL to open is printed
    assert "admin" in output and str(data_dir / "admin-password") in output  # and how to sign in
    # the office work (cces.demo_office) and the leaders' accounts, their password kept owner-only in the data dir
    assert "office work: accounts +8, leave +12" in output and "ld-kv1" in output
    assert (data_dir / "demo-accounts").stat().st_mode & 0o077 == 0
    gone, alive = psutil.wait_procs(children, timeout=20)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
