"""The search service: one query over every kind of entry, restricted by the rule book before ranking.

A query is folded like the entries (hub.search.fold) and becomes a conjunction of its words, the last one
a prefix (`nghi ph` finds `nghỉ phép` while typing). For each kind, the caller's readable units (entries
without secrecy) and the secret entries named for them (hub.search.access.KINDS) are conditions of the
same SQL, so an entry they may not read is neither ranked, nor shown, nor counted. Hits are ranked by
`ts_rank_cd` (a title match weighs more than a body match), then newest first; each carries a snippet of
the original text (with its diacritics) where the words matched, the words in `<mark>`.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from psycopg_pool import ConnectionPool

from hub.access import gate
from hub.accounts.principal import Principal
from hub.domain import bilingual
from hub.search import access, tags
from hub.search import repository as repo
from hub.search.fold import fold
from hub.search.index import PREFIX_MAX, PREFIX_MIN, words
from hub.search.models import COUNT_CAP, MAX_TERMS, Hit, Page, Query, SearchError

SNIPPET = 200  # characters around the best match
RANK_WINDOW = 2000  # more matches than this: the newest this many are ranked (hub.search.repository.search)


def tsquery(text: str) -> str | None:
    """`Quyết định nghỉ phé` → `quyet & dinh & nghi & phe:*` (words only: nothing of the input reaches the
    tsquery syntax; the last word is a prefix once it has 3 letters): what ranks the hits found by
    `match_query` (the rank reads the words' positions, which the `^` beginnings have not)."""
    terms = words(text).split()
    if len(terms) > MAX_TERMS:
        raise SearchError(bilingual(f"tối đa {MAX_TERMS} từ", f"at most {MAX_TERMS} words"))
    if not terms:
        return None
    last = f"{terms[-1]}:*" if len(terms[-1]) >= PREFIX_MIN else terms[-1]
    return " & ".join([*terms[:-1], last])


def match_query(text: str) -> str | None:
    """The tsquery the GIN index answers (hub.search.index.prefixes): `nghỉ phé` → `'nghi' & ('phe' | '^phe')`.
    The last word from 3 letters on is itself or the beginning of a longer word, an exact lookup either way;
    beyond 12 letters (no `^` lexemes are kept that long) a partial match `'…':*`. Only folded letters and digits
    reach the quotes."""
    terms = words(text).split()
    if len(terms) > MAX_TERMS:
        raise SearchError(bilingual(f"tối đa {MAX_TERMS} từ", f"at most {MAX_TERMS} words"))
    if not terms:
        return None
    last = terms[-1]
    if len(last) < PREFIX_MIN:
        tail = f"'{last}'"
    elif len(last) <= PREFIX_MAX:
        tail = f"('{last}' | '^{last}')"
    else:
        tail = f"'{last}':*"
    return " & ".join([*(f"'{t}'" for t in terms[:-1]), tail])


def _all(*parts: str | None) -> str | None:
    """The tsquery of every part that is there (None: no condition on the words or tags)."""
    present = [f"({p})" for p in parts if p]
    return " & ".join(present) if present else None


def snippet(text: str, query_text: str) -> str:
    """A piece of `text` around the densest run of the query's words, HTML-escaped, the words marked.
    Folding keeps one character per character (NFC text), so positions in the folded text are
    positions in the original."""
    terms = sorted(set(words(query_text).split()), key=len, reverse=True)
    folded = "".join((fold(c) or " ")[0] for c in text)
    spans = []
    for term in terms:
        for m in re.finditer(rf"(?<![0-9a-z]){re.escape(term)}[0-9a-z]*", folded):
            if not any(s <= m.start() < e for s, e in spans):
                spans.append((m.start(), m.end()))
    if not spans:
        return html.escape(text[:SNIPPET]) + ("…" if len(text) > SNIPPET else "")
    spans.sort()
    best = max(spans, key=lambda s: sum(1 for t in spans if s[0] <= t[0] < s[0] + SNIPPET))
    start = max(0, best[0] - 40)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + SNIPPET)
    out, at = [], start
    for s, e in spans:
        if s >= at and e <= end:
            out += [html.escape(text[at:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
            at = e
    out.append(html.escape(text[at:end]))
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")


class SearchService:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def search(self, principal: Principal, query: Query) -> Page:
        gate.check(principal, access.QUERY)
        query = query.check()
        if query.kind is not None and query.kind not in access.KINDS:
            raise SearchError(bilingual(f"không có loại {query.kind!r}", f"no kind {query.kind!r}"))
        with self.pool.connection() as conn:
            reach: list[tuple[str, str | None]] = []  # (kind, its units as tags; None: every unit)
            secret: list[tuple[str, list[int]]] = []
            for kind, rule in access.KINDS.items():
                if query.kind in (None, kind):
                    read = principal.unit_scope(*rule.read)
                    if read is None or read:
                        reach.append((kind, tags.scope(read)))
                    if rule.secret_refs is not None:  # the secret entries this person may see, named
                        refs = _load(rule.secret_refs)(conn, principal)
                        if refs:
                            secret.append((kind, refs))
            if not reach and not secret:
                return Page(0, False, [])
            unit_id = None
            if query.unit_code:
                path = repo.unit_path(conn, query.unit_code)
                if path is None:
                    return Page(0, False, [])
                unit_id = tags.unit_ids(path)[-1]
            try:
                wanted = tags.filters(register=query.register, year=query.year, type_key=query.type_key,
                                      status=query.status, unit_id=unit_id)  # fmt: skip
            except ValueError:
                raise SearchError(
                    bilingual("bộ lọc chỉ gồm chữ thường, số và '_'", "a filter is lower-case letters, digits and '_'")
                ) from None
            common = [match_query(query.text), *(f"'{t}'" for t in wanted)]
            filters: dict[str, Any] = {
                "rank": tsquery(query.text),
                "reach": [(kind, _all(*common, units)) for kind, units in reach],
                "secret": [(kind, refs, _all(*common)) for kind, refs in secret],
                "date_from": query.date_from, "date_to": query.date_to, "deadline_from": query.deadline_from,
                "deadline_to": query.deadline_to,
            }  # fmt: skip
            total, rows = repo.search(
                conn, filters, limit=query.limit, offset=query.offset, count_cap=COUNT_CAP, rank_window=RANK_WINDOW
            )
        hits = [_hit(row, query.text) for row in rows]
        return Page(min(total, COUNT_CAP), total > COUNT_CAP, hits)


def _load(ref: str) -> Callable[..., list[int]]:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _hit(row: dict[str, Any], text: str) -> Hit:
    body = row.pop("body") or ""
    hit = Hit(**row | {"rank": float(row["rank"]), "snippet": ""})
    title_marked = snippet(hit.title, text) if text else html.escape(hit.title)
    body_marked = snippet(body, text) if text and body else html.escape(body[:SNIPPET])
    return replace(hit, snippet=body_marked if "<mark>" in body_marked else title_marked)
