"""SQL of search: entries in, ranked hits out. The rule book's conditions arrive as unit-path prefixes
and are part of every WHERE clause, so they apply before ranking and counting."""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg.rows import dict_row

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def put(conn: psycopg.Connection, values: dict[str, Any]) -> None:
    """Add or replace one entry (kind, ref_id): folded texts arrive ready for the 'simple' parser."""
    conn.execute(
        "INSERT INTO search_entries (kind, ref_id, unit_id, unit_path, secrecy, register, year, type_key, status,"
        " day, deadline, title, body, folded)"
        " VALUES (%(kind)s, %(ref_id)s, %(unit_id)s, %(unit_path)s, %(secrecy)s, %(register)s, %(year)s,"
        " %(type_key)s, %(status)s, %(day)s, %(deadline)s, %(title)s, %(body)s,"
        " setweight(to_tsvector('simple', %(folded_a)s), 'A') || setweight(to_tsvector('simple', %(folded_b)s), 'B')"
        " || array_to_tsvector(%(tags)s::text[]))"
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


def _where(filters: dict[str, Any]) -> str:
    """The WHERE clause. `tags` (a tsquery of the rule book's reach over entries without secrecy and the
    filters, hub.search.tags); with words, it is ANDed with them, so one GIN lookup applies both. Or, per
    kind in `secret`, one of the secret entries named for the caller (their ids, and the filters as tags)."""

    def match(tags_param: str) -> str:
        if filters.get("words"):
            return f"e.folded @@ (to_tsquery('simple', %(words)s) && %({tags_param})s::tsquery)"
        return f"e.folded @@ %({tags_param})s::tsquery"

    alternatives = [match("tags")] if filters.get("tags") else []
    for kind in filters.get("secret", {}):
        if not _KIND.match(kind):
            raise ValueError(f"not a kind: {kind!r}")
        alternatives.append(
            f"(e.kind = '{kind}' AND e.ref_id = ANY(%(secret_ids_{kind})s) AND {match(f'secret_tags_{kind}')})"
        )
    parts = ["(" + " OR ".join(alternatives or ["false"]) + ")"]
    for column, low, high in (("day", "date_from", "date_to"), ("deadline", "deadline_from", "deadline_to")):
        if filters.get(low):
            parts.append(f"e.{column} >= %({low})s")
        if filters.get(high):
            parts.append(f"e.{column} <= %({high})s")
    return " AND ".join(parts)


def search(
    conn: psycopg.Connection, filters: dict[str, Any], *, limit: int, offset: int, count_cap: int, rank_window: int
) -> tuple[int, list[dict[str, Any]]]:
    """(how many match, at most `count_cap` + 1; the page of rows, best first).

    When more than `rank_window` entries match (a common word), ranking every one of them costs more than
    a search may take: the newest `rank_window` matches are taken and ranked among themselves. The rank
    uses the words alone (the tags carry no positions)."""
    params = {k: v for k, v in filters.items() if k != "secret"}
    for kind, (ids, kind_tags) in filters.get("secret", {}).items():
        params |= {f"secret_ids_{kind}": ids, f"secret_tags_{kind}": kind_tags}
    where = _where(filters)
    total_row = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM search_entries e WHERE {where} LIMIT %(cap)s) c",
        params | {"cap": count_cap + 1},
    ).fetchone()
    total = int(total_row[0]) if total_row else 0
    ranked = bool(filters.get("words"))
    rank = "ts_rank_cd(e.folded, to_tsquery('simple', %(words)s), 1)" if ranked else "0.0"
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
