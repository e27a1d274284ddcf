"""What a scrape reads from the database and its pool, on a real PostgreSQL (hub.metrics.collectors)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import psycopg
from prometheus_client import CollectorRegistry, generate_latest

from hub.db import migrate, open_pool
from hub.jobs.models import JobSpec, RetryPolicy
from hub.jobs.queue import JobQueue
from hub.metrics.collectors import DatabaseCollector, JobWorkerCollector, PoolCollector
from tests.conftest import drop_database, new_database


def test_the_pool_and_the_database_are_reported_and_a_scrape_answers_while_the_database_is_gone(
    postgres_server: str,
) -> None:
    url = new_database(postgres_server)
    migrate(url)
    pool = open_pool(url, max_size=3, name="cces-metrics-test", wait_s=1, reconnect_s=1)
    try:
        registry = CollectorRegistry()
        registry.register(PoolCollector(lambda: pool))
        registry.register(DatabaseCollector(lambda: pool))
        with pool.connection() as conn:
            conn.execute("SELECT 1")
        assert registry.get_sample_value("cces_database_up") == 1
        assert registry.get_sample_value("cces_db_pool_max_connections") == 3
        assert registry.get_sample_value("cces_db_pool_min_connections") == 1
        assert (registry.get_sample_value("cces_db_pool_connections") or 0) >= 1
        assert (registry.get_sample_value("cces_db_pool_requests_total") or 0) >= 2  # ours and the scrape's
        assert registry.get_sample_value("cces_jobs_workers") == 0
        assert "cces_jobs{" not in generate_latest(registry).decode()  # no job yet: the family has no samples

        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')
        text = generate_latest(registry).decode()  # still answers, saying the database is down
        assert "cces_database_up 0.0" in text
        assert "cces_db_pool_max_connections 3.0" in text
    finally:
        pool.close()
        drop_database(postgres_server, url)


def test_the_job_queue_is_reported_by_state_with_its_workers_and_this_process_s_worker(database_url: str) -> None:
    pool = open_pool(database_url, max_size=4, name="cces-metrics-jobs-test")
    queue = JobQueue(database_url, pool, worker_name="metrics-test", poll_s=0.5)
    try:
        queue.add(JobSpec("test.noop", lambda: None))
        elsewhere = JobQueue(database_url, pool, worker_name="not-started")  # a process that is not running
        elsewhere.add(JobSpec("test.waits", lambda: None, queue="elsewhere"))
        registry = CollectorRegistry()
        registry.register(DatabaseCollector(lambda: pool))
        registry.register(JobWorkerCollector(lambda: queue))
        assert elsewhere.defer("test.waits") is not None  # no worker takes it: it stays queued
        queue.start()
        assert registry.get_sample_value("cces_jobs_worker_up") == 1
        assert registry.get_sample_value("cces_jobs_worker_restarts_total") == 0
        assert registry.get_sample_value("cces_jobs_worker_queue", {"queue": "maintenance"}) == 1
        assert registry.get_sample_value("cces_jobs_worker_queue", {"queue": "elsewhere"}) is None
        assert registry.get_sample_value("cces_jobs", {"queue": "elsewhere", "task": "test.waits",
                                                       "status": "todo"}) == 1  # fmt: skip
        deadline = time.monotonic() + 30
        while registry.get_sample_value("cces_jobs_workers") != 1:
            assert time.monotonic() < deadline, "the worker did not register"
            time.sleep(0.2)
    finally:
        queue.stop()
        pool.close()
    assert generate_latest(registry).decode().count("cces_jobs_worker_up") == 0  # stopped: no samples


def test_a_failed_job_is_counted_as_failed(database_url: str) -> None:
    pool = open_pool(database_url, max_size=4, name="cces-metrics-jobs-test")
    queue = JobQueue(database_url, pool, worker_name="metrics-test", poll_s=0.5, retry=RetryPolicy(attempts=1))

    def fails() -> None:
        raise RuntimeError("hỏng / broken")

    queue.add(JobSpec("test.fails", fails))
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(lambda: pool))
    labels = {"queue": "maintenance", "task": "test.fails", "status": "failed"}
    try:
        queue.start()
        queue.defer("test.fails")
        deadline = time.monotonic() + 30
        while registry.get_sample_value("cces_jobs", labels) != 1:
            assert time.monotonic() < deadline, generate_latest(registry).decode()
            time.sleep(0.2)
    finally:
        queue.stop()
        pool.close()


def test_a_part_this_process_does_not_run_has_no_samples() -> None:
    registry = CollectorRegistry()
    registry.register(PoolCollector(lambda: None))
    registry.register(DatabaseCollector(lambda: None))
    registry.register(JobWorkerCollector(lambda: None))
    assert generate_latest(registry) == b""
