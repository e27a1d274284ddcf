"""A thread that is started again when it dies, with the reason logged.

A hub thread that dies quietly is the worst failure there is: the ingest writer dying left the
broker acknowledging every device's events while nothing was stored, and health said ok. Every
long-running thread of the hub runs under a `SupervisedThread`: when its body raises (or returns
while the hub is not stopping) the exception is logged with its traceback, counted, kept for the
health report, and the body is started again after a backoff that grows while it keeps failing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThreadState:
    """What health reports of one supervised thread."""

    name: str
    alive: bool
    restarts: int
    last_error: str | None
    down_since: float | None  # time.monotonic() when the body last died; None while it runs


class SupervisedThread:
    """Runs `body()` on a daemon thread until `stop_event` is set, restarting it when it dies.

    `body` is expected to loop until `stop_event` is set and then return. The backoff starts at
    `min_backoff_s`, doubles on every failure within `stable_after_s` of the last start, and is
    reset once the body has run that long without failing.
    """

    def __init__(
        self,
        name: str,
        body: Callable[[], None],
        stop_event: threading.Event,
        *,
        min_backoff_s: float = 1.0,
        max_backoff_s: float = 30.0,
        stable_after_s: float = 60.0,
    ) -> None:
        self.name = name
        self._body = body
        self._stop = stop_event
        self._min_backoff = min_backoff_s
        self._max_backoff = max_backoff_s
        self._stable_after = stable_after_s
        self._thread: threading.Thread | None = None
        self._running = threading.Event()
        self._lock = threading.Lock()
        self._restarts = 0
        self._last_error: str | None = None
        self._down_since: float | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._supervise, name=self.name, daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def state(self) -> ThreadState:
        with self._lock:
            return ThreadState(self.name, self._running.is_set(), self._restarts, self._last_error, self._down_since)

    def _supervise(self) -> None:
        backoff = self._min_backoff
        while not self._stop.is_set():
            started = time.monotonic()
            self._running.set()
            with self._lock:
                self._down_since = None
            try:
                self._body()
                if self._stop.is_set():
                    return
                reason = "returned while the hub is running"
                log.error("thread %s %s; starting it again in %.0f s", self.name, reason, backoff)
            except BaseException as exc:  # noqa: BLE001 - the whole point is to outlive any failure of the body
                reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
                log.exception("thread %s died (%s); starting it again in %.0f s", self.name, reason, backoff)
            finally:
                self._running.clear()
            with self._lock:
                self._restarts += 1
                self._last_error = reason
                self._down_since = time.monotonic()
            if time.monotonic() - started >= self._stable_after:
                backoff = self._min_backoff
            if self._stop.wait(backoff):
                return
            backoff = min(backoff * 2, self._max_backoff)
