"""A register book as an A4 landscape PDF (fpdf2, DejaVu Sans for Vietnamese, the table's header repeated on
every page, rows as tall as their text: nothing is cut) and as an XLSX (openpyxl, set to print A4 landscape
with the header rows repeated)."""

from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from hub.documents.printouts.models import Book
from hub.reports.documents import NATIONAL_TITLE
from hub.reports.export_pdf import PdfFonts

_FAMILY = "DejaVu"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _span(book: Book) -> list[str]:
    lines = [f"Năm {book.year}"]
    if book.first_day and book.last_day:
        lines.append(f"Từ ngày {book.first_day:%d/%m/%Y} đến ngày {book.last_day:%d/%m/%Y}")
    if book.first_number and book.last_number:
        lines.append(f"Từ số {book.first_number:02d} đến số {book.last_number:02d}")
    return lines


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        if self.page_no() == 1:
            return  # the cover
        self.set_y(-9)
        self.set_font(_FAMILY, "I", 7)
        self.cell(0, 4, f"{self.footer_text}    Trang {self.page_no()}/{{nb}}", align="R")


def book_pdf(book: Book, fonts: PdfFonts | None = None) -> bytes:
    fonts = fonts or PdfFonts.installed()
    pdf = _Pdf(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"{book.title} — {book.agency} — {book.year}")
    pdf.set_creator("CCES")
    pdf.add_font(_FAMILY, "", fonts.regular)
    pdf.add_font(_FAMILY, "B", fonts.bold)
    pdf.add_font(_FAMILY, "I", fonts.italic)
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, 14)
    pdf.footer_text = f"{book.title} — {book.agency} — năm {book.year}"
    # the cover (bìa sổ)
    pdf.add_page()
    half = (pdf.w - 24) / 2
    pdf.set_font(_FAMILY, "", 11)
    if book.governing:
        pdf.cell(half, 6, book.governing.upper(), align="C")
    pdf.set_font(_FAMILY, "B", 11)
    pdf.cell(half, 6, NATIONAL_TITLE[0], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(half, 6, book.agency.upper(), align="C")
    pdf.cell(half, 6, NATIONAL_TITLE[1], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(40)
    pdf.set_font(_FAMILY, "B", 26)
    pdf.cell(0, 14, book.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FAMILY, "", 12)
    pdf.cell(0, 8, f"({book.series_name})", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(_FAMILY, "", 14)
    for line in _span(book):
        pdf.cell(0, 9, line, align="C", new_x="LMARGIN", new_y="NEXT")
    # the pages: one row per number
    pdf.add_page()
    pdf.set_font(_FAMILY, "", 8)
    widths = tuple(w for _, w in book.columns)
    heading = FontFace(family=_FAMILY, emphasis="BOLD", fill_color=(230, 230, 230))
    with pdf.table(
        col_widths=widths, line_height=4.2, repeat_headings=1, headings_style=heading, text_align="LEFT",
        first_row_as_headings=True,
    ) as table:  # fmt: skip
        head = table.row()
        for header, _ in book.columns:
            head.cell(header, align="C")
        number_row = table.row()  # the column numbers under the headings, as the printed forms have them
        for k in range(len(book.columns)):
            number_row.cell(f"({k + 1})", align="C")
        for values in book.rows:
            row = table.row()
            for value in values:
                row.cell(value)
    return bytes(pdf.output())


def book_xlsx(book: Book) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"So {book.series_code} {book.year}"[:31]
    n = len(book.columns)
    bold = Font(bold=True)
    lines = [book.agency.upper(), book.title, f"({book.series_name})", *_span(book)]
    for k, text in enumerate(lines, start=1):
        ws.cell(k, 1, text).font = Font(bold=k <= 2, size=14 if k == 2 else 11)
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=n)
        ws.cell(k, 1).alignment = Alignment(horizontal="center")
    header_row = len(lines) + 2
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for c, (header, width) in enumerate(book.columns, start=1):
        cell = ws.cell(header_row, c, header)
        cell.font, cell.border = bold, border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = max(8, width * 6)
    for r, values in enumerate(book.rows, start=header_row + 1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            cell.alignment, cell.border = wrap, border
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
