"""The hub's running parts, started in dependency order and stopped in reverse.

database (embedded or production) → migrations → broker (embedded or production) →
connection pool → ingest → … → the job queue's worker. The HTTP server is composed on top by the
`cces hub` command. Whatever was started is stopped again, also when a later part fails to start.

Scheduled and background work (partitions and retention, snapshot retention, command re-send rounds,
gallery rebuilds) runs on the job queue (hub.jobs), once across hub processes. What stays here, on the
`hub-maintenance` thread, is per process by nature: warming this process's report cache (its memory).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from psycopg_pool import ConnectionPool

from hub.accounts.models import AccountsPolicy
from hub.backup.service import BackupConfig
from hub.biometrics.crypto import load_or_create_key
from hub.commands.channel import ChannelConfig, CommandChannel
from hub.commands.resend import CommandResender
from hub.db import MigrationReport, migrate, open_pool
from hub.domains import DOMAINS, load
from hub.embedded.broker import EmbeddedBroker, hub_broker_password
from hub.embedded.mosquitto import EmbeddedMosquitto, find_mosquitto
from hub.embedded.postgres import EmbeddedPostgres
from hub.files import ContentStore
from hub.ingest.consumer import IngestConfig, IngestService
from hub.ingest.retention import ensure_partitions
from hub.jobs.models import JobSpec, RetryPolicy, ScheduleError
from hub.jobs.queue import JobQueue
from hub.live.feed import LiveFeed
from hub.localtime import LOCAL_TZ
from hub.notifications.models import NotifyConfig
from hub.people.sheets import ImportLimits
from hub.services import HubServices, utc_now
from hub.settings import ConfigError, HubSettings
from hub.snapshots.service import SnapshotService
from hub.snapshots.store import SnapshotStore
from hub.supervisor import SupervisedThread
from protocol.broker_url import BrokerAddress

if TYPE_CHECKING:
    from hub.assets.portals.service import PortalWatcher
    from hub.devices.config_publisher import MqttConfigPublisher
    from hub.galleries.runtime import BiometricsRuntime
    from hub.notifications.actions import ActionSigner

log = logging.getLogger(__name__)

MAINTENANCE_TICK_S = 60.0  # how soon after midnight the report cache is warmed for the new day


def resolve_database(settings: HubSettings) -> tuple[str, EmbeddedPostgres | None]:
    """The database URL to use, starting the embedded server when none is configured."""
    if settings.database.url:
        return settings.database.url, None
    embedded = EmbeddedPostgres(settings.data_dir)
    return embedded.start(), embedded


def device_broker_url(settings: HubSettings) -> str:
    """The broker URL devices should use (no credentials in it)."""
    if settings.mqtt.device_url:
        return settings.mqtt.device_url
    if settings.mqtt.url:
        return BrokerAddress.parse(settings.mqtt.url).url
    return f"mqtt://{settings.mqtt.embedded_host}:{settings.mqtt.embedded_port}"


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
        self.jobs = self._job_queue()
        self.snapshots = self._snapshot_service()
        if s.role in ("all", "ingest"):
            self.ingest = IngestService(
                IngestConfig(
                    broker=broker,
                    username=s.mqtt.username,
                    password=password,
                    client_id=s.mqtt.client_id,
                    worker=s.worker_name,
                    batch_size=s.ingest.batch_size,
                    batch_wait_s=s.ingest.batch_wait_ms / 1000,
                    queue_size=s.ingest.queue_size,
                    max_future=timedelta(seconds=s.ingest.max_future_s),
                    stuck_after=timedelta(seconds=s.ingest.stuck_after_s),
                    shared_subscription=s.mqtt.shared_subscription,
                    mqtt_version=s.mqtt.version,
                    send_receipts=s.ingest.receipts,
                    tls_ca_file=str(s.mqtt.ca_file) if s.mqtt.ca_file else None,
                    tls_cert_file=str(s.mqtt.cert_file) if s.mqtt.cert_file else None,
                    tls_key_file=str(s.mqtt.key_file) if s.mqtt.key_file else None,
                ),
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
        backup_config = self._backups()
        if s.role in ("all", "api"):  # an ingest worker checks no photo and builds no gallery: no face models
            self._biometrics(broker, password)
        signer = self._action_signer()
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
        """The room displays' own MQTT client (retained states, each confirmed by PUBACK), on api/all roles."""
        from hub.devices.config_publisher import MqttConfigPublisher

        s = self.settings
        if s.role not in ("all", "api"):
            return None
        self.display_publisher = MqttConfigPublisher(
            broker, f"{s.mqtt.client_id}-displays-{s.worker_name}"[:64], username=s.mqtt.username, password=password,
            ca_file=str(s.mqtt.ca_file) if s.mqtt.ca_file else None,
            cert_file=str(s.mqtt.cert_file) if s.mqtt.cert_file else None,
            key_file=str(s.mqtt.key_file) if s.mqtt.key_file else None,
        )  # fmt: skip
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

    def _snapshot_service(self) -> SnapshotService:
        """Face snapshots sealed under the biometrics key (only the key and `cryptography`: the ingest role
        stays light); the clear-text store of earlier versions, until the snapshot jobs have sealed it."""
        from hub.accounts import audit

        s = self.settings
        assert self.pool is not None
        secret = s.biometrics.secret.get_secret_value() if s.biometrics.secret else None
        store = SnapshotStore(s.snapshots_dir, load_or_create_key(s.secrets_dir, secret))
        service = SnapshotService(self.pool, store, ContentStore(s.files_dir), audit.record)
        return service

    # --- the job queue (issue 13 item 7) ---------------------------------------------------------

    def _job_queue(self) -> JobQueue:
        """This process's worker, with the jobs every role runs (more are added as their parts start)."""
        s = self.settings
        assert self.pool is not None
        retry = RetryPolicy(attempts=s.jobs.retry_attempts, backoff_s=s.jobs.retry_backoff_s)
        self.jobs = JobQueue(
            self.database_url, self.pool, worker_name=s.worker_name, concurrency=s.jobs.concurrency, retry=retry,
            stalled_after_s=s.jobs.stalled_after_s, keep_days=s.jobs.keep_days,
        )  # fmt: skip
        return self.jobs

    def _add_jobs(self, *specs: JobSpec) -> None:
        assert self.jobs is not None
        try:
            self.jobs.add(*specs)
        except ScheduleError as exc:
            raise ConfigError(str(exc)) from exc

    # --- notifications (hub.notifications) -------------------------------------------------------

    def _action_signer(self) -> ActionSigner:
        """Signs the action links in mails with the shared secret ([notifications] action_secret, else one kept
        in the data dir's secrets)."""
        from hub.notifications.actions import ActionSigner, load_or_create_secret

        n = self.settings.notifications
        configured = n.action_secret.get_secret_value() if n.action_secret else None
        return ActionSigner(load_or_create_secret(self.settings.secrets_dir, configured))

    def _notifications(self, signer: ActionSigner) -> None:
        """Action links signed with the shared secret; the outbox sent over SMTP by a periodic job (when
        CCES_SMTP_HOST is set); the inbox's retention."""
        from hub.notifications.jobs import notification_jobs
        from hub.notifications.mail import MailSender, SmtpConfig

        s = self.settings
        assert self.pool is not None and self.services is not None
        sender = None
        if s.mail.host:
            smtp = SmtpConfig(
                host=s.mail.host, port=s.mail.port, username=s.mail.username,
                password=s.mail.password.get_secret_value() if s.mail.password else None,
                starttls=s.mail.starttls, ssl=s.mail.ssl, sender=s.mail.sender, timeout_s=s.mail.timeout_s,
                max_attempts=s.mail.max_attempts, backoff_s=s.mail.retry_backoff_s, max_backoff_s=s.mail.max_backoff_s,
            )  # fmt: skip
            sender = MailSender(self.pool, smtp, s.http.base_url, signer,
                                s.worker_name)  # fmt: skip
        self._add_jobs(*notification_jobs(self.services.notifications, sender, send_every_s=s.mail.send_interval_s,
                                          keep_days=s.notifications.keep_days))  # fmt: skip

    def _command_channel(self, broker: BrokerAddress, password: str | None) -> CommandChannel:
        """Commands out, replies in (hub.commands): its own client, so API nodes can send them too."""
        s = self.settings
        assert self.pool is not None
        channel = CommandChannel(
            ChannelConfig(
                broker=broker,
                username=s.mqtt.username,
                password=password,
                client_id=f"{s.mqtt.client_id}-commands",
                mqtt_version=s.mqtt.version,
                shared_subscription=s.mqtt.shared_subscription,
                tls_ca_file=str(s.mqtt.ca_file) if s.mqtt.ca_file else None,
                tls_cert_file=str(s.mqtt.cert_file) if s.mqtt.cert_file else None,
                tls_key_file=str(s.mqtt.key_file) if s.mqtt.key_file else None,
            ),
            self.pool,
        )
        channel.start()
        return channel

    # --- backups (hub.backup, issue 19) ---------------------------------------------------------

    def _backups(self) -> BackupConfig:
        """The backup settings for the page and /metrics; the scheduled backup (when CCES_BACKUP_DIR is set) on
        this data dir's queue, and the hourly alert check."""
        from hub.backup.models import BackupError

        s = self.settings
        try:
            config = BackupConfig.from_settings(s)
        except BackupError as exc:
            raise ConfigError(exc.en) from exc
        if config.scheduled and not config.passphrase:
            raise ConfigError(
                "setting 'backup_dir' (CCES_BACKUP_DIR) needs a passphrase for scheduled backups:"
                " CCES_BACKUP_PASSPHRASE or CCES_BACKUP_PASSPHRASE_FILE"
            )
        return config  # its jobs: hub.backup.service.domain_jobs (hub.domains)

    # --- end of backups ---------------------------------------------------------------------------

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
            broker = BrokerAddress.parse(s.mqtt.url)
            password = (s.mqtt.password.get_secret_value() if s.mqtt.password else None) or broker.password
            if not password and not s.mqtt.cert_file:
                raise ConfigError(
                    "the broker needs CCES_MQTT_PASSWORD (or a password in CCES_MQTT_URL) or a client"
                    " certificate (CCES_MQTT_CERT_FILE and CCES_MQTT_KEY_FILE)"
                )
            return broker, password
        password = hub_broker_password(s.secrets_dir)
        self._embedded_broker = self._embedded_broker_kind(password)
        try:
            self._embedded_broker.start()
        except RuntimeError as exc:
            self._embedded_broker = None
            raise ConfigError(
                f"{exc} — is another MQTT broker running? Set CCES_EMBEDDED_MQTT_PORT, or CCES_MQTT_URL to use it"
            ) from exc
        return BrokerAddress(s.mqtt.embedded_host, s.mqtt.embedded_port, tls=False), password

    def _embedded_broker_kind(self, password: str) -> EmbeddedBroker | EmbeddedMosquitto:
        """Mosquitto when it is installed (or asked for), else amqtt in this process."""
        s = self.settings
        binary = find_mosquitto() if s.mqtt.embedded_broker in ("auto", "mosquitto") else None
        if s.mqtt.embedded_broker == "mosquitto" and binary is None:
            raise ConfigError(
                "CCES_EMBEDDED_MQTT_BROKER=mosquitto but no mosquitto binary is installed"
                " (Debian/Ubuntu: apt-get install mosquitto)"
            )
        if binary is not None:
            return EmbeddedMosquitto(
                binary,
                s.mqtt.embedded_host,
                s.mqtt.embedded_port,
                s.data_dir / "mosquitto",
                self.database_url,
                s.mqtt.username,
                password,
            )
        log.info("Mosquitto is not installed: the embedded broker is amqtt (MQTT 3.1.1, in this process)")
        return EmbeddedBroker(
            s.mqtt.embedded_host,
            s.mqtt.embedded_port,
            self.database_url,
            s.mqtt.username,
            password,
            hub_client_id=s.mqtt.client_id,
        )

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
