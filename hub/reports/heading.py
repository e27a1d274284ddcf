"""The official heading of every paper CCES prints (Decree 30/2020, Appendix I), drawn in one place.

At the top left the governing agency (plain), the issuing agency (bold, a short rule under it) and the
number line; at the top right the Quốc hiệu and the tiêu ngữ (bold, a rule under the tiêu ngữ) and the
place and date line in italics. A leave permit, a report's PDF and a consolidated report drew it each
their own way; they now share this, so a correction to the layout is made once.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hub.reports.documents import NATIONAL_TITLE, OfficialHeading


def draw_heading(
    pdf: FPDF, heading: OfficialHeading, *, family: str, x: float, width: float, size: float = 10,
    left_share: float = 0.42,
) -> float:  # fmt: skip
    """Draw the heading from the current y over `width` mm starting at `x`; answer the y under it."""
    left_w, right_w = width * left_share, width * (1 - left_share)
    top = pdf.get_y()
    line_h = size / 2

    y = top
    if heading.governing:
        pdf.set_font(family, "", size)
        pdf.set_xy(x, y)
        pdf.multi_cell(left_w, line_h, heading.governing, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = pdf.get_y()
    pdf.set_font(family, "B", size)
    pdf.set_xy(x, y)
    pdf.multi_cell(left_w, line_h, heading.agency, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 0.5
    pdf.line(x + left_w * 0.35, y, x + left_w * 0.65, y)  # the short rule under the issuing agency
    left_bottom = y + 1
    if heading.number_line:
        pdf.set_font(family, "", size + 1)
        pdf.set_xy(x, y + 2)
        pdf.cell(left_w, line_h + 1, heading.number_line, align="C")
        left_bottom = y + 2 + line_h + 1

    right_x = x + left_w
    pdf.set_xy(right_x, top)
    pdf.set_font(family, "B", size)
    pdf.cell(right_w, line_h, NATIONAL_TITLE[0], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(family, "B", size + 1)
    pdf.cell(right_w, line_h + 1, NATIONAL_TITLE[1], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    rule_y = pdf.get_y() + 0.3
    half = pdf.get_string_width(NATIONAL_TITLE[1]) / 2
    centre = right_x + right_w / 2
    pdf.line(centre - half, rule_y, centre + half, rule_y)  # the rule as long as the tiêu ngữ
    right_bottom = rule_y + 1
    if heading.date_line:
        pdf.set_font(family, "I", size + 1)
        at = max(rule_y + 2, left_bottom - line_h - 1)
        pdf.set_xy(right_x, at)
        pdf.multi_cell(right_w, line_h + 1, heading.date_line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        right_bottom = pdf.get_y()
    bottom = max(left_bottom, right_bottom)
    pdf.set_xy(x, bottom)
    return bottom
