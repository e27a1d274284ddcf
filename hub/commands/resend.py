"""The re-send of unanswered commands (gửi lại lệnh chưa có trả lời): one small thread per hub node.

Devices connect with a clean session, so the broker keeps nothing for an offline device. Two
moments make a pending command worth publishing again:
- its device comes back online: ingest calls `devices_online(ids)` after it committed the
  status message (the device subscribes before it announces itself, so it gets what follows);
  the pending commands of those devices go out at once, whenever they were last sent;
- every `interval_s`: a device that is online but has not answered a command sent at least
  `interval_s` ago (its PUBACK was lost, it restarted in between, or ingest runs in another
  process and nobody told this node) gets it again. The same round marks expired what passed
  its expiry, so a command whose device never came back ends visibly as expired.

Both run on this thread, never on ingest's writer or paho's network thread: a publish waits for
the broker's PUBACK. The claim in the database (SKIP LOCKED) keeps two hub nodes from sending
the same command in the same moment; a duplicate is harmless anyway (the device runs an id once).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from psycopg_pool import ConnectionPool

from hub.commands import service
from hub.commands.service import CommandPublisher

log = logging.getLogger(__name__)


class CommandResender:
    """`start()` runs the thread; `devices_online()` may be called from any thread and never blocks."""

    def __init__(self, pool: ConnectionPool, publisher: CommandPublisher, interval_s: float) -> None:
        if interval_s <= 0:
            raise ValueError("interval_s must be positive")
        self._pool = pool
        self._publisher = publisher
        self.interval_s = interval_s
        self._online: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.resent = 0  # publishes done by this node since it started
        self.rounds = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="command-resend", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None

    def devices_online(self, device_ids: Iterable[str]) -> None:
        """These devices' "online" status is committed: send their pending commands again, soon."""
        ids = set(device_ids)
        if not ids:
            return
        with self._lock:
            self._online |= ids
        self._wake.set()

    def run_once(self, periodic: bool = True) -> int:
        """One round on the calling thread: the devices announced online, then (periodic) the others."""
        if periodic:
            service.expire_overdue(self._pool)
        if not self._publisher.connected:
            return 0  # the announced devices stay queued for when the channel is back
        with self._lock:
            online, self._online = self._online, set()
        sent = 0
        if online:
            try:
                sent += service.resend_pending(self._pool, self._publisher, sorted(online), not_sent_within_s=0.0)
            except Exception:
                with self._lock:
                    self._online |= online
                raise
        if periodic:
            sent += service.resend_pending(self._pool, self._publisher, None, not_sent_within_s=self.interval_s)
        self.resent += sent
        self.rounds += 1
        return sent

    def _run(self) -> None:
        next_periodic = time.monotonic() + self.interval_s
        while not self._stop.is_set():
            self._wake.wait(max(0.0, next_periodic - time.monotonic()))
            self._wake.clear()
            if self._stop.is_set():
                return
            periodic = time.monotonic() >= next_periodic
            if periodic:
                next_periodic = time.monotonic() + self.interval_s
            try:
                self.run_once(periodic)
            except Exception:  # the database or broker is away: the next round (or the next "online") retries
                if not self._stop.is_set():
                    log.exception("re-sending commands failed; retrying at the next round")
