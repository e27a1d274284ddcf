"""The leave permit (Giấy nghỉ phép) as a PDF in the Decree 30 layout (Appendix I; Mẫu 1.10 of
Appendix III): A4 portrait; at the top left the governing agency and the issuing agency (bold, with a
short rule under it) and below them the number line `Số: 05/GNP-HQKV2`; at the top right the Quốc
hiệu and tiêu ngữ (with its rule) and below them the place and date line in italics; the title GIẤY
NGHỈ PHÉP; the body; the Nơi nhận block at the bottom left and the signer block at the bottom right.

Fonts: DejaVu Sans from the installed matplotlib package, as for the reports (hub.reports.export_pdf);
Decree 30 asks for Times New Roman, which is not shipped with any package here: a deployment can point
`PdfFonts` at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hub.reports.documents import OfficialHeading
from hub.reports.export_pdf import PdfFonts
from hub.reports.heading import draw_heading

_FAMILY = "DejaVu"
_LEFT, _RIGHT, _TOP = 30.0, 15.0, 20.0  # mm: Decree 30 Appendix I margins (left 30–35, right 15–20, top 20–25)


@dataclass(frozen=True, slots=True)
class PermitSheet:
    """Everything printed on one permit, already worded."""

    governing: str | None  # TÊN CƠ QUAN CHỦ QUẢN (the parent of the issuing unit), None at the top
    issuer: str  # TÊN CƠ QUAN BAN HÀNH
    number_line: str  # Số: 05/GNP-HQKV2
    date_line: str  # Hà Nội, ngày 05 tháng 01 năm 2026
    body: tuple[str, ...]  # paragraphs
    recipients: tuple[str, ...]  # "- Ông (bà) …;" lines, the last "- Lưu: VT, …"
    signer_authority: tuple[str, ...]  # e.g. ("TL. THỦ TRƯỞNG ĐƠN VỊ", "LÃNH ĐẠO ĐỘI 1")
    signer_note: str  # how it was signed (approved in CCES at …)
    signer_name: str


def render_permit(sheet: PermitSheet, fonts: PdfFonts | None = None) -> bytes:
    fonts = fonts or PdfFonts.installed()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"Giấy nghỉ phép {sheet.number_line}")
    pdf.set_creator("CCES")
    fonts.install(pdf, _FAMILY)
    pdf.set_margins(_LEFT, _TOP, _RIGHT)
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    width = pdf.w - _LEFT - _RIGHT
    left_w, right_w = width * 0.42, width * 0.58
    heading = OfficialHeading(
        sheet.governing.upper() if sheet.governing else None, sheet.issuer.upper(), sheet.number_line, sheet.date_line
    )
    below = draw_heading(pdf, heading, family=_FAMILY, x=_LEFT, width=width)

    # title and body
    pdf.set_xy(_LEFT, below + 8)
    pdf.set_font(_FAMILY, "B", 13)
    pdf.cell(width, 8, "GIẤY NGHỈ PHÉP", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(_FAMILY, "", 12)
    for paragraph in sheet.body:
        pdf.multi_cell(width, 7, paragraph, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    # Nơi nhận (left) and the signer (right)
    pdf.ln(6)
    y = pdf.get_y()
    pdf.set_font(_FAMILY, "B", 10)  # Decree 30: bold italic; DejaVu Sans bold here
    pdf.set_xy(_LEFT, y)
    pdf.cell(left_w, 5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "", 9)
    for line in sheet.recipients:
        pdf.set_x(_LEFT)
        pdf.multi_cell(left_w, 4.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    x, at = _LEFT + left_w, y
    pdf.set_font(_FAMILY, "B", 11)
    for line in sheet.signer_authority:
        pdf.set_xy(x, at)
        pdf.multi_cell(right_w, 5.5, line, align="C")
        at = pdf.get_y()
    pdf.set_font(_FAMILY, "I", 9)
    pdf.set_xy(x, at + 3)
    pdf.multi_cell(right_w, 4.5, sheet.signer_note, align="C")
    pdf.set_font(_FAMILY, "B", 11)
    pdf.set_xy(x, pdf.get_y() + 16)
    pdf.cell(right_w, 6, sheet.signer_name, align="C")
    return bytes(pdf.output())
