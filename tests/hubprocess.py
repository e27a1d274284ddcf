"""`cces hub` as a separate process for tests: its environment, waiting until it is healthy, a clean stop.

Shared by the hub-process tests (tests/cces) and the browser tests (tests/ui/browser), which all run
the real command rather than the app in-process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.services import free_port


@dataclass
class HubProcess:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    base_url: str
    data_dir: Path

    def cces(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Another `cces` command with the hub's settings (same data dir, database, ports)."""
        return subprocess.run(
            [sys.executable, "-m", "cces", *args], env=self.env, capture_output=True, text=True, timeout=120
        )

    def log_tail(self, chars: int = 3000) -> str:
        return log_tail(self.data_dir, chars)


def log_tail(data_dir: Path, chars: int = 3000) -> str:
    log = data_dir / "hub.log"
    return log.read_text(errors="replace")[-chars:] if log.exists() else ""


def hub_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without any CCES_ setting, then the data dir, free ports and `settings`; the
    tests' strict text keys (CCES_I18N_STRICT, tests/conftest.py) stay, so a raw key on a real hub's page fails too."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCES_") or k == "CCES_I18N_STRICT"}
    env.update(
        CCES_DATA_DIR=str(data_dir),
        CCES_HTTP_PORT=str(free_port()),
        CCES_EMBEDDED_MQTT_PORT=str(free_port()),
        CCES_DEVICE_HTTPS_PORT=str(free_port()),
        **settings,
    )
    return env


def wait_healthy(
    base_url: str, process: subprocess.Popen[bytes], timeout: float = 90, data_dir: Path | None = None
) -> dict[str, str]:
    """The hub's health once it answers 200; fails at once if the process exits (with its log's tail)."""
    tail = (lambda: f"\n{log_tail(data_dir)}") if data_dir is not None else (lambda: "")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"cces hub exited with {process.returncode}{tail()}"
        try:
            response = httpx.get(f"{base_url}/api/v1/health", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"cces hub did not become healthy{tail()}")


@contextmanager
def running_hub(env: dict[str, str]) -> Iterator[HubProcess]:
    """`cces hub` with `env` (see `hub_env`), logging to hub.log in its data dir; healthy inside, stopped after."""
    data_dir = Path(env["CCES_DATA_DIR"])
    log = open(data_dir / "hub.log", "wb")  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen([sys.executable, "-m", "cces", "hub"], env=env, stdout=log, stderr=subprocess.STDOUT)
    hub = HubProcess(process, env, f"http://127.0.0.1:{env['CCES_HTTP_PORT']}", data_dir)
    try:
        wait_healthy(hub.base_url, process, data_dir=data_dir)
        yield hub
    finally:
        if process.poll() is None:  # (a test may have stopped it itself)
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
