"""What the MQTT consumer (hub.ingest.consumer) is configured with and reports: its configuration, its
health as /health shows it, and the counters /metrics reads."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from prometheus_client import Histogram

from hub.mqtt import MqttLogin
from hub.supervisor import ThreadState
from protocol.broker_url import BrokerAddress

#: upper bounds (seconds) of the batch commit time histogram: a few ms for a small batch, seconds when the database lags
COMMIT_SECONDS_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass(frozen=True)
class IngestConfig:
    broker: BrokerAddress
    username: str
    password: str | None
    client_id: str
    worker: str
    batch_size: int = 500
    batch_wait_s: float = 0.05
    queue_size: int = 5000
    max_future: timedelta = timedelta(days=1)
    shared_subscription: bool = False
    check_registry: bool = True
    send_receipts: bool = True
    tls_ca_file: str | None = None
    tls_cert_file: str | None = None
    tls_key_file: str | None = None
    mqtt_version: Literal["3.1.1", "5"] = "3.1.1"  # 5: shared subscriptions as the standard defines them
    #: messages waiting with no commit for this long make ingest "stuck" in health (503)
    stuck_after: timedelta = timedelta(seconds=30)
    #: the writer's first restart delay after it died (doubling while it keeps dying)
    restart_backoff_s: float = 1.0

    @property
    def login(self) -> MqttLogin:
        """The broker login for hub.mqtt's client factory."""
        return MqttLogin(self.broker, self.username, self.password, self.mqtt_version, self.tls_ca_file,
                         self.tls_cert_file, self.tls_key_file)  # fmt: skip


#: MQTT v5 session expiry for the hub's persistent session: "never" (the 3.1.1 clean_session=False meaning)
SESSION_NEVER_EXPIRES = 0xFFFFFFFF


@dataclass(frozen=True)
class IngestHealth:
    """Ingest as health reports it: is the writer running, is anything waiting, since when."""

    writer: ThreadState
    connected: bool
    backlog: int  # messages received and not yet committed
    last_commit_age_s: float  # since the last commit, or since start when none yet
    stuck_after_s: float

    @property
    def stuck(self) -> bool:
        return self.backlog > 0 and self.last_commit_age_s > self.stuck_after_s

    @property
    def problem(self) -> str | None:
        if not self.writer.alive:
            return f"down: the writer stopped ({self.writer.last_error}) and is being restarted"
        if self.stuck:
            return f"stuck: {self.backlog} message(s) waiting, last commit {self.last_commit_age_s:.0f} s ago"
        return None


def _commit_histogram() -> Histogram:
    """Time of each batch's transaction; registered in no registry: /metrics (hub.metrics) reads it from here."""
    return Histogram(
        "cces_ingest_batch_commit_seconds",
        "time to store one batch in one transaction (rows, counters, device statuses)",
        buckets=COMMIT_SECONDS_BUCKETS,
        registry=None,
    )


@dataclass
class IngestCounters:
    """What this process has done since it started (the durable totals are in the database)."""

    batches: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    db_errors: int = 0
    last_error: str | None = None
    received: int = 0  # messages the broker delivered (a redelivery counts again)
    rejected_by_reason: dict[str, int] = field(default_factory=dict)  # the reason codes of hub.ingest.classify
    commit_seconds: Histogram = field(default_factory=_commit_histogram, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
