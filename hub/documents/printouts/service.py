"""Printouts (issue 15 item 8): a register as its book (Decree 30 Appendix IV, Art. 16 and 22: printed in the
book layout, then bound) in PDF and XLSX, a unit's incoming documents by status and deadline, and its outgoing
ones by state and reply date (hub.documents.printouts.outgoing).

Reading a register is `documents.read_register` over the unit (văn thư, lãnh đạo). A secret entry the
reader may not see (hub.documents.secrecy) keeps its number and registration day in the book, so the
printed numbers run without a gap, but nothing else of it is printed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts.principal import Principal
from hub.documents import access
from hub.documents import repository as documents_repo
from hub.documents.handling.models import STATUS_LABELS, status_of
from hub.documents.models import (
    LOCAL,
    SECRECY_MARKS,
    Direction,
    Document,
    Issuer,
    NoSeal,
    Secrecy,
    UnknownRegisterUnit,
    UnknownSeries,
    both,
    number_and_symbol,
)
from hub.documents.printouts import render
from hub.documents.printouts import repository as repo
from hub.documents.printouts.models import (
    BUCKET_LABELS,
    HIDDEN,
    INCOMING_COLUMNS,
    OUTGOING_COLUMNS,
    OUTGOING_STATE_LABELS,
    REPLY_BUCKET_LABELS,
    Book,
    Bucket,
    OutgoingItem,
    OutgoingStatus,
    StatusItem,
    UnitStatus,
)
from hub.documents.secrecy import rules as secrecy_rules
from hub.reports.documents import Column, ExportFile, ExportFormat, ReportDocument
from hub.reports.export import render as render_report

MAX_ROWS = 100_000  # a year's register of the busiest unit fits many times over
SOON_DAYS = 3


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL).date()
    return f"{value:%d/%m/%Y}"


def _notes(d: Document) -> str:
    notes = list(d.marks)
    if d.registered_late:
        notes.append("Vào sổ muộn")
    if d.page_amount:
        notes.append(f"{d.page_amount} trang")
    return "; ".join(notes)


class PrintoutsService:
    def __init__(self, pool: ConnectionPool, clock: Callable[[], datetime]) -> None:
        self.pool = pool
        self.clock = clock

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

    def _unit(self, conn: psycopg.Connection, principal: Principal, unit_code: str) -> Issuer:
        found = documents_repo.issuer(conn, unit_code)
        if found is None:
            raise UnknownRegisterUnit(both(f"không có đơn vị {unit_code!r}", f"no unit {unit_code!r}"))
        if not found[1]:
            raise NoSeal(both(f"đơn vị {unit_code} không có sổ văn bản", f"unit {unit_code} keeps no registers"))
        gate.check(principal, access.READ, Target.unit(found[0].unit_path))
        return found[0]

    # --- the register book --------------------------------------------------------------------------------

    def book(self, principal: Principal, unit_code: str, year: int, series_code: str) -> Book:
        with self.pool.connection() as conn:
            unit = self._unit(conn, principal, unit_code)
            series = next((s for s in documents_repo.series_of_unit(conn, unit.unit_id) if s.code == series_code), None)
            if series is None:
                raise UnknownSeries(
                    both(f"đơn vị {unit_code} không có sổ {series_code!r}",
                         f"unit {unit_code} has no series {series_code!r}")
                )  # fmt: skip
            visible = secrecy_rules.visible_secret_ids(conn, principal, unit.unit_id)
            entries, _ = documents_repo.register_entries(
                conn, unit.unit_id, year, series.code, limit=MAX_ROWS, offset=0, secret_ids=visible
            )
            hidden = repo.hidden_secret_entries(conn, unit.unit_id, year, series.code, visible)
            ids = [d.id for d in entries]
            handlers = repo.handlers_of(conn, ids)
            recipients = repo.recipients_of(conn, ids)
            governing = _governing(conn, unit)
        incoming = series.direction is Direction.INCOMING
        rows: list[tuple[int, tuple[str, ...]]] = []
        for d in entries:
            who, assigned_at = handlers.get(d.id, ("", None))
            kind = f"{d.type_name_vi}: {d.subject}"
            if incoming:
                values = (
                    _day(d.arrival_date), d.number_text, d.organ_name,
                    number_and_symbol(d.code_number, d.code_notation), _day(d.issued_date), kind, who,
                    _day(assigned_at), "", _notes(d),
                )  # fmt: skip
            else:
                signer = ", ".join(x for x in (d.signer_position, d.signer_name) if x)
                to = "; ".join(x for x in (recipients.get(d.id), d.to_places) if x)
                values = (
                    number_and_symbol(d.code_number, d.code_notation), _day(d.issued_date), kind, signer, to,
                    d.drafter or "", "", _day(d.registered_at), "", _notes(d),
                )  # fmt: skip
            rows.append((d.number, values))
        for number, level, at in hidden:
            mark = SECRECY_MARKS[Secrecy(level)]
            values = (
                (_day(at), f"{number:02d}", "", "", "", HIDDEN, "", "", "", mark)
                if incoming
                else (f"{number:02d}", _day(at), HIDDEN, "", "", "", "", "", "", mark)
            )
            rows.append((number, values))
        rows.sort(key=lambda r: r[0])
        days = [d.registered_on for d in entries] + [at.astimezone(LOCAL).date() for _, _, at in hidden]
        return Book(
            title="SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" if incoming else "SỔ ĐĂNG KÝ VĂN BẢN ĐI", agency=unit.unit_name,
            governing=governing, unit_code=unit.unit_code, year=year, series_code=series.code,
            series_name=series.name_vi, columns=INCOMING_COLUMNS if incoming else OUTGOING_COLUMNS,
            rows=[values for _, values in rows], first_number=rows[0][0] if rows else None,
            last_number=rows[-1][0] if rows else None, first_day=min(days) if days else None,
            last_day=max(days) if days else None,
        )  # fmt: skip

    def book_pdf(self, principal: Principal, unit_code: str, year: int, series_code: str) -> tuple[str, bytes]:
        """(file name, the book as an A4 landscape PDF)."""
        book = self.book(principal, unit_code, year, series_code)
        return f"{book.filename_stem}.pdf", render.book_pdf(book)

    def book_xlsx(self, principal: Principal, unit_code: str, year: int, series_code: str) -> tuple[str, bytes]:
        book = self.book(principal, unit_code, year, series_code)
        return f"{book.filename_stem}.xlsx", render.book_xlsx(book)

    # --- documents by status and deadline ---------------------------------------------------------------

    def status_report(self, principal: Principal, unit_code: str, year: int | None, fmt: str) -> ExportFile:
        """The unit's report on handling its incoming documents (Appendix VI) as pdf or xlsx."""
        return status_report(self.unit_status(principal, unit_code, year), fmt, self.clock())

    def unit_status(self, principal: Principal, unit_code: str, year: int | None = None) -> UnitStatus:
        """The unit's incoming documents of the year by derived status (đang xử lý trong hạn / quá hạn, hoàn
        thành đúng hạn / quá hạn, chưa giao) and the open ones by deadline, with the list (the leadership
        screen calls this). A secret document the caller may not see is counted, its text not shown."""
        today = self.today()
        year = year or today.year
        with self.pool.connection() as conn:
            unit = self._unit(conn, principal, unit_code)
            visible = set(secrecy_rules.visible_secret_ids(conn, principal, unit.unit_id))
            rows = repo.incoming_handling(conn, unit.unit_id, year)
        by_status: dict[str, int] = {}
        by_deadline: dict[str, int] = {}
        items = []
        for r in rows:
            finished = r["finished_at"].astimezone(LOCAL).date() if r["finished_at"] else None
            status = status_of(r["deadline"], finished, today) if r["deadline"] else None
            bucket = None
            if status is None:
                bucket = Bucket.NONE
            elif finished is None:
                left = (r["deadline"] - today).days
                bucket = (
                    Bucket.OVERDUE if left < 0 else Bucket.TODAY if left == 0
                    else Bucket.SOON if left <= SOON_DAYS else Bucket.LATER
                )  # fmt: skip
            key = status.value if status else Bucket.NONE
            by_status[key] = by_status.get(key, 0) + 1
            if bucket:
                by_deadline[bucket] = by_deadline.get(bucket, 0) + 1
            shown = not r["secrecy"] or r["id"] in visible
            items.append(
                StatusItem(
                    r["id"],
                    r["number"],
                    number_and_symbol(r["code_number"], r["code_notation"]) if shown else "",
                    r["organ_name"] if shown else "",
                    r["subject"] if shown else HIDDEN,
                    r["secrecy"],
                    r["lead"],
                    r["deadline"],
                    status,
                    bucket,
                )  # fmt: skip
            )
        return UnitStatus(unit.unit_code, unit.unit_name, year, today, by_status, by_deadline, items)

    def outgoing_status(self, principal: Principal, unit_code: str, year: int | None = None) -> OutgoingStatus:
        """The unit's drafts still in the chain by state (how long each has been in it), and its outgoing documents
        released in the year with their hạn trả lời by where it lies from today and how many of their copies in
        CCES units were handled. A secret one the caller may not see is counted, its text not shown (a secret draft:
        never, it is no document yet)."""
        today = self.today()
        year = year or today.year
        with self.pool.connection() as conn:
            unit = self._unit(conn, principal, unit_code)
            visible = set(secrecy_rules.visible_secret_ids(conn, principal, unit.unit_id))
            until = datetime.combine(date(year + 1, 1, 1), time(), LOCAL)  # drafts begun by the end of the year
            rows = repo.outgoing_handling(conn, unit.unit_id, year, until)
        by_state: dict[str, int] = {}
        by_deadline: dict[str, int] = {}
        items = []
        for r in rows:
            started = r["started"].astimezone(LOCAL).date()
            released = r["released_at"].astimezone(LOCAL).date() if r["released_at"] else None
            bucket = None
            if released is not None and r["due_date"] is not None:
                left = (r["due_date"] - today).days
                bucket = (
                    Bucket.OVERDUE if left < 0 else Bucket.TODAY if left == 0
                    else Bucket.SOON if left <= SOON_DAYS else Bucket.LATER
                )  # fmt: skip
                by_deadline[bucket] = by_deadline.get(bucket, 0) + 1
            by_state[r["state"]] = by_state.get(r["state"], 0) + 1
            shown = not r["secrecy"] or (r["document_id"] is not None and r["document_id"] in visible)
            code = number_and_symbol(r["code_number"], r["code_notation"]) if released and shown else ""
            items.append(
                OutgoingItem(
                    r["draft_id"],
                    r["document_id"],
                    code,
                    r["subject"] if shown else HIDDEN,
                    r["secrecy"],
                    r["drafting_unit"],
                    r["state"],
                    started,
                    released,
                    ((released or today) - started).days,
                    r["due_date"],
                    bucket,
                    int(r["copies"]),
                    int(r["copies_done"]),
                )  # fmt: skip
            )
        return OutgoingStatus(unit.unit_code, unit.unit_name, year, today, by_state, by_deadline, items)

    def outgoing_report(self, principal: Principal, unit_code: str, year: int | None, fmt: str) -> ExportFile:
        """Báo cáo tình hình giải quyết văn bản đi (Decree 30 Appendix VI) as pdf or xlsx."""
        return outgoing_report(self.outgoing_status(principal, unit_code, year), fmt, self.clock())


def status_report(report: UnitStatus, fmt: str, now: datetime | None = None) -> ExportFile:
    """Báo cáo tình hình giải quyết văn bản đến (Decree 30 Appendix VI, one of its six outputs) as PDF or
    XLSX: the counts by status and by deadline, then one row per document."""
    labels = {k.value: v[0] for k, v in STATUS_LABELS.items()} | {Bucket.NONE: BUCKET_LABELS[Bucket.NONE][0]}
    buckets = {k: v[0] for k, v in BUCKET_LABELS.items()}  # "overdue" is a status and a bucket: two words
    columns = (
        Column("Số đến", 1.2, "center"), Column("Số, ký hiệu", 2.4), Column("Cơ quan ban hành", 3.2),
        Column("Trích yếu", 6.5), Column("Đơn vị, người chủ trì", 3.2), Column("Hạn xử lý", 1.8, "center"),
        Column("Tình trạng", 2.6),
    )  # fmt: skip
    rows = [
        (f"{i.number:02d}", i.code, i.organ_name, i.subject, i.lead or "", _day(i.deadline),
         labels[i.status.value] if i.status else labels[Bucket.NONE])
        for i in report.items
    ]  # fmt: skip
    counts = "; ".join(f"{labels[k]}: {n}" for k, n in report.by_status.items())
    due = "; ".join(f"{buckets[k]}: {n}" for k, n in report.by_deadline.items())
    doc = ReportDocument(
        title="BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN", period=f"Năm {report.year} (đến ngày {_day(report.today)})",
        unit_name=report.unit_name, columns=columns, rows=rows,
        filename_stem=f"giai-quyet-van-ban-den-{report.unit_code.lower()}-{report.year}", sheet_name="Giải quyết",
        notes=(f"Tổng số văn bản đến: {len(report.items)}. Theo tình trạng: {counts}.",
               f"Văn bản đang xử lý theo hạn: {due or 'không có'}."),
        signatures=("Người lập", "Thủ trưởng đơn vị"), generated_at=now,
    )  # fmt: skip
    return render_report(doc, ExportFormat(fmt))


def outgoing_report(report: OutgoingStatus, fmt: str, now: datetime | None = None) -> ExportFile:
    """Báo cáo tình hình giải quyết văn bản đi (Decree 30 Appendix VI, one of its six outputs) as PDF or XLSX: the
    counts by state and by reply date, then one row per draft in the chain or document released."""
    states = {k: v[0] for k, v in OUTGOING_STATE_LABELS.items()}
    buckets = {k: v[0] for k, v in REPLY_BUCKET_LABELS.items()}
    columns = (
        Column("Số, ký hiệu", 2.2), Column("Trích yếu", 6.0), Column("Đơn vị soạn thảo", 3.0),
        Column("Tình trạng", 2.6), Column("Ngày bắt đầu", 1.7, "center"), Column("Ngày phát hành", 1.7, "center"),
        Column("Số ngày", 1.1, "center"), Column("Hạn trả lời", 1.7, "center"),
        Column("Nơi nhận trong hệ thống đã xử lý xong", 2.2, "center"),
    )  # fmt: skip
    rows = [
        (i.code, i.subject, i.drafting_unit, states[i.state], _day(i.started), _day(i.released), str(i.days),
         _day(i.due_date), f"{i.copies_done}/{i.copies}" if i.copies else "")
        for i in report.items
    ]  # fmt: skip
    counts = "; ".join(f"{states[k]}: {n}" for k, n in report.by_state.items())
    due = "; ".join(f"{buckets[k]}: {n}" for k, n in report.by_deadline.items())
    doc = ReportDocument(
        title="BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐI", period=f"Năm {report.year} (đến ngày {_day(report.today)})",
        unit_name=report.unit_name, columns=columns, rows=rows,
        filename_stem=f"giai-quyet-van-ban-di-{report.unit_code.lower()}-{report.year}", sheet_name="Văn bản đi",
        notes=(f"Tổng số: {len(report.items)}. Theo tình trạng: {counts or 'không có'}.",
               f"Văn bản đã phát hành theo hạn trả lời: {due or 'không có'}."),
        signatures=("Người lập", "Thủ trưởng đơn vị"), generated_at=now,
    )  # fmt: skip
    return render_report(doc, ExportFormat(fmt))


def _governing(conn: psycopg.Connection, unit: Issuer) -> str | None:
    parts = [p for p in unit.unit_path.split("/") if p]
    if len(parts) < 2:
        return None
    return repo.unit_name(conn, int(parts[-2]))
