"""The outbox's SQLite file: its tables, the columns added since the first release, the connection every
`Outbox` opens (WAL, `synchronous=FULL`: a row whose `put` returned survives a power cut), and the rows and
figures read from it. The rules — what goes in, in which order it leaves, what is dropped over budget —
are `edge_agent.outbox`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

from protocol.envelope import (
    AttendanceFaceEvent,
    FaceUnknownEvent,
    MeetingCheckinEvent,
    RfidInventoryEvent,
    RfidReadEvent,
)

Kind = Literal["event", "telemetry", "status"]
Event = AttendanceFaceEvent | FaceUnknownEvent | RfidReadEvent | RfidInventoryEvent | MeetingCheckinEvent

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    topic      TEXT    NOT NULL,
    payload    BLOB    NOT NULL,
    qos        INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
    retain     INTEGER NOT NULL DEFAULT 0,
    kind       TEXT    NOT NULL CHECK (kind IN ('event', 'telemetry', 'status')),
    durable    INTEGER NOT NULL CHECK (durable IN (0, 1)),
    created_at REAL    NOT NULL,
    size       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_droppable ON outbox (durable, id);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('seq', 0), ('telemetry_dropped', 0);
"""


def connect(path: Path) -> sqlite3.Connection:
    """The outbox file at `path`, created or upgraded; in autocommit mode, so every transaction of the
    outbox is an explicit BEGIN IMMEDIATE … COMMIT."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30.0)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(SCHEMA)
    upgrade(db)
    return db


def upgrade(db: sqlite3.Connection) -> None:
    """Columns added after the first release; an outbox written by an older agent keeps working."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(outbox)")}
    if "event_id" not in columns:
        db.execute("ALTER TABLE outbox ADD COLUMN event_id TEXT")
    if "published_at" not in columns:
        db.execute("ALTER TABLE outbox ADD COLUMN published_at REAL")
    db.execute("CREATE INDEX IF NOT EXISTS outbox_event_id ON outbox (event_id)")


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One pending message, exactly as it will be published."""

    id: int
    topic: str
    payload: bytes
    qos: int
    retain: bool
    kind: Kind
    durable: bool
    created_at: float
    size: int


class OutboxStats(NamedTuple):
    pending_count: int
    pending_bytes: int
    telemetry_dropped: int
