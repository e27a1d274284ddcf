"""How a module puts its records into search: `put(conn, entry)` in the transaction that changes the record
(so the index never lags a commit, and a rollback takes the entry with it), `remove` when it goes.

Texts are folded here (hub.search.fold) and every character that is not a letter or digit becomes a
space, so `15/QĐ-HQKV2` is searched as the words `15 qd hqkv2`.

Each word of 4 letters or more also leaves its beginnings (3 to 12 letters) as lexemes `^<beginning>`
(`tuyen` → `^tuy`, `^tuye`), so the last word of a query, a prefix while typing, is one exact lookup in the
GIN index (`tuy | ^tuy`) instead of a partial match, which reads every matching word's whole posting list
into a bitmap (measured: 36 ms for `ma & tuy`, 724 ms for `ma & tuy:*` over 2,000,000 entries). Migration
0543 computes the same in SQL (`cces_search_prefixes`) for the entries indexed before it.
"""

from __future__ import annotations

import re

import psycopg

from hub.search import repository as repo
from hub.search import tags
from hub.search.fold import fold
from hub.search.models import MAX_BODY, Entry

_NOT_WORD = re.compile(r"[^0-9a-z]+")
PREFIX_MIN = 3  # a beginning shorter than this would match half the index
PREFIX_MAX = 12  # a longer typed beginning falls back to a partial match (rare words: cheap)


def words(text: str) -> str:
    """Folded words separated by single spaces: what the tsvector and the tsquery are made of."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


def prefixes(folded_words: str) -> list[str]:
    """`^` and each proper beginning of 3–12 letters of each word: `tuyen dung` → ^dun, ^tuy, ^tuye."""
    found = {f"^{w[:n]}" for w in folded_words.split() for n in range(PREFIX_MIN, min(len(w) - 1, PREFIX_MAX) + 1)}
    return sorted(found)


def put(conn: psycopg.Connection, entry: Entry) -> None:
    body = entry.body[:MAX_BODY]
    folded_a, folded_b = words(f"{entry.title} {entry.keywords}"), words(body)
    repo.put(conn, {
        "kind": entry.kind, "ref_id": entry.ref_id, "unit_id": entry.unit_id, "unit_path": entry.unit_path,
        "secrecy": entry.secrecy, "register": entry.register, "year": entry.year, "type_key": entry.type_key,
        "status": entry.status, "day": entry.day, "deadline": entry.deadline, "title": entry.title[:1000],
        "body": body, "folded_a": folded_a, "folded_b": folded_b,
        "tags": tags.of_entry(entry) + prefixes(f"{folded_a} {folded_b}"),
    })  # fmt: skip


def remove(conn: psycopg.Connection, kind: str, ref_id: int) -> None:
    repo.remove(conn, kind, ref_id)
