"""Scheduled backups on the job queue, their record, /metrics and the alert (real PostgreSQL, a real job worker)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from prometheus_client import CollectorRegistry, generate_latest

from hub.backup.archive import Source
from hub.backup.metrics import BackupCollector
from hub.backup.models import RetentionPolicy
from hub.backup.service import BackupConfig, BackupsService, backup_jobs
from hub.backup.verify import verify_backup
from hub.db import open_pool
from hub.jobs.models import RetryPolicy
from hub.jobs.queue import JobQueue
from hub.jobs.service import JobsService
from hub.services import HubServices
from tests.hub.backup.test_archive import PASSPHRASE

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def service(database_url: str, tmp_path: Path) -> Iterator[BackupsService]:
    pool = open_pool(database_url, 3)
    service = BackupsService(pool, lambda: datetime.now(UTC))
    service.config = BackupConfig(to=tmp_path / "backups", passphrase=PASSPHRASE, policy=RetentionPolicy(7, 4, 12))
    try:
        yield service
    finally:
        pool.close()


def scrape(service: BackupsService) -> dict[str, float]:
    registry = CollectorRegistry()
    registry.register(BackupCollector(lambda: service))
    samples: dict[str, float] = {}
    for line in generate_latest(registry).decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def test_the_scheduled_backup_runs_on_the_job_queue_and_is_recorded_and_reported(
    service: BackupsService, database_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "files").mkdir(parents=True)
    source = Source(database_url, data_dir, embedded=False)
    assert scrape(service)["cces_backup_alert"] == 1.0  # scheduled, and nothing taken yet
    assert service.current().alert == "no backup has been taken yet"

    queue = JobQueue(database_url, service.pool, worker_name="backup-worker", retry=RetryPolicy(attempts=1), poll_s=0.5)
    specs = {s.name: s for s in backup_jobs(service, lambda: source, "storage.test")}
    assert specs["backup.scheduled"].every_s == 86400 and specs["backup.scheduled"].queue == "storage.test"
    assert specs["backup.watch"].every_s == 3600
    queue.add(*specs.values())
    queue.start()
    try:
        job_id = queue.defer("backup.scheduled")
        assert job_id is not None
        jobs = JobsService(service.pool, service.clock)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and service.current().last_success is None:
            time.sleep(0.3)
    finally:
        queue.stop()
    status = service.current()
    assert status.last_success is not None and status.alert is None, jobs
    run = status.last_success
    assert run.trigger == "schedule" and run.size_bytes and run.location
    backup = Path(run.location)
    assert backup.parent == tmp_path / "backups" and verify_backup(backup, PASSPHRASE).checks
    samples = scrape(service)
    assert samples["cces_backup_last_success_timestamp_seconds"] == pytest.approx(run.finished_at.timestamp())
    assert samples["cces_backup_last_success_size_bytes"] == run.size_bytes
    assert samples["cces_backup_last_run_failed"] == 0 and samples["cces_backup_alert"] == 0
    assert samples["cces_backup_scheduled"] == 1

    # a day later with no new backup: the alert stands, and the hourly check logs it
    service.clock = lambda: datetime.now(UTC) + timedelta(hours=25)
    assert "no backup has succeeded for 25 h" in (service.current().alert or "")
    assert scrape(service)["cces_backup_alert"] == 1


def inbox(database_url: str) -> list[tuple[str, str, str, str | None]]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT u.username, n.title_en, n.body_en, n.link FROM notifications n JOIN users u ON u.id = n.user_id"
            " WHERE n.category = 'backup.alert' ORDER BY n.id"
        ).fetchall()


def test_a_failing_scheduled_backup_is_recorded_alerted_and_raised(
    service: BackupsService, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    HubServices(service.pool, None).accounts.ensure_first_admin(tmp_path / "admin", "mat-khau-quan-tri-1")
    source = Source(database_url, tmp_path / "data", embedded=False, pg_bin=tmp_path / "no-such-postgres")
    with caplog.at_level(logging.ERROR), pytest.raises(Exception, match="pg_dump"):
        service.run_scheduled(source)
    status = service.current()
    assert status.last_run is not None and status.last_run.status == "failed" and status.last_success is None
    assert "pg_dump" in (status.last_run.error or "")
    assert status.alert is not None and status.alert.startswith("the last backup failed")
    assert any("ALERT: the scheduled backup failed" in r.message for r in caplog.records)
    samples = scrape(service)
    assert samples["cces_backup_last_run_failed"] == 1 and samples["cces_backup_alert"] == 1
    assert "cces_backup_last_success_timestamp_seconds" not in samples
    assert not list((tmp_path / "backups").iterdir())  # nothing half-written left behind
    # the system admin's inbox has it, linking to the backups page
    (told,) = inbox(database_url)
    assert told[0] == "admin" and told[1] == "Backups need attention" and told[3] == "/backups"
    assert told[2].startswith("The scheduled backup failed at") and "pg_dump" in told[2]
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert service.watch() is not None
    assert any("ALERT: backups:" in r.message for r in caplog.records)
    assert len(inbox(database_url)) == 1  # told within the alert period already: not again
    service.clock = lambda: datetime.now(UTC) + timedelta(hours=25)
    service.watch()
    assert len(inbox(database_url)) == 2 and inbox(database_url)[1][2].startswith("The last backup failed")


def test_without_a_backup_dir_nothing_is_scheduled_and_nothing_alerts(service: BackupsService) -> None:
    service.config = BackupConfig()
    assert [s.name for s in backup_jobs(service, lambda: None, "storage.x")] == ["backup.watch"]  # type: ignore[arg-type,return-value]
    assert service.current().alert is None and service.watch() is None
    assert scrape(service)["cces_backup_scheduled"] == 0
