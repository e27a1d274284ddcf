"""What a scrape reads from the running hub at that moment: ingest, the database pool, the brokers, the jobs.

Custom collectors (prometheus_client's `Collector`): nothing is copied into metric objects as it
happens; each scrape asks the parts themselves (the ingest service's counters and health, the pool's
`get_stats()`, the broker's process), so the numbers are the ones health and the start page show.
A part this process does not run (ingest on an API node, the commands link on an ingest node, an
embedded broker when a production one is configured) has no samples at all rather than zeros.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from prometheus_client import Metric
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector
from psycopg_pool import ConnectionPool

from hub.metrics import repository

if TYPE_CHECKING:
    from hub.ingest.consumer import IngestService

log = logging.getLogger(__name__)

#: a scrape never waits longer than this for a database connection (Prometheus times out at 10 s by default)
SCRAPE_DB_WAIT_S = 2.0


class _Broker(Protocol):
    @property
    def up(self) -> bool: ...


class _Connected(Protocol):
    @property
    def connected(self) -> bool: ...


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _counter(name: str, documentation: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(name, documentation, value=value)


class IngestCollector(Collector):
    """The MQTT consumer of this process: messages, outcomes, its writer thread, its backlog and commit times."""

    def __init__(self, ingest: Callable[[], IngestService | None]) -> None:
        self._ingest = ingest

    def collect(self) -> Iterator[Metric]:
        ingest = self._ingest()
        if ingest is None:
            return
        counters = ingest.counters
        with counters._lock:
            accepted, duplicates, batches = counters.accepted, counters.duplicates, counters.batches
            by_reason = dict(counters.rejected_by_reason)
        yield _counter(
            "cces_ingest_messages_received", "MQTT messages the broker delivered to ingest", counters.received
        )
        yield _counter("cces_ingest_events_accepted", "events stored (new rows)", accepted)
        yield _counter("cces_ingest_events_duplicate", "events already stored (a resend): absorbed", duplicates)
        rejected = CounterMetricFamily(
            "cces_ingest_messages_rejected", "messages refused and dead-lettered, by reason code", labels=["reason"]
        )
        for reason, count in sorted(by_reason.items()):
            rejected.add_metric([reason], count)
        yield rejected
        yield _counter("cces_ingest_batches", "batches committed", batches)
        yield _counter(
            "cces_ingest_db_errors", "batch attempts that failed on the database (retried)", counters.db_errors
        )
        yield from counters.commit_seconds.collect()
        health = ingest.health()
        yield _gauge("cces_ingest_backlog_messages", "messages received and not yet committed", health.backlog)
        yield _gauge(
            "cces_ingest_last_commit_age_seconds",
            "seconds since the last commit (or since nothing was waiting)",
            health.last_commit_age_s,
        )
        yield _gauge("cces_ingest_writer_up", "1 while the ingest writer thread runs", int(health.writer.alive))
        yield _counter(
            "cces_ingest_writer_restarts", "times the ingest writer died and was started again", health.writer.restarts
        )
        yield _gauge(
            "cces_ingest_stuck", "1 when messages wait longer than CCES_INGEST_STUCK_AFTER_S", int(health.stuck)
        )


class BrokerCollector(Collector):
    """The embedded broker's process or thread, and whether this process's MQTT clients are connected."""

    def __init__(
        self,
        broker: Callable[[], _Broker | None],
        clients: Callable[[], dict[str, _Connected | None]],
    ) -> None:
        self._broker = broker
        self._clients = clients

    def collect(self) -> Iterator[Metric]:
        broker = self._broker()
        if broker is not None:
            up = GaugeMetricFamily("cces_embedded_broker_up", "1 while the embedded MQTT broker runs", labels=["kind"])
            kind = "mosquitto" if type(broker).__name__ == "EmbeddedMosquitto" else "amqtt"
            up.add_metric([kind], int(broker.up))
            yield up
        connected = GaugeMetricFamily(
            "cces_mqtt_connected", "1 while this process's MQTT client is connected, by client", labels=["client"]
        )
        for name, client in sorted(self._clients().items()):
            if client is not None:
                connected.add_metric([name], int(client.connected))
        yield connected


#: psycopg_pool.get_stats() keys reported as gauges (what is now) and counters (since the pool opened)
POOL_GAUGES = (
    ("pool_min", "cces_db_pool_min_connections", "the pool's minimum size"),
    ("pool_max", "cces_db_pool_max_connections", "the pool's maximum size (CCES_POOL_MAX_SIZE)"),
    ("pool_size", "cces_db_pool_connections", "connections open now, in use or idle"),
    ("pool_available", "cces_db_pool_available_connections", "idle connections ready to be used"),
    ("requests_waiting", "cces_db_pool_requests_waiting", "requests waiting for a connection now"),
)
POOL_COUNTERS = (
    ("requests_num", "cces_db_pool_requests", "connections asked of the pool", 1.0),
    ("requests_queued", "cces_db_pool_requests_queued", "requests that had to wait for a connection", 1.0),
    ("requests_errors", "cces_db_pool_requests_errors", "requests that got no connection (timeout, error)", 1.0),
    ("requests_wait_ms", "cces_db_pool_requests_wait_seconds", "time requests spent waiting for a connection", 1e-3),
    ("usage_ms", "cces_db_pool_usage_seconds", "time connections were lent out", 1e-3),
    ("returns_bad", "cces_db_pool_returns_bad", "connections returned broken or in a transaction", 1.0),
    ("connections_num", "cces_db_pool_connects", "connection attempts to the database", 1.0),
    ("connections_errors", "cces_db_pool_connect_errors", "failed connection attempts", 1.0),
    ("connections_lost", "cces_db_pool_connections_lost", "connections found broken when checked", 1.0),
)


class PoolCollector(Collector):
    """psycopg_pool's own statistics of the hub's connection pool (nobody calls pop_stats: counters only grow)."""

    def __init__(self, pool: Callable[[], ConnectionPool | None]) -> None:
        self._pool = pool

    def collect(self) -> Iterator[Metric]:
        pool = self._pool()
        if pool is None:
            return
        stats = pool.get_stats()  # a counter that never moved is left out of it: 0
        for key, name, documentation in POOL_GAUGES:
            yield _gauge(name, documentation, stats.get(key, 0))
        for key, name, documentation, scale in POOL_COUNTERS:
            yield _counter(name, documentation, stats.get(key, 0) * scale)


class DatabaseCollector(Collector):
    """One round trip per scrape: is the database answering, and the job queue's counts when it has one."""

    def __init__(self, pool: Callable[[], ConnectionPool | None]) -> None:
        self._pool = pool

    def collect(self) -> Iterator[Metric]:
        pool = self._pool()
        if pool is None:
            return
        jobs: list[repository.JobCount] | None = None
        try:
            with pool.connection(timeout=SCRAPE_DB_WAIT_S) as conn:
                repository.database_answers(conn)
                if repository.job_queue_present(conn):
                    jobs = repository.job_counts(conn)
            up = 1
        except Exception as exc:  # reported as the metric: a scrape must answer while the database is away
            log.debug("metrics: the database did not answer (%s)", exc)
            up = 0
        yield _gauge("cces_database_up", "1 when the database answered this scrape's query", up)
        if jobs is None:
            return
        family = GaugeMetricFamily(
            "cces_jobs",
            "jobs of the queue by queue, task and state (todo, doing, failed)",
            labels=["queue", "task", "status"],
        )
        for job in jobs:
            family.add_metric([job.queue, job.task, job.status], job.count)
        yield family


class BuildCollector(Collector):
    """Which hub this is: version, role and worker name (one series; join on it in queries)."""

    def __init__(self, version: str, role: str, worker: str) -> None:
        self._labels = {"version": version, "role": role, "worker": worker}

    def collect(self) -> Iterable[Metric]:
        info = InfoMetricFamily("cces_build", "the hub process: version, role (all, ingest, api), worker name")
        info.add_metric([], self._labels)
        return [info]
