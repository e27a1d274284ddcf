"""The scheduled jobs of face snapshots: delete them after their retention, seal what earlier versions left in clear.

Plain functions of (pool, stores, clock) that tests drive with a clock instead of waiting; the hub
runs them as the job `snapshots.retention` (`snapshot_jobs`) at start and every 6 hours. The job is
one per data dir, not one for the whole hub: its files are that dir's, so it goes to the dir's own
queue (`storage.<id>`, hub.jobs.queue.storage_queue) — processes sharing a data dir run it once per
period between them, a process with a dir of its own runs it for that dir. Both functions can run in
several processes at once anyway: rows are claimed with `SKIP LOCKED`, and a file already deleted by
another process is not an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from psycopg_pool import ConnectionPool

from hub.files import ContentStore
from hub.jobs.models import STORAGE_PREFIX, JobSpec
from hub.snapshots import repository as repo
from hub.snapshots.models import RetentionReport, SealReport
from hub.snapshots.store import KINDS, SnapshotEvent, SnapshotKind, SnapshotStore

log = logging.getLogger(__name__)

BATCH_ROWS = 500  # rows marked per transaction: short locks on the event tables
JPEG_MAGIC = b"\xff\xd8\xff"
#: an earlier version's ingest may still be writing into the clear-text store during a rolling
#: upgrade (file first, row after): a clear file no row points at is deleted only once this old
CLEAR_ORPHAN_AGE = timedelta(hours=1)


def expire_snapshots(
    pool: ConnectionPool,
    store: SnapshotStore,
    clear: ContentStore | None,
    *,
    keep: timedelta,
    now: datetime,
    max_future: timedelta,
) -> RetentionReport:
    """Delete the snapshots of events older than `keep` (at `now`); their rows say 'removed by retention'.

    Then deletes, by age, the files no row points at any more (a batch that was never stored, a row
    whose month was dropped): a file last written more than `keep + max_future` ago cannot belong to
    an event still within `keep`, because ingest refuses events more than `max_future` ahead of it.
    """
    cutoff = now - keep
    rows = files = 0
    for kind in KINDS:
        while True:
            with pool.connection() as conn, conn.transaction():
                sealed = repo.expire_sealed(conn, kind, cutoff, now, BATCH_ROWS)
                # deleted before COMMIT: a failed COMMIT leaves the rows to the next run, never a file behind a
                # row that says it is gone
                files += sum(store.remove(name) for name in sealed)
                cleartext = repo.expire_clear(conn, kind, cutoff, now, BATCH_ROWS) if clear is not None else []
                for digest in set(cleartext):
                    if clear is not None and not repo.clear_file_in_use(conn, digest):
                        files += clear.remove(digest)
            rows += len(sealed) + len(cleartext)
            if len(sealed) < BATCH_ROWS and len(cleartext) < BATCH_ROWS:
                break
    orphans = 0
    for path in store.files_older_than(cutoff - max_future):
        path.unlink(missing_ok=True)
        orphans += 1
    if rows or orphans:
        log.info("snapshot retention (%s days): %d events, %d files, %d unreferenced files removed",
                 keep.days, rows, files, orphans)  # fmt: skip
    return RetentionReport(rows, files, orphans)


def seal_clear_snapshots(
    pool: ConnectionPool,
    clear: ContentStore,
    store: SnapshotStore,
    *,
    now: datetime,
    stop: threading.Event | None = None,
) -> SealReport:
    """Seal the clear-text snapshots an earlier version wrote to the content store, then delete them.

    Driven by the files this process holds (each hub process seals its own data dir): every event
    pointing at a file gets its own sealed copy and points at it; the clear file is deleted once no
    event points at it. A JPEG there that no event points at (a batch that was never stored) is
    deleted too: that store held nothing but snapshots. Resumable: stopped half-way (`stop`), it
    goes on from what is left at its next run.
    """
    sealed_files = rows = unreferenced = 0
    settled = (now - CLEAR_ORPHAN_AGE).timestamp()
    for path in clear.files():
        if stop is not None and stop.is_set():
            break
        try:
            data = path.read_bytes()
            old = path.stat().st_mtime < settled
        except FileNotFoundError:  # another process sealed it meanwhile
            continue
        if not data.startswith(JPEG_MAGIC):
            continue  # not a snapshot: not ours to touch
        events: list[tuple[SnapshotKind, UUID, datetime]] = []
        in_use = False
        if "." not in path.name:  # `<digest>.tmp<pid>`: a write that never finished, no row names it
            with pool.connection() as conn, conn.transaction():
                events = repo.clear_file_rows(conn, path.name)
                for kind, event_id, ts in events:
                    repo.seal_clear(conn, kind, event_id, ts, store.put(SnapshotEvent(kind, event_id, ts), data))
                in_use = repo.clear_file_in_use(conn, path.name)  # rows another process holds right now
        if in_use or not (events or old):
            continue
        path.unlink(missing_ok=True)  # after COMMIT: the rows point at their sealed copies first
        if events:
            sealed_files += 1
            rows += len(events)
        else:
            unreferenced += 1
    if sealed_files or unreferenced:
        log.info("sealed %d clear-text snapshot files of an earlier version (%d events); %d unreferenced deleted",
                 sealed_files, rows, unreferenced)  # fmt: skip
    return SealReport(sealed_files, rows, unreferenced)


EVERY_S = 6 * 3600


def snapshot_jobs(
    pool: ConnectionPool,
    store: SnapshotStore,
    clear: ContentStore | None,
    *,
    queue: str,
    keep: timedelta,
    max_future: timedelta,
    clock: Callable[[], datetime],
    stop: threading.Event,
) -> list[JobSpec]:
    """`snapshots.retention` of one data dir (its storage `queue`): expire, then seal an earlier version's files."""

    def run() -> None:
        now = clock()
        expire_snapshots(pool, store, clear, keep=keep, now=now, max_future=max_future)
        if clear is not None:
            seal_clear_snapshots(pool, clear, store, now=now, stop=stop)

    storage_id = queue.removeprefix(STORAGE_PREFIX)
    return [JobSpec("snapshots.retention", run, queue, every_s=EVERY_S, periodic_id=storage_id, at_start=True)]


def domain_jobs(runtime: HubRuntime) -> list[JobSpec]:
    """The snapshots domain's jobs (hub.domains): retention of this data dir's snapshots, sealing what
    earlier versions left in clear."""
    from hub.jobs.queue import storage_queue

    s, service = runtime.settings, runtime.snapshots
    if service is None or runtime.pool is None:
        return []
    return snapshot_jobs(
        runtime.pool, service.store, service.clear, queue=storage_queue(s.data_dir),
        keep=timedelta(days=s.retention.snapshot_days), max_future=timedelta(seconds=s.ingest.max_future_s),
        clock=runtime.clock, stop=runtime.stopping,
    )  # fmt: skip
