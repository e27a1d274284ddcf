"""SQL of ingest: batched idempotent inserts, dead letters and exactly-once counters.

Each table gets one `INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING` per batch:
one round trip, duplicates (also within the batch) skipped by the (id, ts) key, and the row
count tells how many were new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from hub.live import repository as live_repo

ATTENDANCE_COLUMNS = (
    ("id", "uuid"),
    ("ts", "timestamptz"),
    ("device_id", "text"),
    ("seq", "bigint"),
    ("person_id", "text"),
    ("score", "real"),
    ("liveness", "real"),
    ("model", "text"),
    ("direction", "text"),
    ("snapshot_file", "text"),  # sealed snapshot (hub.snapshots.store)
)
UNKNOWN_FACE_COLUMNS = (
    ("id", "uuid"),
    ("ts", "timestamptz"),
    ("device_id", "text"),
    ("seq", "bigint"),
    ("score", "real"),
    ("liveness", "real"),
    ("model", "text"),
    ("direction", "text"),
    ("snapshot_file", "text"),  # sealed snapshot (hub.snapshots.store)
)
RFID_READ_COLUMNS = (
    ("id", "uuid"),
    ("ts", "timestamptz"),
    ("device_id", "text"),
    ("seq", "bigint"),
    ("epc", "text"),
    ("antenna", "smallint"),
    ("rssi", "real"),
    ("read_count", "integer"),
    ("first_seen", "timestamptz"),
    ("last_seen", "timestamptz"),
    ("scheme", "text"),
    ("uri", "text"),
    ("zone", "text"),  # migration 0420
    ("reader", "text"),
    ("zone_first_seen", "timestamptz"),
)
DEVICE_EVENT_COLUMNS = (
    ("id", "uuid"),
    ("ts", "timestamptz"),
    ("device_id", "text"),
    ("seq", "bigint"),
    ("type", "text"),
    ("data", "jsonb"),
)
TELEMETRY_COLUMNS = (
    ("device_id", "text"),
    ("ts", "timestamptz"),
    ("uptime_s", "double precision"),
    ("software_version", "text"),
    ("outbox_pending", "integer"),
    ("outbox_bytes", "bigint"),
    ("telemetry_dropped", "integer"),
    ("metrics", "jsonb"),
)


@dataclass
class BatchRows:
    """Rows of one batch, per table, in column order."""

    attendance: list[tuple[Any, ...]]
    unknown_faces: list[tuple[Any, ...]]
    rfid_reads: list[tuple[Any, ...]]
    device_events: list[tuple[Any, ...]]
    telemetry: list[tuple[Any, ...]]
    rejects: list[tuple[str, str | None, str, str, bytes]]

    @classmethod
    def empty(cls) -> BatchRows:
        return cls([], [], [], [], [], [])

    @property
    def event_count(self) -> int:
        return len(self.attendance) + len(self.unknown_faces) + len(self.rfid_reads) + len(self.device_events)


@dataclass(frozen=True)
class BatchResult:
    accepted: int
    duplicates: int
    rejected: int
    telemetry: int


def _insert_unnest(
    conn: psycopg.Connection, table: str, columns: Sequence[tuple[str, str]], rows: list[tuple[Any, ...]]
) -> int:
    if not rows:
        return 0
    query = sql.SQL("INSERT INTO {table} ({cols}) SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING").format(
        table=sql.Identifier(table),
        cols=sql.SQL(", ").join(sql.Identifier(name) for name, _ in columns),
        arrays=sql.SQL(", ").join(sql.SQL("%s::" + kind + "[]") for _, kind in columns),
    )
    values = [list(column) for column in zip(*rows, strict=False)]
    for index, (_, kind) in enumerate(columns):
        if kind == "jsonb":
            values[index] = [Jsonb(v) for v in values[index]]
    return conn.execute(query, values).rowcount


def ensure_partitions(conn: psycopg.Connection, earliest: datetime, latest: datetime) -> int:
    """Create the monthly partitions covering [earliest, latest] (no-op on TimescaleDB)."""
    with conn.transaction():
        row = conn.execute("SELECT cces_ensure_all_partitions(%s, %s)", (earliest, latest)).fetchone()
    return int(row[0]) if row else 0


def apply_retention(conn: psycopg.Connection, table: str, keep_days: int) -> int:
    """Drop the months (or TimescaleDB chunks) of `table` wholly older than `keep_days`."""
    with conn.transaction():
        row = conn.execute("SELECT cces_apply_retention(%s, make_interval(days => %s))", (table, keep_days)).fetchone()
    return int(row[0]) if row else 0


#: NOTIFY channel of newly stored rfid_reads. Payload (JSON, < 4 kB): `received_at` (the transaction's
#: now(), every new row's received_at), `ts_min`/`ts_max` of the batch (partition pruning), `n` new rows,
#: `devices` (the distinct device ids, at most 50; null when there were more). A listener reads back
#: `rfid_reads WHERE received_at = :received_at AND ts BETWEEN :ts_min AND :ts_max`.
RFID_READS_CHANNEL = "cces_rfid_reads"
_RFID_TS, _RFID_DEVICE = 1, 2  # indexes in RFID_READ_COLUMNS


def notify_rfid_reads(conn: psycopg.Connection, rows: Sequence[tuple[Any, ...]], inserted: int) -> None:
    """Announce a batch of RFID reads inside the transaction that stores them (delivered on COMMIT)."""
    if not inserted or not rows:
        return
    stamps = [r[_RFID_TS] for r in rows]
    devices = sorted({r[_RFID_DEVICE] for r in rows})
    conn.execute(
        "SELECT pg_notify(%s, json_build_object('received_at', now(), 'ts_min', %s::timestamptz,"
        " 'ts_max', %s::timestamptz, 'n', %s::int, 'devices', %s::text[])::text)",
        (RFID_READS_CHANNEL, min(stamps), max(stamps), inserted, devices if len(devices) <= 50 else None),
    )


def store_batch(conn: psycopg.Connection, worker: str, rows: BatchRows) -> BatchResult:
    """Store one batch in one transaction; the caller acknowledges the messages after it returns."""
    with conn.transaction():
        inserted = _insert_unnest(conn, "attendance_events", ATTENDANCE_COLUMNS, rows.attendance)
        live_repo.notify_attendance(conn, rows.attendance, inserted)  # sent on COMMIT: the live feed
        inserted += _insert_unnest(conn, "unknown_faces", UNKNOWN_FACE_COLUMNS, rows.unknown_faces)
        rfid = _insert_unnest(conn, "rfid_reads", RFID_READ_COLUMNS, rows.rfid_reads)
        notify_rfid_reads(conn, rows.rfid_reads, rfid)  # sent on COMMIT: door portals, live inventories
        inserted += rfid
        inserted += _insert_unnest(conn, "device_events", DEVICE_EVENT_COLUMNS, rows.device_events)
        telemetry = _insert_unnest(conn, "device_telemetry", TELEMETRY_COLUMNS, rows.telemetry)
        if rows.rejects:
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO ingest_rejects (topic, device_id, reason, detail, payload)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    rows.rejects,
                )
        result = BatchResult(
            accepted=inserted,
            duplicates=rows.event_count - inserted,
            rejected=len(rows.rejects),
            telemetry=telemetry,
        )
        conn.execute(
            "INSERT INTO ingest_counters AS c (worker, accepted, duplicates, rejected) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (worker) DO UPDATE SET accepted = c.accepted + EXCLUDED.accepted,"
            " duplicates = c.duplicates + EXCLUDED.duplicates, rejected = c.rejected + EXCLUDED.rejected,"
            " updated_at = now()",
            (worker, result.accepted, result.duplicates, result.rejected),
        )
    return result


def ingest_stats(conn: psycopg.Connection) -> dict[str, int]:
    row = conn.execute(
        "SELECT COALESCE(sum(accepted), 0), COALESCE(sum(duplicates), 0), COALESCE(sum(rejected), 0)"
        " FROM ingest_counters"
    ).fetchone()
    assert row is not None
    return {"accepted": int(row[0]), "duplicates": int(row[1]), "rejected": int(row[2])}


@dataclass(frozen=True)
class RejectRow:
    id: int
    received_at: datetime
    topic: str
    device_id: str | None
    reason: str
    detail: str
    payload: bytes  # at most the first 64 KiB (migration 0120)
    payload_size: int  # of the whole payload as received
    payload_sha256: str  # of the whole payload


def recent_rejects(
    conn: psycopg.Connection, limit: int, max_bytes: int, before_id: int | None = None, offset: int = 0
) -> list[RejectRow]:
    """Newest first, at most `limit` rows and about `max_bytes` of payload (always at least one row)."""
    rows = conn.execute(
        "SELECT id, received_at, topic, device_id, reason, detail, payload, payload_size, payload_sha256 FROM ("
        "  SELECT *, sum(length(payload)) OVER (ORDER BY id DESC) AS upto FROM ("
        "    SELECT * FROM ingest_rejects WHERE id < %s ORDER BY id DESC LIMIT %s OFFSET %s) newest"
        ") paged WHERE upto - length(payload) < %s ORDER BY id DESC",
        (before_id if before_id is not None else 2**63 - 1, limit, offset, max_bytes),
    ).fetchall()
    return [RejectRow(*row) for row in rows]


def delete_rejects_older_than(conn: psycopg.Connection, keep_days: int) -> int:
    """Dead letters past their retention (they are for diagnosing devices, not an archive)."""
    with conn.transaction():
        return conn.execute(
            "DELETE FROM ingest_rejects WHERE received_at < now() - make_interval(days => %s)", (keep_days,)
        ).rowcount


def ping(conn: psycopg.Connection) -> None:
    """The cheapest statement: whether the database answers (the health route)."""
    conn.execute("SELECT 1")
