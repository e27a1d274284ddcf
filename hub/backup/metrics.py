"""Backups in /metrics: the last success's time and size, whether the last run failed, whether an alert stands.

Read from `backup_runs` at each scrape (any hub process reports the same numbers). No samples at all while
the database does not answer (`cces_database_up` says so) rather than numbers that look like a state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import Metric
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from hub.backup.service import BackupsService

log = logging.getLogger(__name__)

SCRAPE_DB_WAIT_S = 2.0


class BackupCollector(Collector):
    def __init__(self, service: Callable[[], BackupsService | None]) -> None:
        self._service = service

    def collect(self) -> Iterator[Metric]:
        service = self._service()
        if service is None:
            return
        try:
            status = service.current(timeout=SCRAPE_DB_WAIT_S)
        except Exception as exc:  # the scrape answers while the database is away
            log.debug("metrics: backups not read (%s)", exc)
            return
        success = status.last_success
        if success is not None:
            yield GaugeMetricFamily(
                "cces_backup_last_success_timestamp_seconds",
                "when the last successful backup finished (Unix time)",
                value=success.finished_at.timestamp(),
            )
            yield GaugeMetricFamily(
                "cces_backup_last_success_size_bytes",
                "size of the last successful backup (dump, files, secrets, manifest)",
                value=float(success.size_bytes or 0),
            )
        failed = status.last_run is not None and status.last_run.status == "failed"
        yield GaugeMetricFamily("cces_backup_last_run_failed", "1 when the latest backup run failed", value=int(failed))
        yield GaugeMetricFamily(
            "cces_backup_scheduled",
            "1 when this hub takes scheduled backups (CCES_BACKUP_DIR)",
            value=int(status.scheduled),
        )
        yield GaugeMetricFamily(
            "cces_backup_alert",
            "1 when a backup failed or none succeeded within CCES_BACKUP_ALERT_AFTER_H",
            value=int(status.alert is not None),
        )
