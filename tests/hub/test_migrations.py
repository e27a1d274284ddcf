"""Migrations: ordered, idempotent, and the time-series storage they choose."""

from __future__ import annotations

from pathlib import Path

import psycopg

import hub
from hub.db import migrate


def schema_fingerprint(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return (
            conn.execute(
                "SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod)"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                " WHERE n.nspname = 'public' ORDER BY 1, 3"
            ).fetchall()
            + conn.execute(
                "SELECT p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc) FROM pg_proc p"
                " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1"
            ).fetchall()
        )


def test_migrations_apply_twice_without_change(empty_database_url: str) -> None:
    first = migrate(empty_database_url)
    shipped = sorted(path.stem for path in (Path(hub.__file__).parent / "migrations").glob("*.sql"))
    assert first.applied == shipped  # every shipped migration, in the order of its number
    assert shipped[:3] == ["0001_timeseries_helpers", "0002_devices_and_ingest", "0003_people"]
    before = schema_fingerprint(empty_database_url)
    second = migrate(empty_database_url)
    assert second.applied == []
    assert second.already_applied == first.applied
    assert schema_fingerprint(empty_database_url) == before


def test_time_series_tables_are_monthly_partitions_without_timescaledb(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        storage = dict(conn.execute("SELECT table_name, storage FROM cces_timeseries").fetchall())
        assert storage == {
            t: "partitioned"
            for t in ("attendance_events", "unknown_faces", "rfid_reads", "device_events", "device_telemetry")
        }
        # this month, last month and three ahead exist already
        parts = conn.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'attendance_events'::regclass"
        ).fetchone()[0]
        assert parts >= 5
        brin = conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'attendance_events_ts_brin'").fetchone()
        assert brin and "brin" in brin[0]
        assert conn.execute("SELECT cces_ensure_partitions('attendance_events', now(), now())").fetchone()[0] == 0


def test_retention_drops_whole_old_months_and_keeps_the_rest(database_url: str) -> None:
    from datetime import UTC, datetime

    from hub.ingest.repository import apply_retention, ensure_partitions

    with psycopg.connect(database_url) as conn:
        ensure_partitions(conn, datetime(2021, 3, 10, tzinfo=UTC), datetime(2021, 4, 10, tzinfo=UTC))
        conn.execute(
            "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, model)"
            " VALUES (gen_random_uuid(), '2021-03-15', 'door-old-01', 1, 'nv-1', 0.7, 'm'),"
            " (gen_random_uuid(), now(), 'door-new-01', 1, 'nv-1', 0.7, 'm')"
        )
        conn.commit()
        assert apply_retention(conn, "attendance_events", keep_days=365) == 2  # March and April 2021
        names = [
            r[0]
            for r in conn.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                " WHERE i.inhparent = 'attendance_events'::regclass"
            )
        ]
        assert "attendance_events_p202103" not in names and len(names) >= 5
        assert conn.execute("SELECT device_id FROM attendance_events").fetchall() == [("door-new-01",)]
        assert apply_retention(conn, "attendance_events", keep_days=365) == 0


def test_rollups_answer_by_local_day_and_by_hour_on_native_storage(database_url: str) -> None:
    """attendance_daily groups by the Vietnamese calendar day (an arrival at 00:30 local is that day,
    though still the day before in UTC); device_telemetry_hourly counts heartbeats per hour."""
    with psycopg.connect(database_url) as conn:
        conn.execute("SELECT cces_ensure_all_partitions('2026-03-01', '2026-03-31')")
        conn.execute(
            "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, model) VALUES"
            " (gen_random_uuid(), '2026-03-09 17:30+00', 'door-01', 1, 'nv-1', 0.7, 'm'),"  # 10/3 00:30 local
            " (gen_random_uuid(), '2026-03-10 01:05+00', 'door-01', 2, 'nv-1', 0.7, 'm'),"  # 10/3 08:05
            " (gen_random_uuid(), '2026-03-10 10:40+00', 'door-01', 3, 'nv-1', 0.7, 'm'),"  # 10/3 17:40
            " (gen_random_uuid(), '2026-03-10 18:00+00', 'door-01', 4, 'nv-1', 0.7, 'm')"  # 11/3 01:00
        )
        conn.execute(
            "INSERT INTO device_telemetry (device_id, ts, uptime_s, software_version, outbox_pending,"
            " outbox_bytes, telemetry_dropped, metrics) SELECT 'door-01', t, 1, '0.1', n, 0, 0, '{}'"
            " FROM generate_series(1, 5) n, LATERAL (SELECT '2026-03-10 02:00+00'::timestamptz"
            " + n * interval '15 minutes' AS t) s"
        )
        days = conn.execute(
            "SELECT day::text, events, first_ts = '2026-03-09 17:30+00' FROM attendance_daily"
            " WHERE person_id = 'nv-1' ORDER BY day"
        ).fetchall()
        assert days == [("2026-03-10", 3, True), ("2026-03-11", 1, False)]
        hours = conn.execute(
            "SELECT extract(hour FROM hour AT TIME ZONE 'UTC')::int, heartbeats, max_outbox_pending"
            " FROM device_telemetry_hourly WHERE device_id = 'door-01' ORDER BY hour"
        ).fetchall()
        assert hours == [(2, 3, 3), (3, 2, 5)]
