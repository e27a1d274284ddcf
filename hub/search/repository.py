"""SQL of search: entries in, ranked hits out. The rule book's conditions arrive as unit-path prefixes
and are part of every WHERE clause, so they apply before ranking and counting."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row


def put(conn: psycopg.Connection, values: dict[str, Any]) -> None:
    """Add or replace one entry (kind, ref_id): folded texts arrive ready for the 'simple' parser."""
    conn.execute(
        "INSERT INTO search_entries (kind, ref_id, unit_id, unit_path, secrecy, register, year, type_key, status,"
        " day, deadline, title, body, folded)"
        " VALUES (%(kind)s, %(ref_id)s, %(unit_id)s, %(unit_path)s, %(secrecy)s, %(register)s, %(year)s,"
        " %(type_key)s, %(status)s, %(day)s, %(deadline)s, %(title)s, %(body)s,"
        " setweight(to_tsvector('simple', %(folded_a)s), 'A') || setweight(to_tsvector('simple', %(folded_b)s), 'B'))"
        " ON CONFLICT (kind, ref_id) DO UPDATE SET unit_id = EXCLUDED.unit_id, unit_path = EXCLUDED.unit_path,"
        " secrecy = EXCLUDED.secrecy, register = EXCLUDED.register, year = EXCLUDED.year,"
        " type_key = EXCLUDED.type_key, status = EXCLUDED.status, day = EXCLUDED.day, deadline = EXCLUDED.deadline,"
        " title = EXCLUDED.title, body = EXCLUDED.body, folded = EXCLUDED.folded, indexed_at = now()",
        values,
    )


def remove(conn: psycopg.Connection, kind: str, ref_id: int) -> None:
    conn.execute("DELETE FROM search_entries WHERE kind = %s AND ref_id = %s", (kind, ref_id))


def unit_path(conn: psycopg.Connection, unit_code: str) -> str | None:
    row = conn.execute("SELECT path FROM org_units WHERE code = %s AND valid_to IS NULL", (unit_code,)).fetchone()
    return str(row[0]) if row else None


def _where(
    params: dict[str, Any], filters: dict[str, Any], scopes: list[tuple[str, list[str] | None, list[str] | None]]
) -> str:
    """The WHERE clause: the rule book first (per kind: readable unit prefixes, secret-readable prefixes;
    None = everywhere), then the query and the filters."""
    allowed = []
    for i, (kind, read, secret) in enumerate(scopes):
        params[f"k{i}"] = kind
        clause = f"e.kind = %(k{i})s"
        if read is not None:
            params[f"r{i}"] = [f"{p}%" for p in read]
            clause += f" AND e.unit_path LIKE ANY(%(r{i})s)"
        if secret is not None:
            params[f"s{i}"] = [f"{p}%" for p in secret]
            clause += f" AND (e.secrecy = 0 OR e.unit_path LIKE ANY(%(s{i})s))"
        allowed.append(f"({clause})")
    parts = [f"({' OR '.join(allowed) or 'false'})"]
    if filters.get("tsquery"):
        parts.append("e.folded @@ to_tsquery('simple', %(tsquery)s)")
    for column in ("kind", "register", "year", "type_key", "status"):
        if filters.get(column) is not None:
            parts.append(f"e.{column} = %({column})s")
    if filters.get("unit_path"):
        parts.append("e.unit_path LIKE %(unit_prefix)s")
        params["unit_prefix"] = f"{filters['unit_path']}%"
    for column, low, high in (("day", "date_from", "date_to"), ("deadline", "deadline_from", "deadline_to")):
        if filters.get(low):
            parts.append(f"e.{column} >= %({low})s")
        if filters.get(high):
            parts.append(f"e.{column} <= %({high})s")
    params.update(filters)
    return " AND ".join(parts)


def search(
    conn: psycopg.Connection, filters: dict[str, Any], scopes: list[tuple[str, list[str] | None, list[str] | None]],
    *, limit: int, offset: int, count_cap: int, rank_window: int,
) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
    """(how many match, at most `count_cap` + 1; the page of rows, best first).

    When more than `rank_window` entries match (a common word), ranking every one of them costs more than
    a search may take: the newest `rank_window` matches are taken (the day index, stopping early) and
    ranked among themselves."""
    params: dict[str, Any] = {}
    where = _where(params, filters, scopes)
    total_row = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM search_entries e WHERE {where} LIMIT %(cap)s) c",
        params | {"cap": count_cap + 1},
    ).fetchone()
    total = int(total_row[0]) if total_row else 0
    ranked = bool(filters.get("tsquery"))
    rank = "ts_rank_cd(e.folded, to_tsquery('simple', %(tsquery)s), 1)" if ranked else "0.0"
    order = "rank DESC, e.day DESC NULLS LAST, e.id DESC" if ranked else "e.day DESC NULLS LAST, e.id DESC"
    source = "search_entries e"
    if ranked and total > rank_window:
        source = (
            f"(SELECT * FROM search_entries e WHERE {where} ORDER BY e.day DESC NULLS LAST, e.id DESC"
            " LIMIT %(window)s) e"
        )
        where = "true"
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"SELECT e.kind, e.ref_id, u.code AS unit_code, e.title, left(e.body, 20000) AS body, {rank} AS rank,"
            " e.register, e.year, e.type_key, e.status, e.day, e.deadline, e.secrecy"
            f" FROM {source} JOIN org_units u ON u.id = e.unit_id WHERE {where}"
            f" ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s",
            params | {"limit": limit, "offset": offset, "window": rank_window},
        ).fetchall()
    return total, rows
