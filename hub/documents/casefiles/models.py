"""Case files (hồ sơ) and the hand-over to the agency archive (issue 15 item 7; DOMAIN.md §3, Decree 30/2020
Ch. IV and Appendix V): records and errors.

- **File list (danh mục hồ sơ)** of a unit and year: major headings (Roman numerals, an abbreviation:
  `I. TCCB`), sub-headings (Arabic), and the planned files (`01.TCCB` | title | retention | người lập hồ sơ |
  ghi chú). Approved by the head at the start of the year; after that it is read-only.
- **Case file**: opened from an entry of the list (or outside it, with its own code, title and retention),
  it holds registered documents and other files in order; closing sets ngày kết thúc, the number of
  documents and pages, and re-assesses the retention.
- **Hand-over (nộp lưu)**: within the legal time after the work ended (data, `case_file_rules`), the
  closed files go to the archive in a batch; once the archive accepts, the file and its documents are
  frozen (409; a trigger refuses any write too) and the retention counts from the file's end year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from hub.domain import Conflict, Invalid, NotFound, bilingual

both = bilingual


class CaseFileError(Invalid):
    """Input or a step the rules refuse (422); nothing was written."""


class UnknownCaseFile(NotFound, CaseFileError):
    """No such list, entry, case file or hand-over the caller may see (404)."""


class CaseFileConflict(Conflict, CaseFileError):
    """The list is approved, the file is closed or archived: it changes no more (409)."""


class State(StrEnum):
    OPEN = "open"  # đang lập
    CLOSED = "closed"  # đã kết thúc
    SUBMITTED = "submitted"  # đã nộp lưu, chờ lưu trữ nhận
    ARCHIVED = "archived"  # lưu trữ đã nhận: đóng băng


STATE_LABELS = {
    State.OPEN: ("Đang lập", "Open"),
    State.CLOSED: ("Đã kết thúc", "Closed"),
    State.SUBMITTED: ("Đã nộp lưu, chờ nhận", "Submitted, awaiting the archive"),
    State.ARCHIVED: ("Đã nộp lưu vào lưu trữ cơ quan", "In the agency archive"),
}


class Due(StrEnum):
    """A closed file's hand-over as of today (derived, never stored)."""

    NOT_DUE = "not_due"  # chưa đến hạn
    SOON = "soon"  # sắp đến hạn (within the warning days)
    OVERDUE = "overdue"  # quá hạn nộp lưu
    KEPT = "kept"  # giữ lại có văn bản đồng ý (until keep_until)
    NOT_REQUIRED = "not_required"  # retention below the minimum: not handed over


DUE_LABELS = {
    Due.NOT_DUE: ("Chưa đến hạn nộp lưu", "Not yet due"),
    Due.SOON: ("Sắp đến hạn nộp lưu", "Due soon"),
    Due.OVERDUE: ("Quá hạn nộp lưu", "Overdue"),
    Due.KEPT: ("Giữ lại có văn bản đồng ý", "Kept with approval"),
    Due.NOT_REQUIRED: ("Không thuộc diện nộp lưu", "Not to be handed over"),
}


@dataclass(frozen=True, slots=True)
class Retention:
    code: str
    years: int | None  # None: vĩnh viễn
    label_vi: str
    label_en: str
    basis: str

    @property
    def permanent(self) -> bool:
        return self.years is None


@dataclass(frozen=True, slots=True)
class Rules:
    """The hand-over periods [U] (table case_file_rules)."""

    handover_months: int = 12
    construction_months: int = 3
    warn_days: int = 30
    max_keep_years: int = 2
    min_handover_years: int = 5


@dataclass(frozen=True, slots=True)
class Heading:
    id: int
    parent_id: int | None
    code: str | None  # a major heading's abbreviation (TCCB); None for a sub-heading
    title: str
    position: int
    ordinal: str  # I, II … for major headings; 1, 2 … within a major heading


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    heading_id: int
    number: int
    code: str  # 01.TCCB
    title: str
    retention: str
    retention_label: str
    responsible: str | None
    note: str | None
    case_file_id: int | None = None  # the file opened from this entry, if any


@dataclass(frozen=True, slots=True)
class FileList:
    id: int
    unit_code: str
    unit_name: str
    unit_path: str
    year: int
    created_at: datetime
    created_by: str
    approved_at: datetime | None
    approved_by: str | None
    decision: str | None
    headings: tuple[Heading, ...] = ()
    entries: tuple[Entry, ...] = ()

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


@dataclass(frozen=True, slots=True)
class Item:
    """One thing in a case file: a registered document (hidden: the viewer may not open it) or another file."""

    id: int
    position: int
    document_id: int | None
    number_symbol: str  # số, ký hiệu (a document), or ""
    item_date: date | None  # the document's date, or the other file's
    type_name: str  # tên loại (a document), or ""
    subject: str  # trích yếu, or the other file's title
    author: str  # tác giả: the issuing organ
    pages: int | None
    filename: str | None  # another file
    sha256: str | None
    content_type: str | None
    size_bytes: int | None
    secrecy: int
    hidden: bool  # a secret document the viewer may not open: only its place in the file is shown
    added_at: datetime
    added_by: str


@dataclass(frozen=True, slots=True)
class CaseFile:
    id: int
    unit_code: str
    unit_name: str
    unit_path: str
    year: int
    entry_id: int | None
    code: str
    title: str
    retention: str
    retention_label: str
    retention_years: int | None
    kind: str  # general | construction
    owner: str
    owner_id: int | None
    opened_on: date
    closed_on: date | None
    closed_by: str | None
    pages: int | None
    documents: int | None
    note: str | None
    keep_until: date | None
    keep_basis: str | None
    handover_id: int | None
    archived_at: datetime | None
    items: tuple[Item, ...] = ()

    @property
    def state(self) -> State:
        if self.archived_at is not None:
            return State.ARCHIVED
        if self.handover_id is not None:
            return State.SUBMITTED
        if self.closed_on is not None:
            return State.CLOSED
        return State.OPEN

    @property
    def permanent(self) -> bool:
        return self.retention_years is None

    @property
    def span(self) -> tuple[date | None, date | None]:
        """Thời gian tài liệu: the first and last dates of what it holds."""
        days = [i.item_date for i in self.items if i.item_date is not None]
        return (min(days), max(days)) if days else (None, None)

    @property
    def retention_until(self) -> int | None:
        """The last year it is kept: retention counts from the file's end year (None: permanent or open)."""
        if self.retention_years is None or self.closed_on is None:
            return None
        return self.closed_on.year + self.retention_years


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def due_date(f: CaseFile, rules: Rules) -> date | None:
    """The last day to hand the closed file over: the end day plus the period of its kind (None: open)."""
    if f.closed_on is None:
        return None
    months = rules.construction_months if f.kind == "construction" else rules.handover_months
    return add_months(f.closed_on, months)


def due_status(f: CaseFile, rules: Rules, today: date) -> Due | None:
    """Whether a closed, not yet submitted file is due, soon due or overdue for hand-over (None otherwise)."""
    if f.state is not State.CLOSED:
        return None
    if f.retention_years is not None and f.retention_years < rules.min_handover_years:
        return Due.NOT_REQUIRED
    due = due_date(f, rules)
    assert due is not None
    if f.keep_until is not None and today <= f.keep_until:
        return Due.KEPT
    if today > (f.keep_until or due):
        return Due.OVERDUE
    if (due - today).days <= rules.warn_days:
        return Due.SOON
    return Due.NOT_DUE


@dataclass(frozen=True, slots=True)
class DueFile:
    case_file: CaseFile
    due_on: date
    status: Due


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One step in a case file's history, from the audit log: opened, filled, closed, reopened (its reason) …"""

    at: datetime
    actor: str
    action: str  # the audit action code (documents.case_file_reopen …)
    reason: str | None  # why (reopening), a note (hand-over), or None


@dataclass(frozen=True, slots=True)
class Proposal:
    """A file past its retention proposed for destruction (đề nghị hủy), with the reason."""

    reason: str
    proposed_at: datetime
    proposed_by: str


@dataclass(frozen=True, slots=True)
class ExpiredFile:
    """A closed, not permanent file whose retention ran out at the end of `until` (its end year + the years)."""

    case_file: CaseFile
    until: int
    proposal: Proposal | None


@dataclass(frozen=True, slots=True)
class Handover:
    id: int
    unit_code: str
    unit_name: str
    unit_path: str
    submitted_at: datetime
    submitted_by: str
    submitted_by_id: int | None
    note: str | None
    accepted_at: datetime | None
    accepted_by: str | None
    files: tuple[CaseFile, ...] = ()


ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def entry_code(number: int, heading_code: str) -> str:
    """`01.TCCB`: the ordinal (two digits at least) and the major heading's abbreviation."""
    return f"{number:02d}.{heading_code}"
