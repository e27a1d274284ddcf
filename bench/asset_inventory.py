"""Inventory bench: 200,000 assets; a 2,000-tag room inventory reconciled with each live update (fixed-reader reads
arriving in batches, as ingest stores them), and the yearly stocktake's progress report over every office.

    python -m bench.asset_inventory [--assets 200000] [--rooms 100] [--batches 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time as clock
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.assets import load
from bench.timesheet_db import bench_database
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.assets.inventory import repository as inventory_repo
from hub.assets.inventory.service import InventoryService
from hub.assets.service import AssetsService
from hub.db import open_pool
from hub.ingest.classify import AcceptedEvent
from hub.ingest.repository import store_batch
from hub.ingest.rows import build_rows
from protocol.envelope import RfidReadData, RfidReadEvent
from protocol.epc import AssetEpcPolicy, asset_epc

POLICY = AssetEpcPolicy(company_prefix="8934567")


def _locations(conn: psycopg.Connection, rooms: int) -> list[int]:
    """An office per department (building, floor), `rooms` rooms spread over them; assets spread over the rooms."""
    ids: list[int] = []
    for d in range(10):
        unit = conn.execute("SELECT id FROM org_units WHERE code = %s", (f"CHQ{d:02d}",)).fetchone()[0]
        office = conn.execute(
            "INSERT INTO asset_locations (kind, code, name, unit_id) VALUES ('office', %s, %s, %s) RETURNING id",
            (f"TS{d}", f"Trụ sở {d}", unit),
        ).fetchone()[0]
        building = conn.execute(
            "INSERT INTO asset_locations (parent_id, kind, code, name, unit_id) VALUES"
            " (%s, 'building', %s, 'Nhà A', %s) RETURNING id",
            (office, f"TS{d}-A", unit),
        ).fetchone()[0]
        floor = conn.execute(
            "INSERT INTO asset_locations (parent_id, kind, code, name, unit_id) VALUES"
            " (%s, 'floor', %s, 'Tầng 1', %s) RETURNING id",
            (building, f"TS{d}-A1", unit),
        ).fetchone()[0]
        for r in range(rooms // 10):
            ids.append(
                conn.execute(
                    "INSERT INTO asset_locations (parent_id, kind, code, name, unit_id) VALUES"
                    " (%s, 'room', %s, %s, %s) RETURNING id",
                    (floor, f"R{d}-{r:03d}", f"Phòng {r}", unit),
                ).fetchone()[0]
            )
    conn.execute("UPDATE assets a SET location_id = (%s::bigint[])[1 + (a.id %% %s)]", (ids, len(ids)))
    conn.execute("ANALYZE assets")
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=200_000)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    admin = Principal.tool("bench", "Bench")
    actor = Actor("bench")
    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-pg-") as workdir,
        bench_database(args.database_url, Path(workdir)) as url,
    ):
        with psycopg.connect(url, autocommit=True) as conn:
            load(conn, args.assets)
            rooms = _locations(conn, args.rooms)
            room = rooms[0]
            tags = [
                (i, n)
                for i, n in conn.execute(
                    "SELECT id, asset_number FROM assets WHERE location_id = %s AND status <> 'liquidated'", (room,)
                )
            ]
            epcs = []
            for asset_id, number in tags:
                epc = asset_epc(number, POLICY).hex
                conn.execute("UPDATE assets SET epc_hex = %s WHERE id = %s", (epc, asset_id))
                epcs.append(epc)
            code = conn.execute("SELECT code FROM asset_locations WHERE id = %s", (room,)).fetchone()[0]
        pool = open_pool(url, max_size=2, name="cces-bench-inventory")
        try:
            assets = AssetsService(pool, lambda: datetime.now(UTC), POLICY)
            service = InventoryService(pool, lambda: datetime.now(UTC), assets)
            service.set_reader(admin, actor, "reader-r0", 0, code)
            session = service.start(admin, actor, code, "Bench room", 2026)
            per_batch = max(1, len(epcs) // args.batches)
            updates: list[float] = []
            result = None
            for b in range(0, len(epcs), per_batch):
                now = datetime.now(UTC)
                events = [
                    AcceptedEvent(
                        RfidReadEvent(
                            id=uuid.uuid4(),
                            device_id="reader-r0",
                            ts=now,
                            seq=b + k,
                            data=RfidReadData(epc=e, antenna=1, first_seen=now, last_seen=now),
                        )
                    )
                    for k, e in enumerate(epcs[b : b + per_batch])
                ]
                rows, _ = build_rows(events, None)  # type: ignore[arg-type]
                with psycopg.connect(url) as conn, conn.transaction():
                    store_batch(conn, "bench", rows)
                started = clock.perf_counter()
                result = service.live(admin, session.id)
                updates.append(clock.perf_counter() - started)
            assert result is not None
            # the yearly stocktake: a closed session per office with half of its assets read
            with pool.connection() as conn, conn.transaction():
                for d in range(10):
                    loc = conn.execute("SELECT id FROM asset_locations WHERE code = %s", (f"TS{d}",)).fetchone()[0]
                    sid = inventory_repo.insert(conn, loc, 2026, f"Kiểm kê trụ sở {d}", "bench")
                    ids = [
                        r[0]
                        for r in conn.execute(
                            "SELECT a.id FROM assets a JOIN asset_locations l ON l.id = a.location_id"
                            " JOIN asset_locations f ON f.id = l.parent_id JOIN asset_locations b ON b.id = f.parent_id"
                            " WHERE b.parent_id = %s AND a.id %% 2 = 0",
                            (loc,),
                        )
                    ]
                    at = datetime.now(UTC)
                    inventory_repo.upsert_reads(conn, sid, [(f"asset:{i}", i, None, "bench", at, at) for i in ids])
            stock = []
            for _ in range(3):
                started = clock.perf_counter()
                progress = service.stocktake(admin, 2026)
                stock.append(clock.perf_counter() - started)
            figures = {
                "assets": args.assets,
                "room_tags": len(epcs),
                "updates": len(updates),
                "live_update_median_s": round(statistics.median(updates), 3),
                "live_update_max_s": round(max(updates), 3),
                "room_found": result.totals["found"],
                "stocktake_offices": len(progress),
                "stocktake_found": sum(p.found for p in progress),
                "stocktake_report_median_s": round(statistics.median(stock), 3),
            }
        finally:
            pool.close()
    print(json.dumps(figures) if args.json else "\n".join(f"{k:30} {v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
