"""How a module puts its records into search: `put(conn, entry)` in the transaction that changes the record
(so the index never lags a commit, and a rollback takes the entry with it), `remove` when it goes.

Texts are folded here (hub.search.fold) and every character that is not a letter or digit becomes a
space, so `15/QĐ-HQKV2` is searched as the words `15 qd hqkv2`.
"""

from __future__ import annotations

import re

import psycopg

from hub.search import repository as repo
from hub.search import tags
from hub.search.fold import fold
from hub.search.models import MAX_BODY, Entry

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def words(text: str) -> str:
    """Folded words separated by single spaces: what the tsvector and the tsquery are made of."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


def put(conn: psycopg.Connection, entry: Entry) -> None:
    body = entry.body[:MAX_BODY]
    repo.put(conn, {
        "kind": entry.kind, "ref_id": entry.ref_id, "unit_id": entry.unit_id, "unit_path": entry.unit_path,
        "secrecy": entry.secrecy, "register": entry.register, "year": entry.year, "type_key": entry.type_key,
        "status": entry.status, "day": entry.day, "deadline": entry.deadline, "title": entry.title[:1000],
        "body": body, "folded_a": words(f"{entry.title} {entry.keywords}"), "folded_b": words(body),
        "tags": tags.of_entry(entry),
    })  # fmt: skip


def remove(conn: psycopg.Connection, kind: str, ref_id: int) -> None:
    repo.remove(conn, kind, ref_id)
