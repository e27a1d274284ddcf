"""How ingest writes a batch: measured three ways on the embedded PostgreSQL.

- unnest: one `INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING` (what ingest uses)
- copy:   COPY into a temporary staging table, then `INSERT … SELECT … ON CONFLICT DO NOTHING`
- executemany: psycopg's pipelined `executemany` of a one-row INSERT … ON CONFLICT DO NOTHING

    python -m bench.ingest_write --batches 100 --batch-size 500
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import psycopg

from hub.db import migrate
from hub.embedded.postgres import EmbeddedPostgres
from hub.ingest.repository import ATTENDANCE_COLUMNS, BatchRows, ensure_partitions, store_batch
from tests.services import new_workdir

COLS = ", ".join(name for name, _ in ATTENDANCE_COLUMNS)


def _rows(n: int, start: datetime) -> list[tuple[object, ...]]:
    return [
        (
            uuid.uuid4(),
            start + timedelta(milliseconds=i),
            "bench-01",
            i,
            f"nv-{i % 5000:05d}",
            0.7,
            None,
            "bench",
            None,
            None,
        )
        for i in range(n)
    ]


def via_unnest(conn: psycopg.Connection, rows: list[tuple[object, ...]]) -> None:
    batch = BatchRows.empty()
    batch.attendance.extend(rows)
    store_batch(conn, "bench", batch)


def via_copy(conn: psycopg.Connection, rows: list[tuple[object, ...]]) -> None:
    with conn.transaction():
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS staging (LIKE attendance_events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        with conn.cursor().copy(f"COPY staging ({COLS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.execute(f"INSERT INTO attendance_events ({COLS}) SELECT {COLS} FROM staging ON CONFLICT DO NOTHING")


def via_executemany(conn: psycopg.Connection, rows: list[tuple[object, ...]]) -> None:
    marks = ", ".join(["%s"] * len(ATTENDANCE_COLUMNS))
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(f"INSERT INTO attendance_events ({COLS}) VALUES ({marks}) ON CONFLICT DO NOTHING", rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cces bench ingest_write", description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    server = EmbeddedPostgres(new_workdir("cces-bench-write-"))
    url = server.start()
    figures: dict[str, float] = {}
    try:
        migrate(url)
        now = datetime.now(UTC)
        with psycopg.connect(url) as conn:
            ensure_partitions(conn, now, now + timedelta(days=1))
            strategies: dict[str, Callable[[psycopg.Connection, list[tuple[object, ...]]], None]] = {
                "unnest": via_unnest,
                "copy": via_copy,
                "executemany": via_executemany,
            }
            for name, write in strategies.items():
                batches = [_rows(args.batch_size, now) for _ in range(args.batches)]
                began = time.perf_counter()
                for rows in batches:
                    write(conn, rows)
                figures[f"{name}_rows_per_s"] = round(args.batches * args.batch_size / (time.perf_counter() - began))
    finally:
        server.stop()
    print(json.dumps(figures) if args.json else "\n".join(f"{k:>26}: {v:,}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
