"""The printed forms of case files (Decree 30 Appendix V; DOMAIN.md §3), in Vietnamese:

- Danh mục hồ sơ (the file list): Số và ký hiệu hồ sơ | Tên đề mục và tiêu đề hồ sơ | Thời hạn bảo quản |
  Người lập hồ sơ | Ghi chú (PDF or XLSX, hub.reports' renderers);
- Mục lục văn bản trong hồ sơ (a file's table of contents): STT | Số, ký hiệu | Ngày tháng | Tên loại và
  trích yếu | Tác giả | Tờ số/Trang số | Ghi chú;
- Mục lục hồ sơ nộp lưu (the hand-over list): STT | Số, ký hiệu hồ sơ | Tiêu đề hồ sơ | Thời gian tài liệu |
  Thời hạn bảo quản | Số tờ/trang | Ghi chú;
- the file's cover (bìa hồ sơ), one A4 page (fpdf2, DejaVu Sans).
A secret document the reader may not open prints as its place in the file only.
"""

from __future__ import annotations

from datetime import date, datetime

from fpdf import FPDF

from hub.documents.casefiles.models import CaseFile, FileList, Handover
from hub.reports.documents import NATIONAL_TITLE, Column, ExportFile, ExportFormat, ReportDocument, ascii_slug
from hub.reports.export import render
from hub.reports.export_pdf import PdfFonts

HIDDEN = "(văn bản mật — không hiển thị)"
_FAMILY = "DejaVu"


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _span(f: CaseFile) -> str:
    first, last = f.span
    if first is None or last is None:
        return ""
    return _day(first) if first == last else f"{_day(first)} - {_day(last)}"


def file_list(found: FileList, fmt: ExportFormat, now: datetime | None = None) -> ExportFile:
    columns = (
        Column("Số và ký hiệu hồ sơ", 2.2), Column("Tên đề mục và tiêu đề hồ sơ", 8.0),
        Column("Thời hạn bảo quản", 2.0, "center"), Column("Người lập hồ sơ", 2.6), Column("Ghi chú", 2.4),
    )  # fmt: skip
    rows: list[tuple[str, str, str, str, str]] = []
    for h in found.headings:
        if h.parent_id is not None:
            continue
        rows.append((f"{h.ordinal}. {h.code}", h.title.upper(), "", "", ""))
        for e in found.entries:
            if e.heading_id == h.id:
                rows.append((e.code, e.title, e.retention_label, e.responsible or "", e.note or ""))
        for sub in found.headings:
            if sub.parent_id == h.id:
                rows.append((sub.ordinal, sub.title, "", "", ""))
                for e in found.entries:
                    if e.heading_id == sub.id:
                        rows.append((e.code, e.title, e.retention_label, e.responsible or "", e.note or ""))
    approved = f"Ban hành kèm theo {found.decision}" if found.decision else "Đã duyệt" if found.approved else "Dự thảo"
    doc = ReportDocument(
        title=f"DANH MỤC HỒ SƠ NĂM {found.year}", period=approved, unit_name=found.unit_name, columns=columns,
        rows=rows, filename_stem=f"danh-muc-ho-so-{ascii_slug(found.unit_code)}-{found.year}",
        sheet_name="Danh mục hồ sơ", notes=(f"Tổng số hồ sơ: {len(found.entries)}.",),
        signatures=("Người lập", "Thủ trưởng cơ quan"), generated_at=now, agency_lines=(found.unit_name.upper(),),
    )  # fmt: skip
    return render(doc, fmt)


def contents(f: CaseFile, fmt: ExportFormat, now: datetime | None = None) -> ExportFile:
    columns = (
        Column("STT", 0.9, "right"), Column("Số, ký hiệu", 2.4), Column("Ngày tháng", 1.6, "center"),
        Column("Tên loại và trích yếu nội dung", 7.0), Column("Tác giả", 3.0), Column("Tờ số/Trang số", 1.5, "center"),
        Column("Ghi chú", 1.8),
    )  # fmt: skip
    rows = []
    page = 1
    for n, i in enumerate(f.items, 1):
        pages = i.pages or 0
        where = "" if i.hidden or not pages else (f"{page}" if pages == 1 else f"{page}-{page + pages - 1}")
        page += pages
        summary = HIDDEN if i.hidden else " ".join(x for x in (i.type_name, i.subject) if x)
        note = "Tệp khác" if i.document_id is None else ""
        rows.append((n, i.number_symbol, "" if i.hidden else _day(i.item_date), summary, i.author, where, note))
    doc = ReportDocument(
        title="MỤC LỤC VĂN BẢN", period=f"Hồ sơ số {f.code}: {f.title}", unit_name=f.unit_name, columns=columns,
        rows=rows, filename_stem=f"muc-luc-van-ban-{ascii_slug(f.code)}-{f.year}", sheet_name="Mục lục văn bản",
        notes=(f"Gồm {len(f.items)} văn bản" + (f", {f.pages} tờ/trang." if f.pages else "."),
               f"Thời hạn bảo quản: {f.retention_label}."),
        signatures=("Người lập hồ sơ",), generated_at=now, agency_lines=(f.unit_name.upper(),),
    )  # fmt: skip
    return render(doc, fmt)


def handover_list(h: Handover, files: list[CaseFile], fmt: ExportFormat, now: datetime | None = None) -> ExportFile:
    columns = (
        Column("STT", 0.9, "right"), Column("Số, ký hiệu hồ sơ", 2.2), Column("Tiêu đề hồ sơ", 7.5),
        Column("Thời gian tài liệu", 3.0, "center"), Column("Thời hạn bảo quản", 1.8, "center"),
        Column("Số tờ/trang", 1.4, "center"), Column("Ghi chú", 1.8),
    )  # fmt: skip
    rows = [
        (n, f.code, f.title, _span(f), f.retention_label, f.pages or "", f.note or "") for n, f in enumerate(files, 1)
    ]
    state = (
        f"Lưu trữ cơ quan đã nhận ngày {h.accepted_at:%d/%m/%Y} ({h.accepted_by})" if h.accepted_at
        else f"Nộp ngày {h.submitted_at:%d/%m/%Y} ({h.submitted_by}), chờ lưu trữ nhận"
    )  # fmt: skip
    doc = ReportDocument(
        title="MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU", period=state, unit_name=h.unit_name, columns=columns, rows=rows,
        filename_stem=f"muc-luc-ho-so-nop-luu-{ascii_slug(h.unit_code)}-{h.id}", sheet_name="Mục lục nộp lưu",
        notes=(f"Tổng số hồ sơ: {len(files)}.",), signatures=("Người nộp", "Người nhận (lưu trữ cơ quan)"),
        generated_at=now, agency_lines=(h.unit_name.upper(),),
    )  # fmt: skip
    return render(doc, fmt)


def cover_pdf(f: CaseFile, fonts: PdfFonts | None = None) -> bytes:
    """Bìa hồ sơ: the agency, the file's code and title, its time span, pages and retention."""
    fonts = fonts or PdfFonts.installed()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"Hồ sơ {f.code} — {f.title}")
    pdf.set_creator("CCES")
    pdf.add_font(_FAMILY, "", fonts.regular)
    pdf.add_font(_FAMILY, "B", fonts.bold)
    pdf.add_font(_FAMILY, "I", fonts.italic)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font(_FAMILY, "B", 12)
    pdf.multi_cell(0, 7, f.unit_name.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FAMILY, "", 9)
    pdf.cell(0, 6, f"{NATIONAL_TITLE[0]} — {NATIONAL_TITLE[1]}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(30)
    pdf.set_font(_FAMILY, "B", 28)
    pdf.cell(0, 14, "HỒ SƠ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FAMILY, "", 14)
    pdf.cell(0, 9, f"Số và ký hiệu hồ sơ: {f.code}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(_FAMILY, "B", 16)
    pdf.multi_cell(0, 9, f.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.set_font(_FAMILY, "", 12)
    first, last = f.span
    lines = [
        f"Từ ngày {_day(first) or '…'} đến ngày {_day(last) or '…'}",
        f"Ngày mở hồ sơ: {_day(f.opened_on)}    Ngày kết thúc: {_day(f.closed_on) or '…'}",
        f"Gồm {f.documents if f.documents is not None else len(f.items)} văn bản"
        + (f", {f.pages} tờ/trang" if f.pages else ""),
        f"Thời hạn bảo quản: {f.retention_label}",
        f"Người lập hồ sơ: {f.owner}",
    ]
    for line in lines:
        pdf.cell(0, 9, line, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
