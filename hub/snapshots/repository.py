"""SQL of face snapshots: which event holds which file, and marking files removed (retention, erasure).

A row that loses its snapshot keeps saying it had one: `snapshot_removed` ('retention', 'erasure')
and `snapshot_removed_at`; `snapshot_file` (sealed) and `snapshot_sha256` (an earlier version's
clear-text file) are cleared. Every claim locks its rows (`FOR UPDATE SKIP LOCKED`), so two hub
processes running the same job never work on the same row.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import psycopg
from psycopg import sql

from hub.snapshots.models import SnapshotRow
from hub.snapshots.store import KINDS, SnapshotKind

TABLES: dict[SnapshotKind, str] = {"attendance": "attendance_events", "unknown_face": "unknown_faces"}


def _table(kind: SnapshotKind) -> sql.Identifier:
    return sql.Identifier(TABLES[kind])


def event_snapshot(conn: psycopg.Connection, kind: SnapshotKind, event_id: UUID) -> SnapshotRow | None:
    """The event with what is known of its snapshot and whose it is (employee for attendance, office for
    an unknown face); None when no such event is stored."""
    if kind == "attendance":
        query = sql.SQL(
            "SELECT a.id, a.ts, a.device_id, a.person_id, a.snapshot_file, a.snapshot_sha256, a.snapshot_removed,"
            " a.snapshot_removed_at, e.id, e.employee_code, u.path, d.site"
            " FROM attendance_events a LEFT JOIN employees e ON e.person_id = a.person_id"
            " LEFT JOIN org_units u ON u.id = e.unit_id LEFT JOIN devices d ON d.device_id = a.device_id"
            " WHERE a.id = %s ORDER BY a.ts LIMIT 1"
        )
    else:
        query = sql.SQL(
            "SELECT f.id, f.ts, f.device_id, NULL, f.snapshot_file, f.snapshot_sha256, f.snapshot_removed,"
            " f.snapshot_removed_at, NULL, NULL,"
            " (SELECT min(u.path) FROM site_units s JOIN org_units u ON u.id = s.unit_id WHERE s.site = d.site),"
            " d.site FROM unknown_faces f LEFT JOIN devices d ON d.device_id = f.device_id"
            " WHERE f.id = %s ORDER BY f.ts LIMIT 1"
        )
    row = conn.execute(query, (event_id,)).fetchone()
    return SnapshotRow(kind, *row) if row else None


def expire_sealed(
    conn: psycopg.Connection, kind: SnapshotKind, cutoff: datetime, now: datetime, limit: int
) -> list[str]:
    """Mark up to `limit` rows older than `cutoff` that still hold a sealed file removed by retention;
    the names of their files (for the caller to delete in the same transaction)."""
    query = sql.SQL(
        "WITH doomed AS (SELECT id, ts, snapshot_file FROM {t} WHERE ts < %(cutoff)s AND snapshot_file IS NOT NULL"
        " ORDER BY ts LIMIT %(limit)s FOR UPDATE SKIP LOCKED)"
        " UPDATE {t} r SET snapshot_file = NULL, snapshot_removed = 'retention', snapshot_removed_at = %(now)s"
        " FROM doomed WHERE r.id = doomed.id AND r.ts = doomed.ts RETURNING doomed.snapshot_file"
    ).format(t=_table(kind))
    return [r[0] for r in conn.execute(query, {"cutoff": cutoff, "now": now, "limit": limit})]


def expire_clear(
    conn: psycopg.Connection, kind: SnapshotKind, cutoff: datetime, now: datetime, limit: int
) -> list[str]:
    """The same for rows still pointing at an earlier version's clear-text file; the SHA-256 names."""
    query = sql.SQL(
        "WITH doomed AS (SELECT id, ts, snapshot_sha256 FROM {t} WHERE ts < %(cutoff)s"
        " AND snapshot_sha256 IS NOT NULL LIMIT %(limit)s FOR UPDATE SKIP LOCKED)"
        " UPDATE {t} r SET snapshot_sha256 = NULL, snapshot_removed = 'retention', snapshot_removed_at = %(now)s"
        " FROM doomed WHERE r.id = doomed.id AND r.ts = doomed.ts RETURNING doomed.snapshot_sha256"
    ).format(t=_table(kind))
    return [r[0] for r in conn.execute(query, {"cutoff": cutoff, "now": now, "limit": limit})]


def erase_person(conn: psycopg.Connection, person_id: str, now: datetime) -> tuple[list[str], list[str]]:
    """Unlink every snapshot of one person's attendance events (marked removed by erasure); the names of
    the sealed files and of the earlier version's clear-text files they held."""
    rows = conn.execute(
        "WITH doomed AS (SELECT id, ts, snapshot_file, snapshot_sha256 FROM attendance_events"
        " WHERE person_id = %(person)s AND (snapshot_file IS NOT NULL OR snapshot_sha256 IS NOT NULL) FOR UPDATE)"
        " UPDATE attendance_events r SET snapshot_file = NULL, snapshot_sha256 = NULL,"
        " snapshot_removed = 'erasure', snapshot_removed_at = %(now)s"
        " FROM doomed WHERE r.id = doomed.id AND r.ts = doomed.ts"
        " RETURNING doomed.snapshot_file, doomed.snapshot_sha256",
        {"person": person_id, "now": now},
    ).fetchall()
    return [r[0] for r in rows if r[0]], [r[1] for r in rows if r[1]]


def clear_file_rows(conn: psycopg.Connection, sha256: str) -> list[tuple[SnapshotKind, UUID, datetime]]:
    """The events still pointing at one clear-text file of an earlier version, locked for sealing."""
    found: list[tuple[SnapshotKind, UUID, datetime]] = []
    for kind in KINDS:
        query = sql.SQL("SELECT id, ts FROM {t} WHERE snapshot_sha256 = %s FOR UPDATE SKIP LOCKED").format(
            t=_table(kind)
        )
        found += [(kind, r[0], r[1]) for r in conn.execute(query, (sha256,))]
    return found


def seal_clear(conn: psycopg.Connection, kind: SnapshotKind, event_id: UUID, ts: datetime, file: str) -> None:
    """The event's clear-text snapshot is now the sealed `file`."""
    conn.execute(
        sql.SQL("UPDATE {t} SET snapshot_file = %s, snapshot_sha256 = NULL WHERE id = %s AND ts = %s").format(
            t=_table(kind)
        ),
        (file, event_id, ts),
    )


def clear_file_in_use(conn: psycopg.Connection, sha256: str) -> bool:
    """Whether any event still points at this clear-text file."""
    for kind in KINDS:
        query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {t} WHERE snapshot_sha256 = %s)").format(t=_table(kind))
        row = conn.execute(query, (sha256,)).fetchone()
        if row and row[0]:
            return True
    return False
