"""Search records: an entry a module indexes, a query with its filters, a page of ranked hits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hub.domain import Invalid, bilingual

MAX_QUERY = 200  # characters of a query
MAX_TERMS = 16
MAX_PAGE = 100
MAX_BODY = 200_000  # characters of full text kept per entry (the rest is not searched)
COUNT_CAP = 10_000  # beyond this a count is "more than 10,000": counting all of a common word costs


class SearchError(Invalid):
    """A query or filter out of its limits (422); nothing is searched."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable record, as its module gives it (hub.search.index.put)."""

    kind: str
    ref_id: int
    unit_id: int
    unit_path: str
    title: str  # what a hit shows: `15/QĐ-HQKV2 — Quyết định nghỉ phép`
    keywords: str  # searched with the title's weight: type name, number, symbol …
    body: str = ""  # full text and lesser metadata (organ, extracted text)
    secrecy: int = 0
    register: str | None = None
    year: int | None = None
    type_key: str | None = None
    status: str | None = None
    day: date | None = None
    deadline: date | None = None


@dataclass(frozen=True, slots=True)
class Query:
    text: str = ""
    kind: str | None = None
    register: str | None = None
    year: int | None = None
    type_key: str | None = None
    unit_code: str | None = None  # the unit and the units below it
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    limit: int = 20
    offset: int = 0

    def check(self) -> Query:
        if len(self.text) > MAX_QUERY or any(ord(c) < 32 for c in self.text):
            raise SearchError(
                bilingual(f"câu tìm tối đa {MAX_QUERY} ký tự, không có ký tự điều khiển",
                          f"a query is at most {MAX_QUERY} characters, without control characters")
            )  # fmt: skip
        if not 1 <= self.limit <= MAX_PAGE or not 0 <= self.offset <= COUNT_CAP:
            raise SearchError(
                bilingual(f"trang từ 1 đến {MAX_PAGE} kết quả, bắt đầu không quá {COUNT_CAP}",
                          f"a page holds 1 to {MAX_PAGE} hits and starts at most at {COUNT_CAP}")
            )  # fmt: skip
        for low, high in ((self.date_from, self.date_to), (self.deadline_from, self.deadline_to)):
            if low and high and high < low:
                raise SearchError(bilingual("khoảng ngày ngược", "a date range ends before it starts"))
        return self


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    ref_id: int
    unit_code: str
    title: str
    snippet: str  # HTML-escaped text, the matched words in <mark>…</mark>
    rank: float
    register: str | None
    year: int | None
    type_key: str | None
    status: str | None
    day: date | None
    deadline: date | None
    secrecy: int


@dataclass(frozen=True, slots=True)
class Page:
    total: int  # what the caller may see; capped at COUNT_CAP (then `more` is True)
    more: bool
    hits: list[Hit] = field(default_factory=list)
