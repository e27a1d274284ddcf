"""Capturing an incoming document (issue 15 item 2): its Decree 30 Appendix VI metadata checked, the day
by which it had to be registered, and its files checked, scanned and stored before the registering
transaction takes a number (so a slow scanner never holds the register's lock).

Appendix VI Part II, incoming documents, with the lengths checked here: Language S30, PageAmount N3,
Description S500, SignerInfo {Position S100, FullName S50}, ToPlaces S1000, DueDate D10, ArrivalDate D10
(besides the fields of item 1: type, number S11, symbol S30, date, organ S200, subject S500, priority).

Registration deadline (Art. 22): an incoming document is registered the day it arrives, at the latest the
next working day (hub.timekeeping's working calendar: weekends, holidays, the year's swaps). The day is
stored with the document (`register_by`); the register marks a document registered after it as late.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from hub.documents import repository as repo
from hub.documents.files import (
    IMAGES,
    MAX_FILES,
    PDF,
    CheckedFile,
    FileRefused,
    FileRules,
    Upload,
    check_file,
    scan,
)
from hub.documents.models import DocumentError, SignatureCheck, both
from hub.files import ContentStore
from hub.timekeeping import repository as tk_repo
from hub.timekeeping.calendar import WorkCalendar

MAX_LATE_ARRIVAL_DAYS = 366  # an arrival day further back is a typing mistake


@dataclass(frozen=True, slots=True)
class StoredFile:
    name: str
    sha256: str
    content_type: str
    size: int
    signatures: tuple[SignatureCheck, ...] = ()  # a PDF's signatures, checked before storing


def _text(value: str | None, field_vi: str, field_en: str, limit: int) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > limit or any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise DocumentError(
            both(
                f"{field_vi} quá dài (tối đa {limit} ký tự) hoặc có ký tự điều khiển",
                f"{field_en} is longer than {limit} characters or holds control characters",
            )
        )
    return text


def metadata(
    *, today: date, issued_date: date, arrival_date: date | None, language: str | None, page_amount: int | None,
    description: str | None, signer_position: str | None, signer_name: str | None, to_places: str | None,
    due_date: date | None, organ_id: str | None, external_id: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The Appendix VI fields of an incoming document, checked; DocumentError names the first wrong one."""
    arrival = arrival_date or today
    if arrival > today:
        raise DocumentError(
            both(f"ngày đến {arrival:%d/%m/%Y} sau hôm nay", f"the arrival day {arrival} is in the future")
        )
    if arrival < today - timedelta(days=MAX_LATE_ARRIVAL_DAYS):
        raise DocumentError(
            both("ngày đến quá một năm trước, hãy kiểm tra lại", "the arrival day is more than a year ago: check it")
        )
    if issued_date > arrival:
        raise DocumentError(
            both(
                f"ngày văn bản {issued_date:%d/%m/%Y} sau ngày đến {arrival:%d/%m/%Y}",
                f"the document's date {issued_date} is after its arrival {arrival}",
            )
        )
    if page_amount is not None and not 1 <= page_amount <= 999:
        raise DocumentError(both("số trang từ 1 đến 999", "the page count is 1 to 999"))
    if due_date is not None and due_date < issued_date:
        raise DocumentError(both("hạn trả lời trước ngày văn bản", "the due date is before the document's date"))
    return {
        "arrival_date": arrival,
        "language": _text(language, "ngôn ngữ", "language", 30),
        "page_amount": page_amount,
        "description": _text(description, "ghi chú", "description", 500),
        "signer_position": _text(signer_position, "chức vụ người ký", "signer's position", 100),
        "signer_name": _text(signer_name, "họ tên người ký", "signer's name", 50),
        "to_places": _text(to_places, "nơi nhận", "recipients (ToPlaces)", 1000),
        "due_date": due_date,
        "organ_id": _text(organ_id, "mã định danh cơ quan ban hành", "issuing organ's id", 64),
        "external_id": _text(external_id, "mã văn bản điện tử", "electronic document id", 200),
    }


def load_calendar(conn: psycopg.Connection) -> WorkCalendar:
    return WorkCalendar(
        (s.adjustments for s in tk_repo.latest_calendar_adjustments(conn)), rules=tk_repo.holiday_rules(conn)
    )


def register_by(calendar: WorkCalendar, arrival: date) -> date:
    """The next working day after the arrival day: registering later than it is late (Art. 22)."""
    day = arrival + timedelta(days=1)
    for _ in range(60):  # Tết with its weekends is at most ~9 days off
        if calendar.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def check_and_store(
    uploads: Sequence[Upload], rules: FileRules | None, store: ContentStore | None, work_dir: Path | None = None
) -> list[StoredFile]:
    """Every file checked (size, sniffed type, extension) and scanned first; only when all pass are they
    written to the content-addressed store (writing the same bytes again costs nothing)."""
    if not uploads:
        return []
    if rules is None or store is None:
        raise FileRefused(both("máy chủ này không nhận tệp văn bản", "this hub process takes no document files"))
    if len(uploads) > MAX_FILES:
        raise FileRefused(both(f"tối đa {MAX_FILES} tệp một văn bản", f"at most {MAX_FILES} files per document"))
    checked: list[CheckedFile] = [check_file(u, rules) for u in uploads]
    for file in checked:
        scan(file, rules, work_dir)
    return [
        StoredFile(f.name, store.put(f.data), f.content_type, len(f.data), signatures_of(f, rules)) for f in checked
    ]


def signatures_of(file: CheckedFile, rules: FileRules) -> tuple[SignatureCheck, ...]:
    """A PDF's signatures checked with pyHanko against the trusted roots (`signing_trust_roots`); a PDF
    without signatures, or any other file: none. A signature that does not hold is shown, never refused."""
    if file.content_type != PDF or b"/ByteRange" not in file.data:
        return ()
    from hub.documents.signatures import check_pdf, load_trust_roots

    roots = load_trust_roots([rules.trust_roots]) if rules.trust_roots else []
    return tuple(check_pdf(file.data, roots))


def attach(conn: psycopg.Connection, document_id: int, files: Sequence[StoredFile], username: str, at: datetime) -> int:
    """The stored files' rows, in the registering transaction; how many wait for their text to be read."""
    pending = 0
    for f in files:
        readable = f.content_type == PDF or f.content_type in IMAGES
        file_id = repo.add_file(conn, document_id, f.sha256, f.name, f.content_type, f.size, username, at,
                                "pending" if readable else "none")  # fmt: skip
        repo.save_signatures(conn, file_id, f.signatures, at)
        pending += readable
    return pending
