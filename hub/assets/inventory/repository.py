"""SQL of inventory sessions, fixed readers' rooms and the stocktake (no rules: hub.assets.inventory.service)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from hub.assets.inventory.models import Inventory

_INVENTORY = """
SELECT i.id, i.title, l.code AS location_code, l.name AS location_name, u.path AS unit_path, i.stocktake_year,
       i.status, i.started_by, i.started_at, i.closed_by, i.closed_at, i.summary
  FROM asset_inventories i
  LEFT JOIN asset_locations l ON l.id = i.location_id
  LEFT JOIN org_units u ON u.id = l.unit_id
"""
#: reads stored this long before the last one taken in are looked at again (a batch's received_at is its
#: transaction's start, which may precede a batch committed earlier)
MARGIN = timedelta(seconds=10)


def subtree(conn: psycopg.Connection, location_id: int) -> list[int]:
    rows = conn.execute(
        "WITH RECURSIVE t AS (SELECT id FROM asset_locations WHERE id = %s"
        " UNION ALL SELECT l.id FROM asset_locations l JOIN t ON l.parent_id = t.id) SELECT id FROM t",
        (location_id,),
    ).fetchall()
    return [int(r[0]) for r in rows]


def offices_of(conn: psycopg.Connection) -> dict[int, int]:
    """Location id → the id of the office it is in."""
    rows = conn.execute(
        "WITH RECURSIVE t AS (SELECT id, id AS office FROM asset_locations WHERE parent_id IS NULL"
        " UNION ALL SELECT l.id, t.office FROM asset_locations l JOIN t ON l.parent_id = t.id) SELECT id, office FROM t"
    ).fetchall()
    return {int(r[0]): int(r[1]) for r in rows}


def insert(conn: psycopg.Connection, location_id: int | None, year: int | None, title: str, by: str) -> int:
    row = conn.execute(
        "INSERT INTO asset_inventories (location_id, stocktake_year, title, started_by) VALUES (%s, %s, %s, %s)"
        " RETURNING id",
        (location_id, year, title, by),
    ).fetchone()
    assert row is not None
    return int(row[0])


def by_id(conn: psycopg.Connection, inventory_id: int, *, lock: bool = False) -> Inventory | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_INVENTORY + " WHERE i.id = %s" + (" FOR UPDATE OF i" if lock else ""), (inventory_id,))
        row = cur.fetchone()
    return None if row is None else Inventory(**row)


def raw(conn: psycopg.Connection, inventory_id: int) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT location_id, started_at, read_mark FROM asset_inventories WHERE id = %s", (inventory_id,))
        row = cur.fetchone()
    assert row is not None
    return row


def listing(conn: psycopg.Connection, scope: Sequence[str] | None, status: str | None, limit: int) -> list[Inventory]:
    clauses, params = ["TRUE"], []
    if scope is not None:  # sessions over a location of their units; the whole administration: admins only
        clauses.append("u.path LIKE ANY(%s::text[])")
        params.append([f"{p}%" for p in scope])
    if status is not None:
        clauses.append("i.status = %s")
        params.append(status)
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_INVENTORY + f" WHERE {' AND '.join(clauses)} ORDER BY i.id DESC LIMIT %s", [*params, limit])
        return [Inventory(**r) for r in cur.fetchall()]


def close(conn: psycopg.Connection, inventory_id: int, by: str, at: datetime, summary: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE asset_inventories SET status = 'closed', closed_by = %s, closed_at = %s, summary = %s WHERE id = %s",
        (by, at, Jsonb(summary), inventory_id),
    )


# fixed readers


def set_reader(conn: psycopg.Connection, device_id: str, antenna: int, location_id: int) -> None:
    conn.execute(
        "INSERT INTO asset_readers (device_id, antenna, location_id) VALUES (%s, %s, %s)"
        " ON CONFLICT (device_id, antenna) DO UPDATE SET location_id = EXCLUDED.location_id",
        (device_id, antenna, location_id),
    )


def readers(conn: psycopg.Connection, location_ids: Sequence[int] | None) -> list[tuple[str, int, int]]:
    """(device id, antenna, location id) of the readers in these locations (None: all)."""
    if location_ids is None:
        rows = conn.execute("SELECT device_id, antenna, location_id FROM asset_readers ORDER BY 1, 2").fetchall()
    else:
        rows = conn.execute(
            "SELECT device_id, antenna, location_id FROM asset_readers WHERE location_id = ANY(%s) ORDER BY 1, 2",
            (list(location_ids),),
        ).fetchall()
    return [(r[0], int(r[1]), int(r[2])) for r in rows]


def new_reads(
    conn: psycopg.Connection, devices: Sequence[str], since: datetime, mark: datetime | None, limit: int
) -> list[tuple[str, int, str, datetime, datetime]]:
    """(device, antenna, epc, ts, received_at) of these devices' reads from `since`, received after `mark`
    (less the margin), oldest received first."""
    after = mark - MARGIN if mark is not None else since - MARGIN
    return conn.execute(
        "SELECT device_id, antenna, epc, ts, received_at FROM rfid_reads WHERE device_id = ANY(%s) AND ts >= %s"
        " AND received_at > %s ORDER BY received_at LIMIT %s",
        (list(devices), since, after, limit),
    ).fetchall()


def set_mark(conn: psycopg.Connection, inventory_id: int, mark: datetime) -> None:
    conn.execute(
        "UPDATE asset_inventories SET read_mark = GREATEST(coalesce(read_mark, %s), %s) WHERE id = %s",
        (mark, mark, inventory_id),
    )


# identifying tags


def assets_by_epc(conn: psycopg.Connection, hexes: Sequence[str]) -> dict[str, int]:
    rows = conn.execute("SELECT epc_hex, id FROM assets WHERE epc_hex = ANY(%s)", (list(hexes),)).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def assets_by_number(conn: psycopg.Connection, numbers: Sequence[str]) -> dict[str, tuple[int, str | None]]:
    """Asset number → (id, EPC hex)."""
    rows = conn.execute(
        "SELECT asset_number, id, epc_hex FROM assets WHERE asset_number = ANY(%s)", (list(numbers),)
    ).fetchall()
    return {r[0]: (int(r[1]), r[2]) for r in rows}


def assets_by_id(conn: psycopg.Connection, ids: Sequence[int]) -> dict[int, str | None]:
    """Asset id → EPC hex, for the ids that exist."""
    rows = conn.execute("SELECT id, epc_hex FROM assets WHERE id = ANY(%s)", (list(ids),)).fetchall()
    return {int(r[0]): r[1] for r in rows}


def upsert_reads(conn: psycopg.Connection, inventory_id: int, rows: Sequence[tuple[Any, ...]]) -> None:
    """(tag, asset id, location id, source, first, last): a tag keeps its latest room; idempotent."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    conn.execute(
        "INSERT INTO asset_inventory_reads (inventory_id, tag, asset_id, location_id, source, first_at, last_at)"
        " SELECT %s, * FROM unnest(%s::text[], %s::bigint[], %s::bigint[], %s::text[], %s::timestamptz[],"
        " %s::timestamptz[]) ON CONFLICT (inventory_id, tag) DO UPDATE SET"
        " location_id = CASE WHEN EXCLUDED.last_at >= asset_inventory_reads.last_at THEN EXCLUDED.location_id"
        " ELSE asset_inventory_reads.location_id END,"
        " source = CASE WHEN EXCLUDED.last_at >= asset_inventory_reads.last_at THEN EXCLUDED.source"
        " ELSE asset_inventory_reads.source END,"
        " asset_id = coalesce(EXCLUDED.asset_id, asset_inventory_reads.asset_id),"
        " first_at = LEAST(asset_inventory_reads.first_at, EXCLUDED.first_at),"
        " last_at = GREATEST(asset_inventory_reads.last_at, EXCLUDED.last_at)",
        [inventory_id, *[list(c) for c in columns]],
    )


# reconciling


def expected(conn: psycopg.Connection, location_ids: Sequence[int] | None) -> list[tuple[int, str, str, int]]:
    """(asset id, number, name, location id) of the assets registered in these locations, not liquidated."""
    if location_ids is None:
        return conn.execute(
            "SELECT id, asset_number, name, location_id FROM assets WHERE location_id IS NOT NULL"
            " AND status <> 'liquidated'"
        ).fetchall()
    return conn.execute(
        "SELECT id, asset_number, name, location_id FROM assets WHERE location_id = ANY(%s) AND status <> 'liquidated'",
        (list(location_ids),),
    ).fetchall()


def session_reads(
    conn: psycopg.Connection, inventory_id: int
) -> list[tuple[str, int | None, str | None, str | None, int | None, int | None]]:
    """(tag, asset id, number, name, registered location id, read location id) of every tag read."""
    return conn.execute(
        "SELECT r.tag, r.asset_id, a.asset_number, a.name, a.location_id, r.location_id"
        " FROM asset_inventory_reads r LEFT JOIN assets a ON a.id = r.asset_id WHERE r.inventory_id = %s",
        (inventory_id,),
    ).fetchall()


def resolutions(conn: psycopg.Connection, inventory_id: int) -> tuple[dict[int, str], dict[str, str]]:
    """({asset id: outcome} — a registered tag's new asset too —, {unknown tag: outcome})."""
    by_asset: dict[int, str] = {}
    by_tag: dict[str, str] = {}
    for asset_id, tag, outcome in conn.execute(
        "SELECT asset_id, tag, outcome FROM asset_inventory_resolutions WHERE inventory_id = %s ORDER BY id",
        (inventory_id,),
    ):
        if tag is not None:
            by_tag[tag] = outcome
        if asset_id is not None:
            by_asset[int(asset_id)] = outcome
    return by_asset, by_tag


def add_resolution(
    conn: psycopg.Connection,
    inventory_id: int,
    asset_id: int | None,
    tag: str | None,
    outcome: str,
    note: str | None,
    by: str,
) -> bool:
    """False when this asset or tag was resolved already."""
    try:
        with conn.transaction():
            conn.execute(
                "INSERT INTO asset_inventory_resolutions (inventory_id, asset_id, tag, outcome, note, by_user)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (inventory_id, asset_id, tag, outcome, note, by),
            )
    except psycopg.errors.UniqueViolation:
        return False
    return True


def stocktake(conn: psycopg.Connection, year: int) -> list[tuple[int, int, int, int, int, int]]:
    """Per office id: (office, assets, found, resolved, open sessions, closed sessions) for the year's stocktake."""
    return conn.execute(
        "WITH RECURSIVE t AS (SELECT id, id AS office FROM asset_locations WHERE parent_id IS NULL"
        " UNION ALL SELECT l.id, t.office FROM asset_locations l JOIN t ON l.parent_id = t.id),"
        " s AS (SELECT id, location_id, status FROM asset_inventories WHERE stocktake_year = %s),"
        " seen AS (SELECT r.asset_id FROM asset_inventory_reads r JOIN s ON s.id = r.inventory_id"
        "          WHERE r.asset_id IS NOT NULL UNION SELECT x.asset_id FROM asset_inventory_resolutions x"
        "          JOIN s ON s.id = x.inventory_id WHERE x.outcome = 'registered'),"
        " settled AS (SELECT DISTINCT x.asset_id FROM asset_inventory_resolutions x JOIN s ON s.id = x.inventory_id"
        "             WHERE x.asset_id IS NOT NULL),"
        " a AS (SELECT t.office, count(*) AS n, count(seen.asset_id) AS found, count(settled.asset_id) AS resolved"
        "       FROM assets JOIN t ON t.id = assets.location_id LEFT JOIN seen ON seen.asset_id = assets.id"
        "       LEFT JOIN settled ON settled.asset_id = assets.id"
        "       WHERE assets.status <> 'liquidated' GROUP BY t.office),"
        " ses AS (SELECT t.office, count(*) FILTER (WHERE s.status = 'open') AS open,"
        "         count(*) FILTER (WHERE s.status = 'closed') AS closed FROM s JOIN t ON t.id = s.location_id"
        "         GROUP BY t.office)"
        " SELECT l.id, coalesce(a.n, 0), coalesce(a.found, 0), coalesce(a.resolved, 0), coalesce(ses.open, 0),"
        " coalesce(ses.closed, 0) FROM asset_locations l LEFT JOIN a ON a.office = l.id"
        " LEFT JOIN ses ON ses.office = l.id WHERE l.parent_id IS NULL ORDER BY l.code",
        (year,),
    ).fetchall()
