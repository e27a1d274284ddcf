"""Tags: the rule book's and the filters' conditions as lexemes of the entry's own tsvector, so the
GIN index answers "matches the words, lies under one of these units, is of 2024" in one index lookup, before
any row is read or ranked (the kind and secrecy tags are there too, but the search checks those columns on the
row instead: they hold for nearly every entry, and a condition that drops nothing only slows the lookup).

An entry carries `~k<kind>`, `~u<id>` for its unit and every unit above it (from the unit path
`/1/2/3/`), `~s<secrecy>`, and `~r<register>`, `~y<year>`, `~t<type>`, `~x<status>` when it has them.
A tag starts with `~`, which folded words never contain, so no word of a text can be taken for one;
tags hold only `[0-9a-z_]` after their letter (checked), so they are safe inside a tsquery literal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hub.search.models import Entry

_SAFE = re.compile(r"^[0-9a-z_]{1,40}$")


def _tag(letter: str, value: object) -> str:
    text = str(value)
    if not _SAFE.match(text):
        raise ValueError(f"not a tag value: {text!r}")
    return f"~{letter}{text}"


def unit_ids(unit_path: str) -> list[str]:
    """`/1/2/3/` → ["1", "2", "3"]: the unit and every unit above it."""
    return [p for p in unit_path.split("/") if p]


def of_entry(entry: Entry) -> list[str]:
    tags = [_tag("k", entry.kind), _tag("s", entry.secrecy)]
    tags += [_tag("u", u) for u in unit_ids(entry.unit_path)]
    for letter, value in (("r", entry.register), ("y", entry.year), ("t", entry.type_key), ("x", entry.status)):
        if value is not None:
            tags.append(_tag(letter, value))
    return tags


def _any(tags: Sequence[str]) -> str:
    return "(" + " | ".join(f"'{t}'" for t in tags) + ")"


def scope(read: Sequence[str] | None) -> str | None:
    """The tsquery of a person's reach over one kind's entries without secrecy: their units' tags (`read`: unit
    paths), None for every unit. The kind and "no secrecy" are plain conditions of the row (hub.search.repository:
    the tags `~k…` and `~s0` are on nearly every entry, so ANDing them in the index only costs). Secret entries
    are never reached through a unit: the search names the ones a person may see
    (hub.search.access.KindRule.secret_refs)."""
    return None if read is None else _any([_tag("u", unit_ids(p)[-1]) for p in read])


def filters(**values: object) -> list[str]:
    """Filters as tags that must all be present: register=…, year=…, type_key=…, status=…, unit_id=…"""
    letters = {"register": "r", "year": "y", "type_key": "t", "status": "x", "unit_id": "u", "kind": "k"}
    return [_tag(letters[k], v) for k, v in values.items() if v is not None]
