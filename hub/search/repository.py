"""SQL of search: entries in, ranked hits out. The rule book's conditions (the kinds and units a person reads,
the secret entries named for them) are part of every WHERE clause, so they apply before ranking and counting."""

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


def _where(filters: dict[str, Any], params: dict[str, Any]) -> str:
    """The WHERE clause, filling `params`. Per kind the person reads without secrecy (`reach`: the kind, and the
    tsquery of the words, the filters as tags and their units' tags) one alternative: the kind and no secrecy as
    conditions of the row, the rest in one GIN lookup. Per kind in `secret`: the secret entries named for the
    caller (their ids) with the same words and filters. Then the date ranges."""
    alternatives = []
    for i, (kind, query) in enumerate(filters.get("reach", [])):
        if not _KIND.match(kind):
            raise ValueError(f"not a kind: {kind!r}")
        params[f"kind_{i}"], params[f"q_{i}"] = kind, query
        match = f" AND e.folded @@ %(q_{i})s::tsquery" if query else ""
        alternatives.append(f"(e.kind = %(kind_{i})s AND e.secrecy = 0{match})")
    for i, (kind, ids, query) in enumerate(filters.get("secret", [])):
        params[f"secret_kind_{i}"], params[f"secret_ids_{i}"], params[f"secret_q_{i}"] = kind, ids, query
        match = f" AND e.folded @@ %(secret_q_{i})s::tsquery" if query else ""
        alternatives.append(f"(e.kind = %(secret_kind_{i})s AND e.ref_id = ANY(%(secret_ids_{i})s){match})")
    parts = ["(" + " OR ".join(alternatives or ["false"]) + ")"]
    for column, low, high in (("day", "date_from", "date_to"), ("deadline", "deadline_from", "deadline_to")):
        for bound, op in ((low, ">="), (high, "<=")):
            if filters.get(bound):
                params[bound] = filters[bound]
                parts.append(f"e.{column} {op} %({bound})s")
    return " AND ".join(parts)


_NEWEST = "e.day DESC NULLS LAST, e.id DESC"  # the index search_entries_newest (migration 0543)


def _page(window: str, ranked: bool) -> str:
    """Rank the window's entries (`window`: a query of their ids), take the page, and only then read the page's
    texts (title, body for the snippet) and units: a long body is read for the 20 hits shown, not for 2,000."""
    rank = "ts_rank_cd(e.folded, to_tsquery('simple', %(rank)s), 1)" if ranked else "0.0"
    return (
        f"SELECT p.rank, e.kind, e.ref_id, u.code AS unit_code, e.title, left(e.body, 20000) AS body, e.register,"
        f" e.year, e.type_key, e.status, e.day, e.deadline, e.secrecy, e.id"
        f" FROM (SELECT e.id, {rank} AS rank FROM search_entries e WHERE e.id IN ({window})"
        f"       ORDER BY rank DESC, {_NEWEST} LIMIT %(limit)s OFFSET %(offset)s) p"
        f" JOIN search_entries e ON e.id = p.id JOIN org_units u ON u.id = e.unit_id"
    )


def search(
    conn: psycopg.Connection, filters: dict[str, Any], *, limit: int, offset: int, count_cap: int, rank_window: int
) -> tuple[int, list[dict[str, Any]]]:
    """(how many match, at most `count_cap` + 1; the page of rows, best first).

    One pass over the index finds the matches, at most `count_cap` + 1 of them (the count), and their newest
    `rank_window` are ranked among themselves (ranking every match of a common word costs more than a search may
    take); without words the page is the newest matches. Only when more than `count_cap` match (a common word:
    the first ones found are not the newest) a second query takes the newest by the (day, id) index, which a
    common word leaves soon. The rank uses the words alone (the tags carry no positions).

    In its own transaction: `work_mem` large enough that a bitmap of many matches stays exact (a lossy one has
    every row of its pages read again), and plans made for the query's own words (a generic plan cannot know how
    common they are)."""
    params: dict[str, Any] = {"rank": filters.get("rank"), "limit": limit, "offset": offset, "cap": count_cap + 1}
    where = _where(filters, params)
    ranked = bool(filters.get("rank"))
    params["window"] = rank_window if ranked else offset + limit
    order = f"ORDER BY p.rank DESC, {_NEWEST}"
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SET LOCAL work_mem = '32MB'")
        cur.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        # the window of the matches found, when they are all of them (a one-time gate: else nothing is ranked)
        found = _page(
            "SELECT id FROM m WHERE (SELECT count(*) FROM m) < %(cap)s ORDER BY day DESC NULLS LAST, id DESC"
            " LIMIT %(window)s",
            ranked,
        )
        rows = cur.execute(
            f"WITH m AS MATERIALIZED (SELECT e.id, e.day FROM search_entries e WHERE {where} LIMIT %(cap)s)"
            f" SELECT (SELECT count(*) FROM m) AS total, x.* FROM (SELECT 1) one LEFT JOIN ({found}) x ON true"
            " ORDER BY x.rank DESC, x.day DESC NULLS LAST, x.id DESC",
            params,
        ).fetchall()
        total = int(rows[0]["total"]) if rows else 0
        if total <= count_cap:
            page = [r for r in rows if r["id"] is not None]
        else:
            newest = f"SELECT e.id FROM search_entries e WHERE {where} ORDER BY {_NEWEST} LIMIT %(window)s"
            page = cur.execute(f"{_page(newest, ranked)} {order}", params).fetchall()
    for r in page:
        r.pop("total", None)
        r.pop("id", None)
    return total, page
