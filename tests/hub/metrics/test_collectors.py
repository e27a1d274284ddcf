"""What a scrape reads from the database and its pool, on a real PostgreSQL (hub.metrics.collectors)."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg
from prometheus_client import CollectorRegistry, generate_latest

from hub.db import migrate, open_pool
from hub.metrics.collectors import DatabaseCollector, PoolCollector
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
        assert b"cces_jobs" not in generate_latest(registry)  # no job queue in this database

        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')
        text = generate_latest(registry).decode()  # still answers, saying the database is down
        assert "cces_database_up 0.0" in text
        assert "cces_db_pool_max_connections 3.0" in text
    finally:
        pool.close()
        drop_database(postgres_server, url)


def test_a_part_this_process_does_not_run_has_no_samples() -> None:
    registry = CollectorRegistry()
    registry.register(PoolCollector(lambda: None))
    registry.register(DatabaseCollector(lambda: None))
    assert generate_latest(registry) == b""
