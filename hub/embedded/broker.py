"""The embedded MQTT broker (amqtt, MQTT 3.1.1) for a hub on one machine.

It runs on its own thread and event loop so that a busy web UI never delays a PUBACK, and
it has authentication on: the hub's password is generated into the data dir, devices use
the credentials `cces provision device` gave them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
from pathlib import Path

from hub.passwords import hash_secret

log = logging.getLogger(__name__)


def hub_broker_password(secrets_dir: Path) -> str:
    """The hub's own broker password, made once and kept (0600) in the data dir."""
    secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = secrets_dir / "hub-mqtt-password"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


class EmbeddedBroker:
    def __init__(
        self,
        host: str,
        port: int,
        database_url: str,
        hub_username: str,
        hub_password: str,
        hub_client_id: str = "cces-hub-ingest",
    ) -> None:
        self.host = host
        self.port = port
        self._config = {
            "listeners": {"default": {"type": "tcp", "bind": f"{host}:{port}"}},
            "plugins": {
                "hub.embedded.broker_plugins.DeviceAccessPlugin": {
                    "database_url": database_url,
                    "hub_username": hub_username,
                    "hub_password_hash": hash_secret(hub_password),
                },
                "hub.embedded.broker_plugins.HubSessionPlugin": {
                    "hub_client_id": hub_client_id,
                    "hub_username": hub_username,
                },
            },
        }
        self.hub_client_id = hub_client_id
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._broker: object | None = None

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    @property
    def up(self) -> bool:
        """The broker's event loop is running (what /metrics reports as cces_embedded_broker_up)."""
        return self._broker is not None and self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 20.0) -> None:
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            from hub.embedded.lossless import LosslessBroker

            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            # a failed start is reported to our caller in one line; amqtt would also log a traceback
            startup_log = logging.getLogger("amqtt.broker")
            level = startup_log.level
            startup_log.setLevel(logging.CRITICAL)
            try:
                broker = LosslessBroker(self._config, loop=loop)
                loop.run_until_complete(broker.start())
                self._broker = broker
            except BaseException as exc:  # reported to the caller of start()
                failure.append(exc)
                started.set()
                loop.close()
                return
            finally:
                startup_log.setLevel(level)
            started.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="embedded-mqtt-broker", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise RuntimeError(f"embedded MQTT broker did not start within {timeout}s")
        if failure:
            raise RuntimeError(f"embedded MQTT broker could not listen on {self.host}:{self.port}: {failure[0]}")
        log.info("embedded MQTT broker listening on %s:%s (authentication on)", self.host, self.port)

    def drain(self, timeout: float = 15.0) -> int:
        """Close device connections and wait until the hub's ingest has stored what they sent."""
        if self._loop is None or self._broker is None:
            return 0
        future = asyncio.run_coroutine_threadsafe(self._broker.drain(self.hub_client_id, timeout), self._loop)
        try:
            return int(future.result(timeout + 5))
        except TimeoutError:
            future.cancel()
            log.warning("embedded broker drain did not finish in %.0fs", timeout + 5)
            return -1

    def stop(self) -> None:
        """Drain (while the hub's ingest still runs, call `drain()` first), then shut down."""
        if self._loop is None or self._broker is None:
            return
        self.drain(timeout=5.0)
        future = asyncio.run_coroutine_threadsafe(self._broker.shutdown(), self._loop)  # type: ignore[attr-defined]
        try:
            future.result(timeout=10)
        except Exception:  # a broker that fails to shut down cleanly is still stopped below
            log.exception("embedded broker shutdown failed")
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._broker = None
        self._loop = None
