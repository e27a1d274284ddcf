"""SQL of door portals and their alerts (no rules: hub.assets.portals.service)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

_ALERT = """
SELECT x.id, p.code AS portal_code, p.name AS portal_name, a.asset_number, a.name AS asset_name, u.path AS unit_path,
       x.epc, x.passed_at, x.raised_at, x.acknowledged_by, x.acknowledged_at, x.note
  FROM asset_portal_alerts x
  JOIN asset_portals p ON p.id = x.portal_id
  JOIN asset_locations l ON l.id = p.location_id
  JOIN org_units u ON u.id = l.unit_id
  JOIN assets a ON a.id = x.asset_id
"""


def save_portal(conn: psycopg.Connection, values: dict[str, Any]) -> None:
    names = ["code", "name", "device_id", "inner_antenna", "outer_antenna", "location_id", "display_device_id",
             "window_s"]  # fmt: skip
    conn.execute(
        f"INSERT INTO asset_portals ({', '.join(names)}) VALUES ({', '.join('%s' for _ in names)})"
        " ON CONFLICT (code) DO UPDATE SET " + ", ".join(f"{n} = EXCLUDED.{n}" for n in names[1:]),
        [values[n] for n in names],
    )


def portal_by_device(conn: psycopg.Connection, device_id: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT p.*, u.path AS unit_path FROM asset_portals p JOIN asset_locations l ON l.id = p.location_id"
            " JOIN org_units u ON u.id = l.unit_id WHERE p.device_id = %s",
            (device_id,),
        )
        return cur.fetchone()


def portals(conn: psycopg.Connection) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT p.code, p.name, p.device_id, p.inner_antenna, p.outer_antenna, l.code AS location_code,"
            " p.display_device_id, p.window_s, u.path AS unit_path FROM asset_portals p"
            " JOIN asset_locations l ON l.id = p.location_id JOIN org_units u ON u.id = l.unit_id ORDER BY p.code"
        )
        return cur.fetchall()


def first_seen(
    conn: psycopg.Connection, device_id: str, epc: str, antenna: int, since: datetime, until: datetime
) -> datetime | None:
    """The earliest first sight of `epc` by this antenna between `since` and `until`."""
    row = conn.execute(
        "SELECT min(first_seen) FROM rfid_reads WHERE epc = %s AND device_id = %s AND antenna = %s"
        " AND ts BETWEEN %s AND %s",
        (epc, device_id, antenna, since, until),
    ).fetchone()
    return None if row is None else row[0]


def recent_alert(conn: psycopg.Connection, portal_id: int, asset_id: int, since: datetime) -> bool:
    row = conn.execute(
        "SELECT 1 FROM asset_portal_alerts WHERE portal_id = %s AND asset_id = %s AND passed_at >= %s LIMIT 1",
        (portal_id, asset_id, since),
    ).fetchone()
    return row is not None


def insert_alert(conn: psycopg.Connection, portal_id: int, asset_id: int, epc: str, passed_at: datetime) -> int | None:
    row = conn.execute(
        "INSERT INTO asset_portal_alerts (portal_id, asset_id, epc, passed_at) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT DO NOTHING RETURNING id",
        (portal_id, asset_id, epc, passed_at),
    ).fetchone()
    return None if row is None else int(row[0])


def officers_over(conn: psycopg.Connection, unit_path: str) -> list[int]:
    """Users holding the asset officer role on this unit or a unit above it."""
    rows = conn.execute(
        "SELECT DISTINCT g.user_id FROM role_grants g JOIN org_units u ON u.id = g.unit_id"
        " WHERE g.role = 'asset_officer' AND %s LIKE u.path || '%%'",
        (unit_path,),
    ).fetchall()
    return [int(r[0]) for r in rows]


def alerts(conn: psycopg.Connection, scope: list[str] | None, open_only: bool, limit: int) -> list[dict[str, Any]]:
    clauses, params = ["TRUE"], []
    if scope is not None:
        clauses.append("u.path LIKE ANY(%s::text[])")
        params.append([f"{p}%" for p in scope])
    if open_only:
        clauses.append("x.acknowledged_at IS NULL")
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_ALERT + f" WHERE {' AND '.join(clauses)} ORDER BY x.id DESC LIMIT %s", [*params, limit])
        return cur.fetchall()


def alert_by_id(conn: psycopg.Connection, alert_id: int) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_ALERT + " WHERE x.id = %s FOR UPDATE OF x", (alert_id,))
        return cur.fetchone()


def acknowledge(conn: psycopg.Connection, alert_id: int, by: str, at: datetime, note: str | None) -> None:
    conn.execute(
        "UPDATE asset_portal_alerts SET acknowledged_by = %s, acknowledged_at = %s, note = %s WHERE id = %s",
        (by, at, note, alert_id),
    )


def asset_name(conn: psycopg.Connection, asset_id: int) -> tuple[str, str]:
    row = conn.execute("SELECT asset_number, name FROM assets WHERE id = %s", (asset_id,)).fetchone()
    return (row[0], row[1]) if row else ("?", "?")


def announce(conn: psycopg.Connection, alert_id: int) -> None:
    """Tell listening pages after COMMIT (the alerts page also polls)."""
    conn.execute("SELECT pg_notify('cces_portal_alert', %s)", (str(alert_id),))
