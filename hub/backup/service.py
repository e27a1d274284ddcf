"""Backups as the hub runs them: the scheduled job, retention, the record of runs, the status and its alert.

`cces backup create` and the schedule take the same backup (hub.backup.dump); both record the run in
`backup_runs`, which the admin page (/backups), /metrics and the alert read. The scheduled job runs on
the data dir's own queue (its files are that dir's), every `CCES_BACKUP_INTERVAL_S` (a day), only when
`CCES_BACKUP_DIR` is set; after each success the retention policy removes the backups it no longer keeps.

The alert: when a backup fails, and when none has succeeded for `CCES_BACKUP_ALERT_AFTER_H` hours, the
hub logs an error (at each hourly check) and `cces_backup_alert` is 1 in /metrics; the admin page shows it.
The alert also goes to every system admin's notification inbox (hub.notifications, category `backup.alert`,
linking to /backups; by mail per their preferences): at each failed scheduled backup, and for a standing
alert once per `CCES_BACKUP_ALERT_AFTER_H`.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.accounts import access
from hub.accounts.principal import Principal
from hub.backup import repository as repo
from hub.backup.archive import Created, Source, backup_name, backup_time
from hub.backup.dump import create_backup
from hub.backup.models import (
    PARTIAL_SUFFIX,
    SECRETS_SUFFIX,
    BackupError,
    BackupRun,
    BackupStatus,
    RetentionPolicy,
    Trigger,
)
from hub.backup.retention import LOCAL_TZ, backups_to_keep
from hub.jobs.models import JobSpec
from hub.notifications.models import DEFAULT_NOTIFY, Message, NotifyConfig
from hub.notifications.service import notify

if TYPE_CHECKING:
    from hub.runtime import HubRuntime
    from hub.settings import HubSettings

log = logging.getLogger(__name__)

_SEE = "xem tình trạng sao lưu / see the backups"
RUNS_KEPT_DAYS = 400  # the record of runs (not the backups): a year of history on the admin page
PARTIAL_STALE = timedelta(hours=12)  # a `.partial` folder this old is a backup that was interrupted
ALERT_CATEGORY = "backup.alert"  # notification category (migration 0241)


@dataclass(frozen=True)
class BackupConfig:
    """The backup settings (hub.settings), in one place for the job, the page and the metrics."""

    to: Path | None = None
    secrets_to: Path | None = None
    passphrase: str | None = None
    interval_s: int = 86400
    policy: RetentionPolicy = RetentionPolicy()
    alert_after: timedelta = timedelta(hours=24)
    pg_bin: Path | None = None

    @property
    def scheduled(self) -> bool:
        return self.to is not None

    @classmethod
    def from_settings(cls, s: HubSettings) -> BackupConfig:
        return cls(
            to=s.backup.dir,
            secrets_to=s.backup.secrets_dir,
            passphrase=passphrase_from_settings(s),
            interval_s=s.backup.interval_s,
            policy=RetentionPolicy(s.backup.keep_daily, s.backup.keep_weekly, s.backup.keep_monthly),
            alert_after=timedelta(hours=s.backup.alert_after_h),
            pg_bin=s.backup.pg_bin,
        )


def passphrase_from_settings(s: HubSettings) -> str | None:
    if s.backup.passphrase is not None:
        return s.backup.passphrase.get_secret_value()
    if s.backup.passphrase_file is not None:
        try:
            return s.backup.passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise BackupError(
                f"Không đọc được tệp cụm mật khẩu {s.backup.passphrase_file}: {exc}",
                f"Cannot read the passphrase file {s.backup.passphrase_file}: {exc}",
            ) from exc
    return None


def source_for(s: HubSettings, database_url: str, embedded: bool) -> Source:
    notes = []
    if s.biometrics.secret is not None:
        notes.append("CCES_BIOMETRICS_SECRET is set: the biometrics key is that setting, not in this backup; keep it")
    if s.devices.ca_passphrase is not None:
        notes.append("CCES_CA_PASSPHRASE is set: the CA key's passphrase is that setting, not in this backup; keep it")
    return Source(database_url, s.data_dir, embedded, s.backup.pg_bin, tuple(notes))


def apply_retention(to: Path, secrets_to: Path | None, policy: RetentionPolicy, now: datetime) -> list[str]:
    """Delete the complete backups in `to` the policy no longer keeps (and their secrets kept apart), and
    interrupted ones older than PARTIAL_STALE; returns the names removed."""
    taken: dict[datetime, Path] = {}
    removed: list[str] = []
    for entry in sorted(to.iterdir()) if to.is_dir() else []:
        if entry.name.endswith(PARTIAL_SUFFIX):
            at = backup_time(entry.name.removesuffix(PARTIAL_SUFFIX))
            if at is not None and now - at > PARTIAL_STALE:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry.name)
            continue
        at = backup_time(entry.name)
        if at is not None and entry.is_dir() and (entry / "manifest.json").is_file():
            taken[at] = entry
    _kept, drop = backups_to_keep(list(taken), policy)
    for at in sorted(drop):
        folder = taken[at]
        shutil.rmtree(folder, ignore_errors=True)
        if secrets_to is not None:
            (secrets_to / f"{folder.name}{SECRETS_SUFFIX}").unlink(missing_ok=True)
        removed.append(folder.name)
    return removed


def run_row(
    trigger: Trigger, started_at: datetime, created: Created | None = None, error: str | None = None
) -> dict[str, Any]:
    """The columns of a finished run (a failed one's name is the time it started)."""
    return {
        "name": created.path.name if created else backup_name(started_at),
        "trigger": trigger,
        "status": "succeeded" if created else "failed",
        "started_at": started_at,
        "finished_at": datetime.now(UTC),
        "size_bytes": created.size if created else None,
        "location": str(created.path) if created else None,
        "error": error[:2000] if error else None,
    }


class BackupsService:
    """The record of backups and their status (system admin); the scheduled job's work."""

    def __init__(
        self,
        pool: ConnectionPool,
        clock: Callable[[], datetime],
        config: BackupConfig | None = None,
        notify_config: NotifyConfig = DEFAULT_NOTIFY,
    ) -> None:
        self.pool = pool
        self.clock = clock
        self.config = config or BackupConfig()  # from the settings' [backup] (hub.runtime)
        self.notify_config = notify_config  # how the alert is told (hub.notifications)

    def status(self, principal: Principal) -> BackupStatus:
        access.require_system_admin(principal, _SEE)
        return self.current()

    def current(self, timeout: float | None = None) -> BackupStatus:
        """The status without an access check: /metrics and the alert job."""
        with self.pool.connection(timeout=timeout) as conn:
            recent = repo.recent_runs(conn)
            success = repo.last_success(conn)
        last = recent[0] if recent else None
        alert = self._alert(success, last)
        return BackupStatus(success, last, recent, self.config.scheduled, alert[0] if alert else None,
                            alert[1] if alert else None)  # fmt: skip

    def _alert(self, success: BackupRun | None, last: BackupRun | None) -> tuple[str, str] | None:
        """(English, Vietnamese) of the alert that stands, if any."""
        if last is not None and last.status == "failed":
            at = f"{last.finished_at.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}"
            return (f"the last backup failed at {at}: {last.error or '?'}",
                    f"lần sao lưu gần nhất thất bại lúc {at}: {last.error or '?'}")  # fmt: skip
        if not self.config.scheduled and success is None:
            return None  # nothing scheduled and nothing ever taken: the page says so, no alert
        if success is None:
            return "no backup has been taken yet", "chưa có bản sao lưu nào"
        age = self.clock() - success.finished_at
        if age > self.config.alert_after:
            hours = int(age.total_seconds() // 3600)
            at = f"{success.finished_at.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}"
            return (f"no backup has succeeded for {hours} h (last at {at})",
                    f"không có bản sao lưu thành công nào trong {hours} giờ (lần cuối lúc {at})")  # fmt: skip
        return None

    def _tell_admins(self, conn: psycopg.Connection, alert: tuple[str, str]) -> None:
        """The alert in every system admin's notification inbox (and mail, per their preferences)."""
        message = Message.text("Sao lưu cần được xem", "Backups need attention", alert[1].capitalize(),
                               alert[0].capitalize())  # fmt: skip
        notify(conn, repo.system_admins(conn), ALERT_CATEGORY, message, link="/backups", config=self.notify_config)

    def record(
        self, trigger: Trigger, started_at: datetime, created: Created | None = None, error: str | None = None
    ) -> BackupRun:
        with self.pool.connection() as conn, conn.transaction():
            repo.prune_runs(conn, RUNS_KEPT_DAYS)
            return repo.record_run(conn, run_row(trigger, started_at, created, error))

    def run_scheduled(self, source: Source) -> BackupRun:
        """One scheduled backup, recorded; then retention. A failure is recorded, logged as an alert, and raised
        (the job queue retries it)."""
        config = self.config
        if config.to is None:
            raise BackupError("Chưa đặt CCES_BACKUP_DIR.", "CCES_BACKUP_DIR is not set.")
        started = datetime.now(UTC)
        try:
            if not config.passphrase:
                raise BackupError(
                    "Chưa có cụm mật khẩu sao lưu (CCES_BACKUP_PASSPHRASE hoặc CCES_BACKUP_PASSPHRASE_FILE).",
                    "No backup passphrase (CCES_BACKUP_PASSPHRASE or CCES_BACKUP_PASSPHRASE_FILE).",
                )
            created = create_backup(source, config.to, config.passphrase, secrets_to=config.secrets_to)
        except Exception as exc:
            message = exc.en if isinstance(exc, BackupError) else f"{type(exc).__name__}: {exc}"
            message_vi = exc.vi if isinstance(exc, BackupError) else message
            log.error("ALERT: the scheduled backup failed: %s", message)
            with self.pool.connection() as conn, conn.transaction():
                run = repo.record_run(conn, run_row("schedule", started, error=message))
                at = f"{run.finished_at.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}"
                self._tell_admins(conn, (f"the scheduled backup failed at {at}: {message}",
                                         f"lần sao lưu định kỳ thất bại lúc {at}: {message_vi}"))  # fmt: skip
            raise
        run = self.record("schedule", started, created)
        removed = apply_retention(config.to, config.secrets_to, config.policy, datetime.now(UTC))
        log.info(
            "scheduled backup %s: %d bytes in %.1f s; retention removed %s",
            created.path, created.size, created.seconds, ", ".join(removed) or "nothing",
        )  # fmt: skip
        return run

    def watch(self) -> str | None:
        """The alert check: when one stands (and backups are scheduled), logs it as an error and, once per
        CCES_BACKUP_ALERT_AFTER_H, puts it in the system admins' inboxes; returns it."""
        status = self.current()
        if status.alert is None or status.alert_vi is None or not self.config.scheduled:
            return status.alert
        log.error("ALERT: backups: %s", status.alert)
        with self.pool.connection() as conn, conn.transaction():
            if not repo.alerted_since(conn, self.clock() - self.config.alert_after):
                self._tell_admins(conn, (status.alert, status.alert_vi))
        return status.alert


WATCH_EVERY_S = 3600
# A daily backup runs at 02:00 Hanoi time (19:00 UTC), when nobody is at the doors; UTC midnight would
# be 07:00, the start of the working day.
NIGHT_OFFSET_S = 19 * 3600


def backup_jobs(service: BackupsService, source: Callable[[], Source], queue: str) -> list[JobSpec]:
    """The scheduled backup (only when CCES_BACKUP_DIR is set) and the hourly alert check."""
    specs = [JobSpec("backup.watch", lambda: service.watch(), every_s=WATCH_EVERY_S)]
    if service.config.scheduled:
        specs.append(
            JobSpec(
                "backup.scheduled",
                lambda: service.run_scheduled(source()),
                queue=queue,
                every_s=service.config.interval_s,
                setting="backup_interval_s",
                offset_s=NIGHT_OFFSET_S,
            )
        )
    return specs


def domain_jobs(runtime: HubRuntime) -> list[JobSpec]:
    """The backup domain's jobs (hub.domains): the scheduled backup on the data dir's queue, the alert check."""
    from hub.jobs.queue import storage_queue

    assert runtime.services is not None
    s, url, embedded = runtime.settings, runtime.database_url, runtime.embedded_database
    return backup_jobs(runtime.services.backups, lambda: source_for(s, url, embedded), storage_queue(s.data_dir))
