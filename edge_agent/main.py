"""Process entry point: `cces agent --config FILE` and `python -m edge_agent --config FILE`.

Installs SIGINT/SIGTERM handlers that ask the agent to stop, so systemd's stop (SIGTERM)
produces a clean shutdown: capabilities stopped, outbox flushed briefly, retained offline
status with reason "shutdown". A SIGKILL or power cut instead leaves the broker to publish
the Last Will; the outbox keeps every stored event either way.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from edge_agent.agent import Agent
from edge_agent.settings import AgentSettings, ConfigError

__all__ = ["ConfigError", "run_agent"]

log = logging.getLogger(__name__)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Set `stop` on SIGINT/SIGTERM while inside; restore the previous handlers after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be installed from the main thread
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_agent(config_path: Path | None, stop: threading.Event | None = None) -> int:
    """Load the config, run the agent until SIGINT/SIGTERM (or `stop`), return the exit code 0.

    Raises ConfigError (a ValueError, one-line message) when the config is unusable.
    """
    settings = AgentSettings.load(config_path)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop_event = stop or threading.Event()
    with _stop_on_signals(stop_event):
        Agent(settings).run(stop_event)
    return 0
