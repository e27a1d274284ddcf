"""The viewer's name and the time stamped on every page of a secret document's PDF as it is downloaded.

Each page gets, over its content: the line "MẬT — Người xem: Nguyễn Văn A (nguyen-van-a) — 14:05
05/12/2026" across the page diagonally in light grey, and the same line small at the foot of the page
(a copy photographed or printed names who took it). The overlay is drawn with fpdf2 in DejaVu Sans
(Vietnamese letters, text a reader can extract) and laid on each page with pypdf; the original file
in the content store is never changed.
"""

from __future__ import annotations

import io
import math
from datetime import datetime

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError

from hub.documents.models import LOCAL, SECRECY_MARKS, Secrecy, both
from hub.domain import Conflict
from hub.reports.export_pdf import PdfFonts

_PT_PER_MM = 72 / 25.4
_FAMILY = "DejaVu"


class CannotWatermark(Conflict):
    """The PDF cannot be opened to stamp it (encrypted, broken): it is not handed out unstamped (409)."""


def watermark_text(display_name: str, username: str, at: datetime, secrecy: int) -> str:
    mark = SECRECY_MARKS.get(Secrecy(secrecy), "") if secrecy else ""
    moment = at.astimezone(LOCAL)
    return f"{mark + ' — ' if mark else ''}Người xem: {display_name} ({username}) — {moment:%H:%M %d/%m/%Y}"


def _overlay(width_pt: float, height_pt: float, text: str, fonts: PdfFonts) -> bytes:
    w, h = width_pt / _PT_PER_MM, height_pt / _PT_PER_MM
    pdf = FPDF(unit="mm", format=(w, h))
    pdf.set_creator("CCES")
    pdf.add_font(_FAMILY, "", fonts.regular)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_page()
    pdf.set_text_color(150, 150, 150)
    diagonal = math.hypot(w, h)
    size = max(8.0, min(28.0, diagonal * 0.8 / max(1, len(text)) * _PT_PER_MM * 1.9))
    pdf.set_font(_FAMILY, "", size)
    angle = math.degrees(math.atan2(h, w))
    with pdf.local_context(fill_opacity=0.35, stroke_opacity=0.35), pdf.rotation(angle, w / 2, h / 2):
        width = pdf.get_string_width(text)
        pdf.text(w / 2 - width / 2, h / 2, text)
    pdf.set_font(_FAMILY, "", 7)
    pdf.set_text_color(90, 90, 90)
    pdf.text(6, h - 4, text)
    return bytes(pdf.output())


def stamp(data: bytes, text: str, fonts: PdfFonts | None = None) -> bytes:
    """The PDF with `text` over every page."""
    fonts = fonts or PdfFonts.installed()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CannotWatermark(
                both("tệp PDF mật được mã hóa, không đóng dấu người xem được nên không tải về được",
                     "the secret PDF is encrypted: it cannot be stamped with the viewer, so it is not handed out")
            )  # fmt: skip
        writer = PdfWriter()
        overlays: dict[tuple[float, float], object] = {}
        for page in reader.pages:
            box = page.mediabox
            size = (float(box.width), float(box.height))
            if size not in overlays:
                overlays[size] = PdfReader(io.BytesIO(_overlay(*size, text, fonts))).pages[0]
            added = writer.add_page(page)
            rotate = int(page.get("/Rotate", 0) or 0) % 360
            if rotate:
                added.transfer_rotation_to_content()
                box = added.mediabox
                size = (float(box.width), float(box.height))
                if size not in overlays:
                    overlays[size] = PdfReader(io.BytesIO(_overlay(*size, text, fonts))).pages[0]
            added.merge_transformed_page(
                overlays[size],  # type: ignore[arg-type]
                Transformation().translate(float(box.left), float(box.bottom)),
            )
        writer.add_metadata({"/Subject": text})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except CannotWatermark:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise CannotWatermark(
            both(
                f"không mở được tệp PDF mật để đóng dấu người xem: {error}",
                f"the secret PDF cannot be opened to stamp the viewer: {error}",
            )
        ) from None
