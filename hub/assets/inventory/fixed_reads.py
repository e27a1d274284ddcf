"""Taking a session's fixed readers' reads in: the reads `rfid_reads` received since the session's mark, by the
devices mapped to its rooms, from its start, each tag kept once with its first and last time and its latest room.

Idempotent (the mark moves past what was taken in, and a tag's row is upserted), so two viewers at once do no harm.
"""

from __future__ import annotations

from typing import Any

import psycopg

from hub.assets.inventory import repository
from hub.assets.inventory.tags import identify_codes
from protocol.epc import AssetEpcPolicy

MAX_READS_PER_SYNC = 50_000


def take_in_fixed_reads(conn: psycopg.Connection, inventory_id: int, policy: AssetEpcPolicy | None) -> int:
    """Take in the new reads of the readers mapped to the session's rooms (in the caller's transaction): how many."""
    raw = repository.raw(conn, inventory_id)
    ids = repository.subtree(conn, raw["location_id"]) if raw["location_id"] is not None else None
    readers = repository.readers(conn, ids)
    if not readers:
        return 0
    rooms = {(d, a): loc for d, a, loc in readers}
    reads = repository.new_reads(
        conn, sorted({d for d, _, _ in readers}), raw["started_at"], raw["read_mark"], MAX_READS_PER_SYNC
    )
    if not reads:
        return 0
    found = identify_codes(conn, [r[2] for r in reads], policy)
    rows: dict[str, list[Any]] = {}
    for (device, antenna, _, ts, _), f in zip(reads, found, strict=True):
        location = rooms.get((device, antenna), rooms.get((device, 0)))
        if location is None:
            continue
        row = rows.get(f.tag)
        if row is None:
            rows[f.tag] = [f.tag, f.asset_id, location, device, ts, ts]
        else:
            if ts >= row[5]:
                row[2], row[3], row[5] = location, device, ts
            row[4] = min(row[4], ts)
    repository.upsert_reads(conn, inventory_id, [tuple(r) for r in rows.values()])
    repository.set_mark(conn, inventory_id, max(r[4] for r in reads))
    return len(reads)
