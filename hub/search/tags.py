"""Tags: the rule book's and the filters' conditions as lexemes of the entry's own tsvector, so the
GIN index answers "matches the words, is a document, lies under one of these units, is not secret or
the person is cleared there, is of 2024" in one index lookup, before any row is read or ranked.

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


def scope(kind: str, read: Sequence[str] | None) -> str | None:
    """The tsquery a person's reach over the entries of one kind without secrecy is: None when they reach
    none. `read` is unit paths (None: every unit). Secret entries are never reached through a unit: the
    search names the ones a person may see (hub.search.access.KindRule.secret_refs)."""
    if read is not None and not read:
        return None
    parts = [f"'{_tag('k', kind)}'", f"'{_tag('s', 0)}'"]
    if read is not None:
        parts.append(_any([_tag("u", unit_ids(p)[-1]) for p in read]))
    return " & ".join(parts)


def kind_tag(kind: str) -> str:
    return f"'{_tag('k', kind)}'"


def filters(**values: object) -> list[str]:
    """Filters as tags that must all be present: register=…, year=…, type_key=…, status=…, unit_id=…"""
    letters = {"register": "r", "year": "y", "type_key": "t", "status": "x", "unit_id": "u", "kind": "k"}
    return [_tag(letters[k], v) for k, v in values.items() if v is not None]
