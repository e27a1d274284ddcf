"""SQL of the asset register (no rules here: hub.assets.service decides)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from pydantic_core import to_jsonable_python

from hub.assets.models import Asset, Category, HistoryEntry, Location

_ASSET = """
SELECT a.id, a.asset_number, a.name, a.category_code, c.name_vi AS category_name, c.wear_rate_pct,
       c.service_life_years, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path,
       e.employee_code AS custodian_code, e.full_name AS custodian_name, l.code AS location_code,
       l.name AS location_name, a.cost, a.funding_source, a.acquired_on, a.business_use, a.status,
       a.liquidated_on, a.serial_number, a.epc_hex, a.updated_at
  FROM assets a
  JOIN asset_categories c ON c.code = a.category_code
  JOIN org_units u ON u.id = a.unit_id
  LEFT JOIN employees e ON e.id = a.custodian_id
  LEFT JOIN asset_locations l ON l.id = a.location_id
"""

COLUMNS = (
    "asset_number", "name", "search_text", "category_code", "unit_id", "custodian_id", "location_id", "cost",
    "funding_source", "acquired_on", "business_use", "status", "liquidated_on", "serial_number",
)  # fmt: skip


def _asset(row: dict[str, Any]) -> Asset:
    return Asset(**row)


def categories(conn: psycopg.Connection) -> list[Category]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT code, name_vi, name_en, service_life_years, wear_rate_pct, legal_basis, confirmed, valid_from,"
            " valid_to, note FROM asset_categories ORDER BY code"
        )
        return [Category(**r) for r in cur.fetchall()]


def upsert_category(conn: psycopg.Connection, c: Category) -> None:
    conn.execute(
        "INSERT INTO asset_categories (code, name_vi, name_en, service_life_years, wear_rate_pct, legal_basis,"
        " confirmed, valid_from, valid_to, note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (code) DO UPDATE SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en,"
        " service_life_years = EXCLUDED.service_life_years, wear_rate_pct = EXCLUDED.wear_rate_pct,"
        " legal_basis = EXCLUDED.legal_basis, confirmed = EXCLUDED.confirmed, valid_from = EXCLUDED.valid_from,"
        " valid_to = EXCLUDED.valid_to, note = EXCLUDED.note",
        (c.code, c.name_vi, c.name_en, c.service_life_years, c.wear_rate_pct, c.legal_basis, c.confirmed,
         c.valid_from, c.valid_to, c.note),
    )  # fmt: skip


def locations(conn: psycopg.Connection) -> list[Location]:
    """Every location with its full path name, in tree order."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "WITH RECURSIVE t AS ("
            " SELECT l.id, l.parent_id, l.kind, l.code, l.name, l.unit_id, l.name AS path_name,"
            " l.code AS sort FROM asset_locations l WHERE l.parent_id IS NULL"
            " UNION ALL SELECT l.id, l.parent_id, l.kind, l.code, l.name, l.unit_id,"
            " t.path_name || ' › ' || l.name, t.sort || '/' || l.code"
            " FROM asset_locations l JOIN t ON l.parent_id = t.id)"
            " SELECT t.id, t.parent_id, t.kind, t.code, t.name, u.code AS unit_code, t.path_name"
            " FROM t JOIN org_units u ON u.id = t.unit_id ORDER BY t.sort"
        )
        return [Location(**r) for r in cur.fetchall()]


def location_row(conn: psycopg.Connection, code: str) -> tuple[int, str, int, str] | None:
    """(id, kind, unit id, unit path) of a location."""
    row = conn.execute(
        "SELECT l.id, l.kind, l.unit_id, u.path FROM asset_locations l JOIN org_units u ON u.id = l.unit_id"
        " WHERE l.code = %s",
        (code,),
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3])


def insert_location(
    conn: psycopg.Connection, parent_id: int | None, kind: str, code: str, name: str, unit_id: int
) -> int:
    row = conn.execute(
        "INSERT INTO asset_locations (parent_id, kind, code, name, unit_id) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (code) DO NOTHING RETURNING id",
        (parent_id, kind, code, name, unit_id),
    ).fetchone()
    return 0 if row is None else int(row[0])


def unit_row(conn: psycopg.Connection, code: str) -> tuple[int, str, bool] | None:
    """(id, path, open) of an org unit."""
    row = conn.execute("SELECT id, path, valid_to IS NULL FROM org_units WHERE code = %s", (code,)).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def unit_path(conn: psycopg.Connection, unit_id: int) -> str:
    row = conn.execute("SELECT path FROM org_units WHERE id = %s", (unit_id,)).fetchone()
    return row[0] if row else ""


def unit_paths(conn: psycopg.Connection) -> dict[str, str]:
    """Org unit code → path."""
    return dict(conn.execute("SELECT code, path FROM org_units").fetchall())


def employee_row(conn: psycopg.Connection, code: str) -> int | None:
    row = conn.execute("SELECT id FROM employees WHERE employee_code = %s", (code,)).fetchone()
    return None if row is None else int(row[0])


def insert_asset(conn: psycopg.Connection, values: dict[str, Any]) -> int:
    names = [c for c in COLUMNS if c in values]
    row = conn.execute(
        f"INSERT INTO assets ({', '.join(names)}) VALUES ({', '.join('%s' for _ in names)})"
        " ON CONFLICT (asset_number) DO NOTHING RETURNING id",
        [values[c] for c in names],
    ).fetchone()
    return 0 if row is None else int(row[0])


def update_asset(conn: psycopg.Connection, asset_id: int, values: dict[str, Any]) -> None:
    names = [c for c in (*COLUMNS, "epc_hex") if c in values]
    if not names:
        return
    conn.execute(
        f"UPDATE assets SET {', '.join(f'{c} = %s' for c in names)}, updated_at = now() WHERE id = %s",
        [*(values[c] for c in names), asset_id],
    )


def set_epc(conn: psycopg.Connection, asset_id: int, epc_hex: str | None) -> None:
    conn.execute("UPDATE assets SET epc_hex = %s WHERE id = %s", (epc_hex, asset_id))


def asset_by_number(conn: psycopg.Connection, number: str, *, lock: bool = False) -> Asset | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_ASSET + " WHERE a.asset_number = %s" + (" FOR UPDATE OF a" if lock else ""), (number,))
        row = cur.fetchone()
    return None if row is None else _asset(row)


def assets_by_ids(conn: psycopg.Connection, ids: Sequence[int]) -> dict[int, Asset]:
    if not ids:
        return {}
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_ASSET + " WHERE a.id = ANY(%s)", (list(ids),))
        return {r["id"]: _asset(r) for r in cur.fetchall()}


def raw_ids(conn: psycopg.Connection, asset_id: int) -> dict[str, Any]:
    """The stored ids of an asset (unit, custodian, location), as an update compares them."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT {', '.join(COLUMNS)} FROM assets WHERE id = %s", (asset_id,))
        row = cur.fetchone()
    assert row is not None
    return row


def _plain(term: str) -> str:
    """A search word without LIKE's wildcards and escape."""
    return term.replace("\\", "").replace("%", "").replace("_", "")


def _where(
    terms: Sequence[str], scope: Sequence[str] | None, unit_path: str | None, status: str | None, category: str | None
) -> tuple[str, list[Any]]:
    clauses, params = ["TRUE"], []
    if terms:
        clauses.append("a.search_text LIKE ALL(%s::text[])")
        params.append([f"%{_plain(t)}%" for t in terms])
    if scope is not None:
        clauses.append("u.path LIKE ANY(%s::text[])")
        params.append([f"{p}%" for p in scope])
    if unit_path is not None:
        clauses.append("u.path LIKE %s")
        params.append(f"{unit_path}%")
    if status is not None:
        clauses.append("a.status = %s")
        params.append(status)
    if category is not None:
        clauses.append("a.category_code = %s")
        params.append(category)
    return " AND ".join(clauses), params


def search(
    conn: psycopg.Connection,
    terms: Sequence[str],
    scope: Sequence[str] | None,
    *,
    unit_path: str | None = None,
    status: str | None = None,
    category: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Asset], int]:
    where, params = _where(terms, scope, unit_path, status, category)
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_ASSET + f" WHERE {where} ORDER BY a.asset_number LIMIT %s OFFSET %s", [*params, limit, offset])
        rows = [_asset(r) for r in cur.fetchall()]
        if offset == 0 and len(rows) < limit:
            return rows, len(rows)
        cur.execute(f"SELECT count(*) AS n FROM assets a JOIN org_units u ON u.id = a.unit_id WHERE {where}", params)
        total = cur.fetchone()
    return rows, int(total["n"]) if total else 0


def wear_inputs(
    conn: psycopg.Connection, scope: Sequence[str] | None, unit_path: str | None, year: int
) -> Iterator[tuple[Any, ...]]:
    """(number, name, unit code, category, acquired, cost, rate, business use, liquidated on) of every asset
    acquired by the end of `year` and not liquidated before it began, streamed in asset-number order."""
    where, params = _where((), scope, unit_path, None, None)
    with conn.cursor(name="asset_wear") as cur:
        cur.itersize = 5000
        cur.execute(
            "SELECT a.asset_number, a.name, u.code, a.category_code, a.acquired_on, a.cost, c.wear_rate_pct,"
            " a.business_use, a.liquidated_on FROM assets a JOIN asset_categories c ON c.code = a.category_code"
            f" JOIN org_units u ON u.id = a.unit_id WHERE {where} AND a.acquired_on <= %s"
            " AND (a.liquidated_on IS NULL OR a.liquidated_on >= %s) ORDER BY a.asset_number",
            [*params, date(year, 12, 31), date(year, 1, 1)],
        )
        yield from cur


def add_history(conn: psycopg.Connection, asset_id: int, actor: str, action: str, changes: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO asset_history (asset_id, actor, action, changes) VALUES (%s, %s, %s, %s)",
        (asset_id, actor, action, Jsonb(to_jsonable_python(changes))),
    )


def add_history_many(conn: psycopg.Connection, rows: Sequence[tuple[int, str, str, dict[str, Any]]]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO asset_history (asset_id, actor, action, changes) VALUES (%s, %s, %s, %s)",
            [(a, actor, action, Jsonb(to_jsonable_python(ch))) for a, actor, action, ch in rows],
        )


def history(conn: psycopg.Connection, asset_id: int) -> list[HistoryEntry]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT at, actor, action, changes FROM asset_history WHERE asset_id = %s ORDER BY id DESC", (asset_id,)
        )
        return [HistoryEntry(**r) for r in cur.fetchall()]


# -- attachments (hub.assets.attachments) ------------------------------------------------------------------

_ATTACHMENT = "id, filename, content_type, size_bytes, note, uploaded_by, uploaded_at"


def attachment_count(conn: psycopg.Connection, asset_id: int) -> int:
    row = conn.execute("SELECT count(*) FROM asset_attachments WHERE asset_id = %s", (asset_id,)).fetchone()
    return int(row[0]) if row else 0


def add_attachment(
    conn: psycopg.Connection, asset_id: int, sha256: str, filename: str, content_type: str, size: int,
    note: str | None, by: str,
) -> tuple[Any, ...]:  # fmt: skip
    row = conn.execute(
        "INSERT INTO asset_attachments (asset_id, sha256, filename, content_type, size_bytes, note, uploaded_by)"
        f" VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {_ATTACHMENT}",
        (asset_id, sha256, filename, content_type, size, note, by),
    ).fetchone()
    assert row is not None
    return tuple(row)


def attachments(conn: psycopg.Connection, asset_id: int) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(
        f"SELECT {_ATTACHMENT} FROM asset_attachments WHERE asset_id = %s ORDER BY id", (asset_id,)
    ).fetchall()]  # fmt: skip


def attachment(conn: psycopg.Connection, asset_id: int, attachment_id: int) -> tuple[tuple[Any, ...], str] | None:
    row = conn.execute(
        f"SELECT {_ATTACHMENT}, sha256 FROM asset_attachments WHERE asset_id = %s AND id = %s",
        (asset_id, attachment_id),
    ).fetchone()
    return (tuple(row[:-1]), row[-1]) if row else None


# --- read by the leadership screen (hub.leadership): set-based over unit subtrees ----------------------------------

#: what needs a leader's eye about an asset: a door portal's alert not acknowledged (it left without an approved
#: movement), a movement waiting for approval, a check-out, repair or loan not back by its day
_ASSET_ALERTS = (
    "SELECT 'portal' AS kind, p.asset_id, p.id AS ref, (p.passed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS since"
    " FROM asset_portal_alerts p WHERE p.acknowledged_at IS NULL"
    " UNION ALL SELECT 'waiting', m.asset_id, m.id, (m.requested_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    " FROM asset_movements m WHERE m.status = 'requested'"
    " UNION ALL SELECT 'not_returned', m.asset_id, m.id, m.due_on FROM asset_movements m"
    " WHERE m.status = 'approved' AND m.kind IN ('checkout', 'repair', 'loan') AND m.due_on < %(today)s"
)


def alerts_by_unit(
    conn: psycopg.Connection, under: Sequence[str] | None, today: date
) -> list[tuple[str, int, int, int]]:
    """(asset's unit path, portal alerts open, movements waiting for approval, not returned by their day), inside
    the subtrees `under` (None: every unit). One query."""
    return conn.execute(
        "SELECT u.path, count(*) FILTER (WHERE x.kind = 'portal'), count(*) FILTER (WHERE x.kind = 'waiting'),"
        f" count(*) FILTER (WHERE x.kind = 'not_returned') FROM ({_ASSET_ALERTS}) x"
        " JOIN assets a ON a.id = x.asset_id JOIN org_units u ON u.id = a.unit_id"
        " WHERE (%(all)s OR u.path LIKE ANY(%(under)s)) GROUP BY u.path",
        {"today": today, "all": under is None, "under": [p + "%" for p in under or ()]},
    ).fetchall()


def alerts_under(conn: psycopg.Connection, path: str, today: date, limit: int) -> list[dict[str, Any]]:
    """The alerts of `alerts_by_unit` for the assets of the subtree `path`, oldest first."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT x.kind, x.ref, x.since, a.id AS asset_id, a.asset_number, a.name, u.code AS unit_code,"
            f" u.name AS unit_name FROM ({_ASSET_ALERTS}) x JOIN assets a ON a.id = x.asset_id"
            " JOIN org_units u ON u.id = a.unit_id WHERE u.path LIKE %(p)s ORDER BY x.since, x.kind, x.ref"
            " LIMIT %(limit)s",
            {"today": today, "p": path + "%", "limit": limit},
        ).fetchall()
