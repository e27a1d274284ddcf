"""A `Sheet` (hub.reporting.export) printed: DOCX (python-docx) and PDF (fpdf2 with DejaVu Sans, as every PDF of the
hub: hub.reports.export_pdf.PdfFonts), A4 portrait, the chart drawn by matplotlib (hub.reporting.print_layout).

A table wider than a page holds (the parts of 50 indicators) is printed in column groups, its leading columns
(STT, unit, status) repeated in each."""

from __future__ import annotations

import io

from hub.reporting.export import Sheet
from hub.reporting.print_layout import cell_text, chart_png, printed

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
                    run = cell.paragraphs[0].add_run(cell_text(value))
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
                        row.cell(cell_text(value), align="R" if j in table.numeric else "L")
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
