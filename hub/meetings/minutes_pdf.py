"""The signed minutes of a meeting (biên bản) as a PDF in the Decree 30 layout (Appendix I): A4 portrait; at the top
left the governing agency and the organising unit (bold, a short rule under it), at the top right the Quốc hiệu and
the tiêu ngữ (with its rule) and the date line in italics — drawn by hub.reports.heading, as for the leave permit
and the reports; then the title BIÊN BẢN with the meeting's name, the sections, and the two signatures: the
secretary (THƯ KÝ) on the left, the chair (CHỦ TRÌ) on the right with when they signed it off in CCES. The
conclusion notice drafted from them (`render_notice`) has the same heading with its number line.

Fonts: DejaVu Sans from the installed matplotlib package (hub.reports.export_pdf.PdfFonts).
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hub.reports.documents import OfficialHeading
from hub.reports.export_pdf import PdfFonts
from hub.reports.heading import draw_heading

_FAMILY = "DejaVu"
_LEFT, _RIGHT, _TOP = 30.0, 15.0, 20.0  # mm: Decree 30 Appendix I margins
_ROMAN = ("I", "II", "III", "IV", "V", "VI")


@dataclass(frozen=True, slots=True)
class MinutesSheet:
    """Everything printed on the minutes, already worded."""

    governing: str | None  # TÊN CƠ QUAN CHỦ QUẢN (the unit above the organising unit), None at the top
    agency: str  # the organising unit
    date_line: str  # Ngày 05 tháng 01 năm 2026
    title: str  # the meeting's title
    sections: tuple[tuple[str, str], ...]  # (heading, text)
    secretary_name: str
    chair_name: str
    signed_note: str  # (Đã ký duyệt trên CCES lúc …)


@dataclass(frozen=True, slots=True)
class NoticeSheet:
    """The conclusion notice (thông báo kết luận, type TB) as drafted from the signed minutes."""

    governing: str | None
    agency: str  # the issuing unit (with a seal)
    number_line: str  # Số:      /TB-… (the number is taken when the văn thư releases it)
    date_line: str
    subject: str  # Kết luận của … tại cuộc họp …
    conclusion: str
    recipients: tuple[str, ...]  # the Nơi nhận lines, the last "- Lưu: VT."
    signer_position: str
    signer_name: str


def _start(title: str, governing: str | None, agency: str, number_line: str | None, date_line: str,
           fonts: PdfFonts | None) -> tuple[FPDF, float, float]:  # fmt: skip
    fonts = fonts or PdfFonts.installed()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("CCES")
    fonts.install(pdf, _FAMILY)
    pdf.set_margins(_LEFT, _TOP, _RIGHT)
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    width = pdf.w - _LEFT - _RIGHT
    heading = OfficialHeading(governing.upper() if governing else None, agency.upper(), number_line, date_line)
    return pdf, width, draw_heading(pdf, heading, family=_FAMILY, x=_LEFT, width=width)


def render_notice(sheet: NoticeSheet, fonts: PdfFonts | None = None) -> bytes:
    """The notice: heading with its number line, THÔNG BÁO and the subject, the conclusion, Nơi nhận on the left
    and the signer on the right (signed when the chain reaches them in the documents module)."""
    pdf, width, below = _start(f"Thông báo: {sheet.subject}", sheet.governing, sheet.agency, sheet.number_line,
                               sheet.date_line, fonts)  # fmt: skip
    pdf.set_xy(_LEFT, below + 8)
    pdf.set_font(_FAMILY, "B", 14)
    pdf.cell(width, 8, "THÔNG BÁO", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "B", 12)
    pdf.multi_cell(width, 6, sheet.subject, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(_FAMILY, "", 12)
    for paragraph in sheet.conclusion.split("\n"):
        pdf.multi_cell(width, 6.5, paragraph.rstrip() or " ", align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    half = width / 2
    y = pdf.get_y()
    pdf.set_font(_FAMILY, "B", 10)
    pdf.set_xy(_LEFT, y)
    pdf.cell(half, 5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "", 9)
    for line in sheet.recipients:
        pdf.set_x(_LEFT)
        pdf.multi_cell(half, 4.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "B", 12)
    pdf.set_xy(_LEFT + half, y)
    pdf.multi_cell(half, 6, sheet.signer_position.upper(), align="C")
    pdf.set_xy(_LEFT + half, y + 30)
    pdf.cell(half, 6, sheet.signer_name, align="C")
    return bytes(pdf.output())


def render_minutes(sheet: MinutesSheet, fonts: PdfFonts | None = None) -> bytes:
    pdf, width, below = _start(f"Biên bản: {sheet.title}", sheet.governing, sheet.agency, None, sheet.date_line,
                               fonts)  # fmt: skip
    pdf.set_xy(_LEFT, below + 8)
    pdf.set_font(_FAMILY, "B", 14)
    pdf.cell(width, 8, "BIÊN BẢN", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "B", 12)
    pdf.multi_cell(width, 6, sheet.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for i, (title, text) in enumerate(sheet.sections):
        pdf.set_font(_FAMILY, "B", 12)
        pdf.multi_cell(width, 7, f"{_ROMAN[i % len(_ROMAN)]}. {title.upper()}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(_FAMILY, "", 12)
        for paragraph in (text or "").split("\n"):
            pdf.multi_cell(width, 6.5, paragraph.rstrip() or " ", align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    # the signatures: the secretary (left), the chair (right)
    pdf.ln(6)
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    half = width / 2
    y = pdf.get_y()
    pdf.set_font(_FAMILY, "B", 12)
    pdf.set_xy(_LEFT, y)
    pdf.cell(half, 6, "THƯ KÝ", align="C")
    pdf.set_xy(_LEFT + half, y)
    pdf.cell(half, 6, "CHỦ TRÌ", align="C")
    pdf.set_font(_FAMILY, "I", 9)
    pdf.set_xy(_LEFT + half, y + 7)
    pdf.multi_cell(half, 4.5, sheet.signed_note, align="C")
    pdf.set_font(_FAMILY, "B", 12)
    pdf.set_xy(_LEFT, y + 30)
    pdf.cell(half, 6, sheet.secretary_name, align="C")
    pdf.set_xy(_LEFT + half, y + 30)
    pdf.cell(half, 6, sheet.chair_name, align="C")
    return bytes(pdf.output())
