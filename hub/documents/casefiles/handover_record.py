"""Biên bản giao nhận hồ sơ, tài liệu: the record of a hand-over (nộp lưu) that the handing unit (bên giao) and
the agency archive (bên nhận, lưu trữ cơ quan) sign, as a PDF (issue 15 item 7).

DOMAIN.md §3 ("Submitting files to the agency archive"): a paper hand-over goes with two copies of the Mục lục hồ
sơ nộp lưu and two copies of the Biên bản giao nhận; an electronic one happens in the system with its metadata
linked. DOMAIN.md does not transcribe the record's own form; what it holds here is the customary content of
the archive's hand-over record [S] (the form annexed to the archive rules, not verified against the official
text): the official heading of Decree 30 Appendix I (DOMAIN.md §1.1: the governing and the issuing agency on the
left with the number line `Số: …/BB-<notation>`, the Quốc hiệu and tiêu ngữ on the right with the place and
date line `Hà Nội, ngày 05 tháng 01 năm 2026`), the title, the legal bases, the two parties (the unit and who
handed over; the archive and who accepted, or a blank line while it has not), the body of the hand-over —
which files (the batch), how many files, documents and pages, their retention, the period of the documents
(thời gian tài liệu), the form of the hand-over and the Mục lục attached —, the two copies, and the two signature
blocks (ĐẠI DIỆN BÊN GIAO, ĐẠI DIỆN BÊN NHẬN). The number is left for the văn thư to write: the record is not
registered by the system.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import psycopg
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hub.accounts.principal import Principal
from hub.documents.casefiles import repository as repo
from hub.documents.casefiles.handovers import Handovers
from hub.documents.casefiles.models import CaseFile, Handover
from hub.documents.models import LOCAL, date_line, date_text
from hub.reports.documents import ExportFile, OfficialHeading, ascii_slug
from hub.reports.export_pdf import PdfFonts
from hub.reports.heading import draw_heading

_FAMILY = "DejaVu"
_LEFT, _RIGHT, _TOP = 30.0, 15.0, 20.0  # mm: Decree 30 Appendix I margins
BLANK = "…………………………"
BASES = (
    "Căn cứ Luật Lưu trữ số 33/2024/QH15 ngày 21 tháng 6 năm 2024;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
)


@dataclass(frozen=True, slots=True)
class HandoverRecord:
    """Everything printed on the record, already worded."""

    heading: OfficialHeading
    day: date  # the day of the hand-over: the archive's acceptance, or the submission while it waits
    place: str | None
    unit_name: str
    giver: str  # who handed over: "Name (username)"
    receiver: str | None  # who accepted for the archive, None while it waits
    files: tuple[CaseFile, ...]  # with their items (their dates give the period)
    handover_id: int
    accepted: bool


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else BLANK


def _person(names: dict[str, str], username: str | None) -> str | None:
    if username is None:
        return None
    name = names.get(username)
    return f"{name} ({username})" if name and name != username else username


def build(conn: psycopg.Connection, found: Handover) -> HandoverRecord:
    """The record of one hand-over, its files loaded with their items (inside the caller's connection)."""
    governing, unit_name, place, notation = repo.heading(conn, found.unit_code)
    files = tuple(f for f in (repo.case_file(conn, f.id) for f in found.files) if f is not None)
    names = repo.display_names(conn, [u for u in (found.submitted_by, found.accepted_by) if u])
    when = (found.accepted_at or found.submitted_at).astimezone(LOCAL).date()
    heading = OfficialHeading(
        governing.upper() if governing else None, unit_name.upper(), f"Số:        /BB-{notation}",
        date_line(place, when) if place else f"{BLANK}, {date_text(when)}",
    )  # fmt: skip
    giver = _person(names, found.submitted_by)
    assert giver is not None
    return HandoverRecord(heading, when, place, unit_name, giver, _person(names, found.accepted_by), files,
                          found.id, found.accepted_at is not None)  # fmt: skip


def body(r: HandoverRecord) -> list[tuple[str, str]]:
    """(style, paragraph) of the record's body: "B" bold, "" plain, "I" italic."""
    days = [i.item_date for f in r.files for i in f.items if i.item_date is not None]
    first = min(days, default=min((f.opened_on for f in r.files), default=None))
    last = max(days, default=max((f.closed_on or f.opened_on for f in r.files), default=None))
    documents = sum(f.documents if f.documents is not None else len(f.items) for f in r.files)
    pages = sum(f.pages or 0 for f in r.files)
    by_retention = Counter(f.retention_label for f in r.files)
    out: list[tuple[str, str]] = [("I", b) for b in BASES]
    out.append(("", f"Hôm nay, {date_text(r.day)}, tại {r.unit_name}, chúng tôi gồm:"))
    out.append(("B", f"BÊN GIAO: {r.unit_name}"))
    out.append(("", f"Ông (bà): {r.giver}    Chức vụ: {BLANK}"))
    out.append(("B", "BÊN NHẬN: Lưu trữ cơ quan"))
    out.append(("", f"Ông (bà): {r.receiver or BLANK}    Chức vụ: {BLANK}"))
    out.append(("", "Thống nhất lập biên bản giao nhận hồ sơ, tài liệu với những nội dung sau:"))
    out.append(
        ("", f"1. Tên khối tài liệu giao nộp: hồ sơ, tài liệu của {r.unit_name} (lần nộp lưu số {r.handover_id}).")
    )
    out.append(("", f"2. Thời gian của tài liệu: từ ngày {_day(first)} đến ngày {_day(last)}."))
    retention = "; ".join(f"{label}: {n} hồ sơ" for label, n in sorted(by_retention.items()))
    out.append(("", f"3. Số lượng tài liệu: {len(r.files)} hồ sơ, gồm {documents} văn bản"
                    + (f", {pages} tờ/trang" if pages else "") + f" (thời hạn bảo quản — {retention})."))  # fmt: skip
    state = "lưu trữ cơ quan đã nhận" if r.accepted else "chờ lưu trữ cơ quan nhận"
    out.append(("", "4. Hình thức giao nộp: hồ sơ điện tử giao nộp trên hệ thống CCES, kèm dữ liệu đặc tả (metadata)"
                    f" của hồ sơ và văn bản; tình trạng: {state}."))  # fmt: skip
    out.append(("", "5. Kèm theo: Mục lục hồ sơ, tài liệu nộp lưu, gồm các hồ sơ sau:"))
    for n, f in enumerate(r.files, 1):
        out.append(("", f"    {n}. {f.code} — {f.title} ({f.retention_label})"))
    out.append(("", "Biên bản này được lập thành hai bản có giá trị như nhau; mỗi bên giữ một bản."))
    return out


def render(r: HandoverRecord, fonts: PdfFonts | None = None) -> bytes:
    fonts = fonts or PdfFonts.installed()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"Biên bản giao nhận hồ sơ, tài liệu — lần nộp lưu {r.handover_id}")
    pdf.set_creator("CCES")
    fonts.install(pdf, _FAMILY)
    pdf.set_margins(_LEFT, _TOP, _RIGHT)
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    width = pdf.w - _LEFT - _RIGHT
    below = draw_heading(pdf, r.heading, family=_FAMILY, x=_LEFT, width=width)
    pdf.set_xy(_LEFT, below + 8)
    pdf.set_font(_FAMILY, "B", 13)
    pdf.cell(width, 7, "BIÊN BẢN", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "B", 12)
    pdf.cell(width, 7, "Giao nhận hồ sơ, tài liệu nộp lưu vào Lưu trữ cơ quan", align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.ln(4)
    for style, text in body(r):
        pdf.set_font(_FAMILY, style, 11)
        pdf.multi_cell(width, 6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.8)
    pdf.ln(6)
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    y, half = pdf.get_y(), width / 2
    for n, (party, name) in enumerate((("ĐẠI DIỆN BÊN GIAO", r.giver), ("ĐẠI DIỆN BÊN NHẬN", r.receiver or ""))):
        x = _LEFT + n * half
        pdf.set_xy(x, y)
        pdf.set_font(_FAMILY, "B", 11)
        pdf.cell(half, 6, party, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(_FAMILY, "I", 10)
        pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_xy(x, y + 32)
        pdf.set_font(_FAMILY, "B", 11)
        pdf.multi_cell(half, 6, name, align="C")
    return bytes(pdf.output())


class HandoverRecords(Handovers):
    def handover_record_pdf(self, principal: Principal, handover_id: int) -> ExportFile:
        """Biên bản giao nhận of a hand-over, for whoever may read its unit's files (as the Mục lục nộp lưu)."""
        found = self.handover(principal, handover_id)
        with self.pool.connection() as conn:
            record = build(conn, found)
        return ExportFile(f"bien-ban-giao-nhan-{ascii_slug(found.unit_code)}-{found.id}.pdf", "application/pdf",
                          render(record))  # fmt: skip
