"""The re-send of unanswered commands (gửi lại lệnh chưa có trả lời).

Devices connect with a clean session, so the broker keeps nothing for an offline device. Two
moments make a pending command worth publishing again:
- its device comes back online: ingest calls `devices_online(ids)` after it committed the
  status message (the device subscribes before it announces itself, so it gets what follows);
  the pending commands of those devices go out at once, whenever they were last sent. This stays
  immediate, on a small thread of the process whose ingest saw the device (role all);
- every `interval_s`: a device that is online but has not answered a command sent at least
  `interval_s` ago (its PUBACK was lost, it restarted in between, or ingest runs in another
  process and nobody told this node) gets it again. The same round marks expired what passed
  its expiry, so a command whose device never came back ends visibly as expired. This round is
  the job `commands.resend` of the job queue (`resend_job`, hub.jobs): once per interval across
  all hub processes, on whichever process with a command channel takes it.

Neither runs on ingest's writer or paho's network thread: a publish waits for the broker's
PUBACK. The claim in the database (SKIP LOCKED) keeps two hub nodes from sending the same command
in the same moment; a duplicate is harmless anyway (the device runs an id once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

import logging
import threading
from collections.abc import Iterable

from psycopg_pool import ConnectionPool

from hub.commands import service
from hub.commands.service import CommandPublisher
from hub.jobs.models import COMMANDS, JobSpec

log = logging.getLogger(__name__)

ONLINE_RETRY_S = 5.0  # devices announced online whose re-send failed (database, broker) are tried again after this


class CommandResender:
    """`start()` runs the thread of the "online" re-sends; `devices_online()` may be called from any thread
    and never blocks; `periodic_round()` is the periodic job's work."""

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

    def periodic_round(self) -> int:
        """The periodic round (the job `commands.resend`): it raises when the database is away, and the
        job queue retries it."""
        return self.run_once(periodic=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(ONLINE_RETRY_S if self._online else None)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.run_once(periodic=False)
            except Exception:  # the database or broker is away: the announced devices stay queued, retried
                if not self._stop.is_set():
                    log.exception("re-sending commands to devices back online failed; retrying")


def resend_job(resender: CommandResender, setting: str = "command_resend_interval_s") -> JobSpec:
    """The periodic re-send round, for the processes that hold a command channel (roles all and api)."""
    return JobSpec("commands.resend", resender.periodic_round, COMMANDS, every_s=resender.interval_s, setting=setting)


def domain_jobs(runtime: HubRuntime) -> list[JobSpec]:
    """The devices domain's jobs (hub.domains): the re-send round, where this process holds a command channel."""
    return [resend_job(runtime.resender)] if runtime.resender is not None else []
