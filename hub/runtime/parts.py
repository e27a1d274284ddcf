"""What the runtime builds from the settings, one part each: the ingest's and the command channel's MQTT
configurations, the room displays' publisher, face snapshots, the job queue, the backup configuration,
the signer of mail action links and the mail sender.

Each builds and returns its part without starting it, so `HubRuntime` (hub.runtime.runtime) holds every
part it started in one place and stops them in reverse.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from psycopg_pool import ConnectionPool

from hub.backup.service import BackupConfig
from hub.biometrics.crypto import load_or_create_key
from hub.commands.channel import ChannelConfig
from hub.files import ContentStore
from hub.ingest.records import IngestConfig
from hub.jobs.models import RetryPolicy
from hub.jobs.queue import JobQueue
from hub.settings import ConfigError, HubSettings
from hub.snapshots.service import SnapshotService
from hub.snapshots.store import SnapshotStore
from protocol.broker_url import BrokerAddress

if TYPE_CHECKING:
    from hub.devices.config_publisher import MqttConfigPublisher
    from hub.notifications.actions import ActionSigner
    from hub.notifications.mail import MailSender

log = logging.getLogger("hub.runtime")


def ingest_config(s: HubSettings, broker: BrokerAddress, password: str | None) -> IngestConfig:
    """The MQTT ingest's client, batching and contract checks ([mqtt], [ingest])."""
    return IngestConfig(
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
    )


def channel_config(s: HubSettings, broker: BrokerAddress, password: str | None) -> ChannelConfig:
    """Commands out, replies in (hub.commands): its own client, so API nodes can send them too."""
    return ChannelConfig(
        broker=broker,
        username=s.mqtt.username,
        password=password,
        client_id=f"{s.mqtt.client_id}-commands",
        mqtt_version=s.mqtt.version,
        shared_subscription=s.mqtt.shared_subscription,
        tls_ca_file=str(s.mqtt.ca_file) if s.mqtt.ca_file else None,
        tls_cert_file=str(s.mqtt.cert_file) if s.mqtt.cert_file else None,
        tls_key_file=str(s.mqtt.key_file) if s.mqtt.key_file else None,
    )


def display_publisher(s: HubSettings, broker: BrokerAddress, password: str | None) -> MqttConfigPublisher:
    """The room displays' own MQTT client (retained states, each confirmed by PUBACK)."""
    from hub.devices.config_publisher import MqttConfigPublisher

    return MqttConfigPublisher(
        broker, f"{s.mqtt.client_id}-displays-{s.worker_name}"[:64], username=s.mqtt.username, password=password,
        ca_file=str(s.mqtt.ca_file) if s.mqtt.ca_file else None,
        cert_file=str(s.mqtt.cert_file) if s.mqtt.cert_file else None,
        key_file=str(s.mqtt.key_file) if s.mqtt.key_file else None,
    )  # fmt: skip


def snapshot_service(s: HubSettings, pool: ConnectionPool) -> SnapshotService:
    """Face snapshots sealed under the biometrics key (only the key and `cryptography`: the ingest role
    stays light); the clear-text store of earlier versions, until the snapshot jobs have sealed it."""
    from hub.accounts import audit

    secret = s.biometrics.secret.get_secret_value() if s.biometrics.secret else None
    store = SnapshotStore(s.snapshots_dir, load_or_create_key(s.secrets_dir, secret))
    return SnapshotService(pool, store, ContentStore(s.files_dir), audit.record)


def job_queue(s: HubSettings, database_url: str, pool: ConnectionPool) -> JobQueue:
    """This process's worker ([jobs]); the jobs are added as their parts start."""
    retry = RetryPolicy(attempts=s.jobs.retry_attempts, backoff_s=s.jobs.retry_backoff_s)
    return JobQueue(
        database_url, pool, worker_name=s.worker_name, concurrency=s.jobs.concurrency, retry=retry,
        stalled_after_s=s.jobs.stalled_after_s, keep_days=s.jobs.keep_days,
    )  # fmt: skip


def backup_config(s: HubSettings) -> BackupConfig:
    """The backup settings for the page and /metrics (its jobs: hub.backup.service.domain_jobs, hub.domains);
    a scheduled backup without a passphrase is a ConfigError."""
    from hub.backup.models import BackupError

    try:
        config = BackupConfig.from_settings(s)
    except BackupError as exc:
        raise ConfigError(exc.en) from exc
    if config.scheduled and not config.passphrase:
        raise ConfigError(
            "setting 'backup_dir' (CCES_BACKUP_DIR) needs a passphrase for scheduled backups:"
            " CCES_BACKUP_PASSPHRASE or CCES_BACKUP_PASSPHRASE_FILE"
        )
    return config


def action_signer(s: HubSettings) -> ActionSigner:
    """Signs the action links in mails with the shared secret ([notifications] action_secret, else one kept
    in the data dir's secrets)."""
    from hub.notifications.actions import ActionSigner, load_or_create_secret

    n = s.notifications
    configured = n.action_secret.get_secret_value() if n.action_secret else None
    return ActionSigner(load_or_create_secret(s.secrets_dir, configured))


def mail_sender(s: HubSettings, pool: ConnectionPool, signer: ActionSigner) -> MailSender | None:
    """The outbox's sender over SMTP (None when CCES_SMTP_HOST is not set: the inbox only)."""
    from hub.notifications.mail import MailSender, SmtpConfig

    if not s.mail.host:
        return None
    smtp = SmtpConfig(
        host=s.mail.host, port=s.mail.port, username=s.mail.username,
        password=s.mail.password.get_secret_value() if s.mail.password else None,
        starttls=s.mail.starttls, ssl=s.mail.ssl, sender=s.mail.sender, timeout_s=s.mail.timeout_s,
        max_attempts=s.mail.max_attempts, backoff_s=s.mail.retry_backoff_s, max_backoff_s=s.mail.max_backoff_s,
    )  # fmt: skip
    return MailSender(pool, smtp, s.http.base_url, signer, s.worker_name)
