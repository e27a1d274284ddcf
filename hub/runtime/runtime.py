"""`HubRuntime`: the hub's parts started in dependency order and stopped in reverse (see `hub.runtime`)."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from psycopg_pool import ConnectionPool

from hub.accounts.models import AccountsPolicy
from hub.commands.channel import CommandChannel
from hub.commands.resend import CommandResender
from hub.db import MigrationReport, migrate, open_pool
from hub.domains import DOMAINS, load
from hub.embedded.broker import EmbeddedBroker, hub_broker_password
from hub.embedded.mosquitto import EmbeddedMosquitto
from hub.embedded.postgres import EmbeddedPostgres
from hub.ingest.consumer import IngestService
from hub.ingest.retention import ensure_partitions
from hub.jobs.models import JobSpec, ScheduleError
from hub.jobs.queue import JobQueue
from hub.live.feed import LiveFeed
from hub.localtime import LOCAL_TZ
from hub.notifications.models import NotifyConfig
from hub.people.sheets import ImportLimits
from hub.runtime.connections import embedded_broker, production_broker, resolve_database
from hub.runtime.parts import (
    action_signer,
    channel_config,
    display_publisher,
    ingest_config,
    job_queue,
    mail_sender,
    snapshot_service,
)
from hub.runtime.parts import backup_config as build_backup_config
from hub.services import HubServices, utc_now
from hub.settings import ConfigError, HubSettings
from hub.snapshots.service import SnapshotService
from hub.supervisor import SupervisedThread
from protocol.broker_url import BrokerAddress

if TYPE_CHECKING:
    from hub.assets.portals.service import PortalWatcher
    from hub.devices.config_publisher import MqttConfigPublisher
    from hub.galleries.runtime import BiometricsRuntime
    from hub.notifications.actions import ActionSigner

log = logging.getLogger("hub.runtime")

MAINTENANCE_TICK_S = 60.0  # how soon after midnight the report cache is warmed for the new day


@dataclass
class HubRuntime:
    settings: HubSettings
    database_url: str = ""
    migration: MigrationReport | None = None
    pool: ConnectionPool | None = None
    ingest: IngestService | None = None
    commands: CommandChannel | None = None
    resender: CommandResender | None = None  # unanswered commands sent again (device online; every resend interval)
    live: LiveFeed | None = None  # check-ins and device changes pushed to pages (api/all roles)
    portal_watcher: PortalWatcher | None = None  # door portals (hub.assets.portals.PortalWatcher; api/all roles)
    services: HubServices | None = None
    display_publisher: MqttConfigPublisher | None = None  # room displays' retained states (hub.displays; api/all)
    biometrics: BiometricsRuntime | None = None  # enrollment photos, galleries, device configs
    snapshots: SnapshotService | None = None  # door events' face snapshots: sealed, expired, opened with audit
    jobs: JobQueue | None = None  # this process's job worker; scheduled and background work (hub.jobs)
    clock: Callable[[], datetime] = utc_now  # "now" for the services and the daily cache warm-up (a bench sets hours)
    warmed_for: date | None = None  # the local day the report cache was last warmed for
    _embedded_db: EmbeddedPostgres | None = None
    _embedded_broker: EmbeddedBroker | EmbeddedMosquitto | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _maintenance: SupervisedThread | None = None

    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        s = self.settings
        s.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url, self._embedded_db = resolve_database(s)
        self.migration = migrate(self.database_url)
        log.info(
            "database ready (%s); storage: %s",
            "embedded" if self._embedded_db else "production",
            "TimescaleDB hypertables" if self.migration.timescaledb else "native monthly partitions",
        )

        broker, password = self._broker_address()
        self.pool = open_pool(
            self.database_url, s.database.pool_max_size, wait_s=s.database.wait_s, reconnect_s=s.database.reconnect_s
        )
        ensure_partitions(self.pool, s.retention.partitions_months_ahead)  # before ingest; then a job keeps them ahead
        self.jobs = job_queue(s, self.database_url, self.pool)
        self.snapshots = snapshot_service(s, self.pool)
        if s.role in ("all", "ingest"):
            self.ingest = IngestService(
                ingest_config(s, broker, password),
                self.pool,
                self.snapshots.store,
            )
            self.ingest.start()
            if not self.ingest.wait_connected(15):
                log.warning("not yet connected to the broker at %s; retrying in the background", broker.url)
        if s.role in ("all", "api"):
            self.commands = self._command_channel(broker, password)
            self.resender = CommandResender(self.pool, self.commands, self.settings.devices.command_resend_interval_s)
            self.resender.start()
            if self.ingest is not None:  # role "all"; with separate ingest processes the periodic round covers it
                self.ingest.on_online = self.resender.devices_online
        if s.role in ("all", "api"):
            self.live = LiveFeed(self.database_url)
            self.live.start()
        backup_config = build_backup_config(s)
        if s.role in ("all", "api"):  # an ingest worker checks no photo and builds no gallery: no face models
            self._biometrics(broker, password)
        signer = action_signer(s)
        # the one place the services are built, with every part they use (nothing is attached later)
        self.services = HubServices(
            self.pool, self.ingest, self.commands, live=self.live, clock=self.clock,
            accounts_policy=AccountsPolicy.from_settings(s.accounts),
            import_limits=ImportLimits.from_settings(s.imports), snapshots=self.snapshots,
            biometrics=self.biometrics, notify_signer=signer, backup_config=backup_config,
            notify_config=NotifyConfig.from_settings(s.mail, s.notifications),
            display_publisher=self._display_publisher(broker, password), **self._assets(),
        )  # fmt: skip
        self._first_admin()
        if s.role in ("all", "api"):  # door portals (issue 16 item 6): alerts from the portal readers' reads
            from hub.assets.portals.service import PortalWatcher

            self.portal_watcher = PortalWatcher(self.database_url, self.services.asset_portals)
            self.portal_watcher.start()
        self._notifications(signer)  # notifications (hub.notifications): the mail sender, retention
        if self.display_publisher is not None:
            self.services.displays.start()  # publishes each room's state on every change (hub.displays)
        if s.role in ("all", "api"):
            self._maintenance = SupervisedThread("hub-maintenance", self._maintain, self._stop)
            self._maintenance.start()
        for domain in DOMAINS:  # every domain's scheduled work (hub.domains), for the parts this process runs
            for jobs in domain.jobs:
                self._add_jobs(*load(jobs)(self))
        self.jobs.start()

    def _assets(self) -> dict[str, Any]:
        """Assets (issue 16): the EPC rule and the first-year wear rule from [assets] (CCES_ASSETS_…)."""
        from hub.assets.config import service_parts

        return service_parts(self.settings.assets)

    def _display_publisher(self, broker: BrokerAddress, password: str | None) -> MqttConfigPublisher | None:
        """The room displays' own MQTT client, on api/all roles (held before it starts: `stop` stops it)."""
        s = self.settings
        if s.role not in ("all", "api"):
            return None
        self.display_publisher = display_publisher(s, broker, password)
        if not self.display_publisher.start(wait_s=5):
            log.warning("room displays: not yet connected to the broker at %s; retrying in the background", broker.url)
        return self.display_publisher

    def _biometrics(self, broker: BrokerAddress, password: str | None) -> None:
        """Enrollment photos, office galleries (rebuilt on change and on schedule), device configs."""
        from hub.accounts import audit
        from hub.galleries.runtime import BiometricsRuntime

        assert self.pool is not None and self.jobs is not None
        self.biometrics = BiometricsRuntime.create(
            self.settings, self.pool, broker, password, audit=audit.record, snapshots=self.snapshots,
            defer=self.jobs.defer,
        )  # fmt: skip
        self.biometrics.start()

    # --- the job queue (issue 13 item 7) ---------------------------------------------------------

    def _add_jobs(self, *specs: JobSpec) -> None:
        assert self.jobs is not None
        try:
            self.jobs.add(*specs)
        except ScheduleError as exc:
            raise ConfigError(str(exc)) from exc

    # --- notifications (hub.notifications) -------------------------------------------------------

    def _notifications(self, signer: ActionSigner) -> None:
        """Action links signed with the shared secret; the outbox sent over SMTP by a periodic job (when
        CCES_SMTP_HOST is set); the inbox's retention."""
        from hub.notifications.jobs import notification_jobs

        s = self.settings
        assert self.pool is not None and self.services is not None
        sender = mail_sender(s, self.pool, signer)
        self._add_jobs(*notification_jobs(self.services.notifications, sender, send_every_s=s.mail.send_interval_s,
                                          keep_days=s.notifications.keep_days))  # fmt: skip

    def _command_channel(self, broker: BrokerAddress, password: str | None) -> CommandChannel:
        """Commands out, replies in (hub.commands): its own client, so API nodes can send them too."""
        s = self.settings
        assert self.pool is not None
        channel = CommandChannel(channel_config(s, broker, password), self.pool)
        channel.start()
        return channel

    def _first_admin(self) -> None:
        """The first `admin` when there is no account."""
        from hub.accounts.models import AccountError

        s = self.settings
        assert self.services is not None
        try:
            password = s.accounts.admin_password.get_secret_value() if s.accounts.admin_password else None
            self.services.accounts.ensure_first_admin(s.data_dir, password)
        except AccountError as exc:
            raise ConfigError(f"setting 'admin_password' (CCES_ADMIN_PASSWORD): {exc}") from exc

    def _broker_address(self) -> tuple[BrokerAddress, str | None]:
        s = self.settings
        if s.mqtt.url:
            return production_broker(s)
        password = hub_broker_password(s.secrets_dir)
        self._embedded_broker = embedded_broker(s, self.database_url, password)
        try:
            self._embedded_broker.start()
        except RuntimeError as exc:
            self._embedded_broker = None
            raise ConfigError(
                f"{exc} — is another MQTT broker running? Set CCES_EMBEDDED_MQTT_PORT, or CCES_MQTT_URL to use it"
            ) from exc
        return BrokerAddress(s.mqtt.embedded_host, s.mqtt.embedded_port, tls=False), password

    def _maintain(self) -> None:
        """Per process, so not a job: the report cache of this process (its memory) at start and each new day."""
        while True:
            if self.warmed_for != (today := self.clock().astimezone(LOCAL_TZ).date()):
                self.warm_reports(today)
            if self._stop.wait(MAINTENANCE_TICK_S):
                return

    def warm_reports(self, today: date) -> None:
        """Fill the report cache at start and once a day (`warmed_for`; left as it was when it failed, so the
        next tick retries). Public for a bench that moves the clock to another day and warms as the hub would."""
        assert self.services is not None
        started = time.monotonic()
        try:
            months = self.services.timekeeping.warm_day_results(today)
        except Exception:  # a cold cache only makes the first report slower
            if not self._stop.is_set():  # stopping closes the pool under it: not worth a traceback
                log.exception("warming the report cache failed")
            return
        log.info("report cache warmed for %s in %.1f s", months, time.monotonic() - started)
        self.warmed_for = today

    @property
    def embedded_database(self) -> bool:
        """Whether this process started the embedded PostgreSQL (backups then use its own tools)."""
        return self._embedded_db is not None

    @property
    def stopping(self) -> threading.Event:
        """Set when the runtime stops: long jobs of this process look at it between steps."""
        return self._stop

    @property
    def embedded_broker(self) -> EmbeddedBroker | EmbeddedMosquitto | None:
        """The broker this process started (None with a production broker): /metrics reports whether it is up."""
        return self._embedded_broker

    def storage_secret(self) -> str:
        s = self.settings
        if s.http.storage_secret:
            return s.http.storage_secret.get_secret_value()
        path = s.secrets_dir / "ui-storage-secret"
        if not path.exists():
            s.secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32))
        return path.read_text().strip()

    def stop(self) -> None:
        self._stop.set()
        if self.jobs is not None:  # first: running jobs finish while the parts they use are still up
            self.jobs.stop()
            self.jobs = None
        if self.biometrics is not None:
            self.biometrics.stop()
            self.biometrics = None
        if self.portal_watcher is not None:
            self.portal_watcher.stop()
            self.portal_watcher = None
        if self.services is not None:
            self.services.displays.stop()
        if self.display_publisher is not None:
            self.display_publisher.stop()
            self.display_publisher = None
        if self.live is not None:
            self.live.stop()
            self.live = None
        if self._embedded_broker is not None and self.ingest is not None:
            # devices off first, then let ingest commit everything the broker acknowledged to them
            self._embedded_broker.drain()
        if self.resender is not None:
            self.resender.stop()
            self.resender = None
        if self.commands is not None:
            self.commands.stop()
            self.commands = None
        if self.ingest is not None:
            self.ingest.stop()
            self.ingest = None
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        if self._embedded_broker is not None:
            self._embedded_broker.stop()
            self._embedded_broker = None
        if self._embedded_db is not None:
            self._embedded_db.stop()
            self._embedded_db = None
