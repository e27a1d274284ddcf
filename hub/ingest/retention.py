"""Upkeep of the event tables: monthly partitions ahead, old months dropped, dead letters deleted.

Plain functions of (pool, settings), run as jobs of the queue (hub.jobs): `ingest.partitions` every
6 hours (the hub also makes them once at start, before ingest, and ingest makes a month on demand),
`ingest.retention` at start and every 6 hours. Both are idempotent: a second run finds nothing to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

import logging
from datetime import UTC, datetime, timedelta

from psycopg_pool import ConnectionPool

from hub.ingest import repository as ingest_repo
from hub.jobs.models import MAINTENANCE, JobSpec
from hub.settings import HubSettings

log = logging.getLogger(__name__)

EVERY_S = 6 * 3600
EVENT_TABLES = ("attendance_events", "unknown_faces", "rfid_reads", "device_events", "device_telemetry")


def ensure_partitions(pool: ConnectionPool, months_ahead: int) -> int:
    """The monthly partitions from a month ago to `months_ahead` ahead (no-op on TimescaleDB)."""
    now = datetime.now(UTC)  # the wall clock: partitions are for events that really arrive
    with pool.connection() as conn:
        created = ingest_repo.ensure_partitions(conn, now - timedelta(days=31), now + timedelta(days=31 * months_ahead))
    if created:
        log.info("created %d monthly partitions ahead", created)
    return created


def apply_retention(pool: ConnectionPool, settings: HubSettings) -> None:
    """Drop the months past their retention (CCES_RETENTION_DAYS_…), delete old dead letters."""
    s = settings
    keep = {"device_telemetry": s.retention.days_telemetry}
    with pool.connection() as conn:
        for table in EVENT_TABLES:
            dropped = ingest_repo.apply_retention(conn, table, keep.get(table, s.retention.days_events))
            if dropped:
                log.info("retention: dropped %d old month(s)/chunk(s) of %s", dropped, table)
        if deleted := ingest_repo.delete_rejects_older_than(conn, s.retention.days_rejects):
            log.info(
                "retention: deleted %d dead-lettered message(s) older than %d days", deleted, s.retention.days_rejects
            )


def retention_jobs(pool: ConnectionPool, settings: HubSettings) -> list[JobSpec]:
    """The event tables' upkeep, for every hub role."""
    return [
        JobSpec(
            "ingest.partitions",
            lambda: ensure_partitions(pool, settings.retention.partitions_months_ahead),
            MAINTENANCE,
            every_s=EVERY_S,
        ),
        JobSpec(
            "ingest.retention", lambda: apply_retention(pool, settings), MAINTENANCE, every_s=EVERY_S, at_start=True
        ),
    ]


def domain_jobs(runtime: HubRuntime) -> list[JobSpec]:
    """The ingest domain's jobs (hub.domains): partitions and retention, for every hub role."""
    assert runtime.pool is not None
    return retention_jobs(runtime.pool, runtime.settings)
