"""A `Sheet` (hub.reporting.export) as DOCX (python-docx), XLSX (openpyxl, with a native bar chart over the
figures) and PDF (fpdf2 with DejaVu Sans, as every PDF of the hub: hub.reports.export_pdf.PdfFonts), A4
portrait. The chart of the DOCX and the PDF is drawn by matplotlib (the Agg backend, no display), the same
bars as the spreadsheet's chart.

A table wider than a page holds (the parts of 50 indicators) is printed in column groups, its leading columns
(STT, unit, status) repeated in each; the spreadsheet keeps it whole. The XLSX is made here; the printed forms
(DOCX, PDF) in hub.reporting.render_print.
"""

from __future__ import annotations

import io
from enum import StrEnum

from hub.reporting.export import Sheet
from hub.reporting.render_print import render_docx, render_pdf
from hub.reports.documents import ExportFile


class Format(StrEnum):
    DOCX = "docx"
    XLSX = "xlsx"
    PDF = "pdf"

    @property
    def media_type(self) -> str:
        return {
            Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format.PDF: "application/pdf",
        }[self]


def render(sheet: Sheet, fmt: Format) -> ExportFile:
    make = {Format.DOCX: render_docx, Format.XLSX: render_xlsx, Format.PDF: render_pdf}[fmt]
    return ExportFile(f"{sheet.filename_stem}.{fmt.value}", fmt.media_type, make(sheet))


# --- XLSX -------------------------------------------------------------------------------------------------


def render_xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE4EE")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Báo cáo"
    ncols = max(8, *(len(t.headers) for t in sheet.tables)) if sheet.tables else 8
    half = 3

    def line(row: int, text: str, font: Font | None = None, first: int = 1, end: int = ncols,
             align: str = "center") -> None:  # fmt: skip
        cell = ws.cell(row=row, column=first, value=text)
        if end > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=end)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=align == "left")
        if font is not None:
            cell.font = font

    left, right = sheet.heading.left(), sheet.heading.right()
    for k in range(max(len(left), len(right))):
        if k < len(left):
            text, style = left[k]
            line(k + 1, text, Font(bold="B" in style, italic="I" in style), 1, half)
        if k < len(right):
            text, style = right[k]
            line(k + 1, text, Font(bold="B" in style, italic="I" in style), half + 1, ncols)
    r = max(len(left), len(right)) + 2
    line(r, sheet.title, Font(bold=True, size=14))
    line(r + 1, sheet.subtitle, bold)
    line(r + 2, sheet.period_line, Font(italic=True))
    line(r + 3, f"Căn cứ: {sheet.basis}", None, align="left")
    line(r + 4, sheet.unit_line, None, align="left")
    r += 6
    for k, table in enumerate(sheet.tables, start=1):
        ws.cell(row=r, column=1, value=f"{k}. {table.caption}").font = bold
        r += 1
        for j, header in enumerate(table.headers, start=1):
            cell = ws.cell(row=r, column=j, value=header)
            cell.font, cell.alignment, cell.border, cell.fill = bold, centre, box, fill
        for row in (*table.rows, *([table.total] if table.total else [])):
            r += 1
            for j, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=j, value=value)
                cell.border = box
                if table.total is not None and row is table.total:
                    cell.font = bold
        r += 2
    for name, paragraphs in sheet.texts:
        ws.cell(row=r, column=1, value=name).font = bold
        r += 1
        for text in paragraphs or ("(không có)",):
            line(r, text, None, align="left")
            ws.row_dimensions[r].height = 15 * max(1, min(20, len(text) // 110 + text.count("\n") + 1))
            r += 1
        r += 1
    r += 1
    ws.cell(row=r, column=1, value="Nơi nhận:").font = Font(bold=True, italic=True)
    line(r, sheet.signer, bold, half + 1, ncols)
    for k, text in enumerate(sheet.recipients, start=1):
        ws.cell(row=r + k, column=1, value=text)
    line(r + 1, "(Ký, ghi rõ họ tên)", Font(italic=True), half + 1, ncols)
    widths = {1: 6, 2: 38, 3: 12}
    for j in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(j, 14)
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    if sheet.chart is not None:
        cs = wb.create_sheet("Biểu đồ")
        chart = sheet.chart
        cs.cell(row=1, column=1, value="Đơn vị").font = bold
        for i, name in enumerate(chart.indicators, start=2):
            cs.cell(row=1, column=i, value=name).font = bold
        for j, unit in enumerate(chart.units, start=2):
            cs.cell(row=j, column=1, value=unit)
            for i, values in enumerate(chart.series, start=2):
                cs.cell(row=j, column=i, value=values[j - 2])
        cs.column_dimensions["A"].width = 40
        for i in range(len(chart.indicators)):
            bar = BarChart()
            bar.type = "bar"
            bar.title = chart.indicators[i]
            bar.legend = None
            bar.height = max(6.0, 0.5 * len(chart.units) + 2)
            bar.add_data(Reference(cs, min_col=2 + i, min_row=1, max_row=1 + len(chart.units)), titles_from_data=True)
            bar.set_categories(Reference(cs, min_col=1, min_row=2, max_row=1 + len(chart.units)))
            cs.add_chart(bar, f"{get_column_letter(len(chart.indicators) + 3)}{1 + i * int(bar.height * 2 + 2)}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
