"""A `Sheet` (hub.reporting.export) as DOCX (python-docx), XLSX (openpyxl, with a native bar chart over the
figures) and PDF (fpdf2 with DejaVu Sans, as every PDF of the hub: hub.reports.export_pdf.PdfFonts), A4
portrait. The chart of the DOCX and the PDF is drawn by matplotlib (the Agg backend, no display), the same
bars as the spreadsheet's chart.

A table wider than a page holds (the parts of 50 indicators) is printed in column groups, its leading columns
(STT, unit, status) repeated in each; the spreadsheet keeps it whole.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from enum import StrEnum

from hub.reporting.export import Cell, Chart, Sheet, Table, number
from hub.reports.documents import ExportFile

MAX_PRINT_COLUMNS = 8  # columns of a table on one A4 portrait page


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


def _text(value: Cell) -> str:
    return number(value) if isinstance(value, int | float) else ("" if value is None else str(value))


def printed(table: Table) -> Iterator[Table]:
    """The table in column groups that fit a page: the leading `keep` columns repeated in each."""
    n = len(table.headers)
    if n <= MAX_PRINT_COLUMNS:
        yield table
        return
    keep = table.keep
    step = max(1, MAX_PRINT_COLUMNS - keep)
    widths = table.widths or (1.0,) * n
    for start in range(keep, n, step):
        cols = [*range(keep), *range(start, min(n, start + step))]

        def pick(row: tuple[Cell, ...], cols: list[int] = cols) -> tuple[Cell, ...]:
            return tuple(row[j] for j in cols)

        yield Table(
            f"{table.caption} (cột {start + 1}–{min(n, start + step)})" if start > keep else table.caption,
            pick(table.headers),  # type: ignore[arg-type]
            tuple(pick(r) for r in table.rows),
            pick(table.total) if table.total else None,
            frozenset(k for k, j in enumerate(cols) if j in table.numeric),
            tuple(widths[j] for j in cols),
        )


# --- the chart ------------------------------------------------------------------------------------------


def chart_png(chart: Chart) -> bytes:
    """One horizontal bar panel per indicator, a bar per unit (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    n, m = len(chart.indicators), len(chart.units)
    panel = 0.16 * m + 0.5  # inches: a bar's height, and room for the panel's title
    height = panel * n + 0.5
    fig = Figure(figsize=(7.5, height), dpi=96)
    fig.suptitle(chart.title, fontsize=10, fontweight="bold")
    # fixed margins rather than tight_layout: laying out measures every label (a second drawing)
    fig.subplots_adjust(left=0.36, right=0.97, top=1 - 0.4 / height, bottom=0.25 / height, hspace=0.45 / panel)
    labels = [u if len(u) <= 40 else u[:39] + "…" for u in chart.units]
    for i, (name, values) in enumerate(zip(chart.indicators, chart.series, strict=True)):
        ax = fig.add_subplot(n, 1, i + 1)
        ax.barh(range(m), values, color="#3b6ea5")
        ax.set_yticks(range(m), labels, fontsize=6)
        ax.invert_yaxis()
        ax.set_title(name, fontsize=8, loc="left")
        ax.tick_params(axis="x", labelsize=6)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


# --- DOCX -------------------------------------------------------------------------------------------------


def render_docx(sheet: Sheet) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    center = WD_ALIGN_PARAGRAPH.CENTER

    def para(container, text: str, style: str = "", size: float = 12, align=None):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
        p = container.add_paragraph()
        if align is not None:
            p.alignment = align
        p.paragraph_format.space_after = Pt(2)
        run = p.add_run(text)
        run.bold, run.italic = "B" in style, "I" in style
        run.font.size = Pt(size)
        return p

    # the heading: a borderless table of two cells
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, lines, width in ((head.cell(0, 0), sheet.heading.left(), 7.0),
                               (head.cell(0, 1), sheet.heading.right(), 9.5)):  # fmt: skip
        cell.width = Cm(width)
        cell.paragraphs[0].text = ""
        first = True
        for text, style in lines:
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            p.alignment = center
            p.paragraph_format.space_after = Pt(0)
            run = p.add_run(text)
            run.bold, run.italic = "B" in style, "I" in style
            run.font.size = Pt(12)
    para(doc, "")
    para(doc, sheet.title, "B", 14, center)
    para(doc, sheet.subtitle, "B", 13, center)
    para(doc, sheet.period_line, "I", 12, center)
    para(doc, f"Căn cứ: {sheet.basis}", "", 12)
    para(doc, sheet.unit_line, "", 12)

    for k, whole in enumerate(sheet.tables, start=1):
        for table in printed(whole):
            para(doc, f"{k}. {table.caption}", "B", 12)
            rows = [*table.rows, *([table.total] if table.total else [])]
            grid = doc.add_table(rows=1 + len(rows), cols=len(table.headers))
            grid.style = "Table Grid"
            for header, cell in zip(table.headers, grid.rows[0].cells, strict=True):
                cell.paragraphs[0].text = ""
                run = cell.paragraphs[0].add_run(header)
                run.bold, run.font.size = True, Pt(10)
                cell.paragraphs[0].alignment = center
            # a row's cells read once (python-docx's table.cell(i, j) lists every cell of the table on each call:
            # 200 units × 8 columns took minutes)
            for i, (line, row) in enumerate(zip(grid.rows[1:], rows, strict=True), start=1):
                bold = table.total is not None and i == len(rows)
                cells = line.cells
                for j, value in enumerate(row):
                    cell = cells[j]
                    run = cell.paragraphs[0].add_run(_text(value))
                    run.bold, run.font.size = bold, Pt(10)
                    if j in table.numeric:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            para(doc, "")
    for name, paragraphs in sheet.texts:
        para(doc, name, "B", 12)
        for text in paragraphs or ("(không có)",):
            para(doc, text, "", 12, WD_ALIGN_PARAGRAPH.JUSTIFY)
    if sheet.chart is not None:
        para(doc, sheet.chart.title, "B", 12)
        doc.add_picture(io.BytesIO(chart_png(sheet.chart)), width=Cm(16))

    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.cell(0, 0), sign.cell(0, 1)
    left.paragraphs[0].text = ""
    r = left.paragraphs[0].add_run("Nơi nhận:")
    r.bold, r.italic, r.font.size = True, True, Pt(12)
    for line in sheet.recipients:
        p = left.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(line).font.size = Pt(11)
    right.paragraphs[0].text = ""
    right.paragraphs[0].alignment = center
    r = right.paragraphs[0].add_run(sheet.signer)
    r.bold, r.font.size = True, Pt(13)
    p = right.add_paragraph()
    p.alignment = center
    p.add_run("(Ký, ghi rõ họ tên)").italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


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


# --- PDF --------------------------------------------------------------------------------------------------

_FAMILY = "DejaVu"
_LEFT, _RIGHT, _TOP = 25.0, 15.0, 15.0  # mm


def render_pdf(sheet: Sheet) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    from hub.reports.export_pdf import PdfFonts
    from hub.reports.heading import draw_heading

    fonts = PdfFonts.installed()

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(_FAMILY, "I", 7)
            self.cell(0, 4, f"{sheet.subtitle} — {sheet.period_line[:40]}    Trang {self.page_no()}/{{nb}}", align="R")

    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"{sheet.title} — {sheet.subtitle}")
    pdf.set_creator("CCES")
    fonts.install(pdf, _FAMILY)
    pdf.set_margins(_LEFT, _TOP, _RIGHT)
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    width = pdf.w - _LEFT - _RIGHT
    left_w, right_w = width * 0.42, width * 0.58
    below = draw_heading(pdf, sheet.heading, family=_FAMILY, x=_LEFT, width=width)
    pdf.set_xy(_LEFT, below + 6)
    pdf.set_font(_FAMILY, "B", 13)
    pdf.cell(width, 7, sheet.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "B", 11)
    pdf.multi_cell(width, 6, sheet.subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "I", 10)
    pdf.multi_cell(width, 5, sheet.period_line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(_FAMILY, "", 10)
    pdf.multi_cell(width, 5, f"Căn cứ: {sheet.basis}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(width, 5, sheet.unit_line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    heading_style = FontFace(family=_FAMILY, emphasis="BOLD", fill_color=(221, 228, 238))
    for k, whole in enumerate(sheet.tables, start=1):
        for table in printed(whole):
            pdf.ln(3)
            pdf.set_font(_FAMILY, "B", 10)
            pdf.multi_cell(width, 5, f"{k}. {table.caption}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(_FAMILY, "", 8)
            widths = table.widths or tuple(1.0 for _ in table.headers)
            with pdf.table(
                col_widths=widths, line_height=4.2, repeat_headings=1, headings_style=heading_style,
                text_align="LEFT", width=width,
            ) as grid:  # fmt: skip
                head = grid.row()
                for header in table.headers:
                    head.cell(header, align="C")
                rows = [*table.rows, *([table.total] if table.total else [])]
                for i, values in enumerate(rows):
                    style = FontFace(emphasis="BOLD") if table.total is not None and i == len(rows) - 1 else None
                    row = grid.row(style=style)
                    for j, value in enumerate(values):
                        row.cell(_text(value), align="R" if j in table.numeric else "L")
    for name, paragraphs in sheet.texts:
        pdf.ln(3)
        pdf.set_font(_FAMILY, "B", 10)
        pdf.multi_cell(width, 5, name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(_FAMILY, "", 10)
        for text in paragraphs or ("(không có)",):
            pdf.multi_cell(width, 5, text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if sheet.chart is not None:
        png = chart_png(sheet.chart)
        pdf.add_page()
        pdf.set_font(_FAMILY, "B", 10)
        pdf.cell(width, 6, sheet.chart.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        room = pdf.h - pdf.get_y() - 18
        from PIL import Image

        with Image.open(io.BytesIO(png)) as img:
            w_px, h_px = img.size
        w = width if h_px / w_px * width <= room else room * w_px / h_px
        pdf.image(io.BytesIO(png), x=_LEFT + (width - w) / 2, w=w)
    # Nơi nhận (left) and the signer (right)
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(6)
    y = pdf.get_y()
    pdf.set_font(_FAMILY, "B", 10)
    pdf.set_xy(_LEFT, y)
    pdf.cell(left_w, 5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "", 9)
    for text in sheet.recipients:
        pdf.set_x(_LEFT)
        pdf.multi_cell(left_w, 4.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(_LEFT + left_w, y)
    pdf.set_font(_FAMILY, "B", 11)
    pdf.cell(right_w, 5.5, sheet.signer, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "I", 9)
    pdf.cell(right_w, 5, "(Ký, ghi rõ họ tên)", align="C")
    return bytes(pdf.output())
