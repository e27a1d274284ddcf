"""The visible signature of a released outgoing PDF (issue 15 item 3): the signer's name, position, the number
and symbol and the signing time (ISO 8601 in Hà Nội's zone, Decree 30 Appendix I), drawn as the appearance of
the agency's PAdES signature in a box at the foot of the last page, right side.

pyHanko's text stamps need HarfBuzz (`uharfbuzz`) for a font with Vietnamese letters, which the hub does not
install; so the box is drawn with fpdf2 in DejaVu Sans (text a reader can extract) and handed to pyHanko as
a `StaticStampStyle` (the stamp's background is that one-page PDF), inside the signature's widget.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

from hub.documents.models import LOCAL
from hub.reports.export_pdf import PdfFonts

WIDTH_PT, HEIGHT_PT = 240.0, 74.0  # the box: about 85 × 26 mm
MARGIN_PT = 36.0  # from the page's right and bottom edges
_PT_PER_MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class Stamp:
    signer_name: str
    position: str  # "KT. CHI CỤC TRƯỞNG - PHÓ CHI CỤC TRƯỞNG"
    number: str  # "Số: 01/QĐ-HQKV2"
    at: datetime
    agency: str | None = None  # the certificate's organisation, if known

    @property
    def time_text(self) -> str:
        """`2026-01-05T09:00:00+07:00`."""
        return self.at.astimezone(LOCAL).replace(microsecond=0).isoformat()

    @property
    def lines(self) -> list[str]:
        return [
            f"Người ký: {self.signer_name}",
            f"Chức vụ: {self.position}",
            *([f"Cơ quan: {self.agency}"] if self.agency else []),
            self.number,
            f"Thời gian ký: {self.time_text}",
        ]


def stamp_pdf(stamp: Stamp, fonts: PdfFonts | None = None) -> bytes:
    """The box as a one-page PDF of WIDTH_PT × HEIGHT_PT: a blue frame, the lines in DejaVu Sans."""
    fonts = fonts or PdfFonts.installed()
    w, h = WIDTH_PT / _PT_PER_MM, HEIGHT_PT / _PT_PER_MM
    pdf = FPDF(unit="mm", format=(w, h))
    pdf.set_creator("CCES")
    pdf.add_font("DejaVu", "", fonts.regular)
    pdf.add_font("DejaVu", "B", fonts.bold)
    pdf.set_auto_page_break(False)
    pdf.set_margins(2, 2, 2)
    pdf.add_page()
    pdf.set_draw_color(11, 79, 138)
    pdf.set_line_width(0.4)
    pdf.rect(0.5, 0.5, w - 1, h - 1)
    pdf.set_text_color(11, 79, 138)
    lines = stamp.lines
    step = (h - 3) / len(lines)
    for i, line in enumerate(lines):
        pdf.set_font("DejaVu", "B" if i == 0 else "", 7.5)
        while pdf.get_string_width(line) > w - 4 and len(line) > 4:
            line = line[:-2] + "…"
        pdf.text(2, 2 + step * (i + 0.75), line)
    return bytes(pdf.output())


@contextmanager
def stamp_style(stamp: Stamp) -> Iterator[Any]:
    """pyHanko's StaticStampStyle over the drawn box (its PDF lives in a temporary file while signing)."""
    from pyhanko.stamp import StaticStampStyle

    with tempfile.TemporaryDirectory(prefix="cces-stamp-") as folder:
        path = Path(folder) / "stamp.pdf"
        path.write_bytes(stamp_pdf(stamp))
        yield StaticStampStyle.from_pdf_file(str(path), border_width=0)


def field_spec(writer: Any, name: str) -> Any:
    """A new signature field `name` on the last page, in the box at its foot, right side."""
    from pyhanko.sign import fields

    page = writer.find_page_for_modification(-1)[0].get_object()
    media = page.get("/MediaBox") or (0, 0, 595, 842)  # inherited from the page tree: A4 is a fair guess
    x1, y1, x2, _ = (float(v) for v in media)
    box = (int(x2 - MARGIN_PT - WIDTH_PT), int(y1 + MARGIN_PT), int(x2 - MARGIN_PT), int(y1 + MARGIN_PT + HEIGHT_PT))
    return fields.SigFieldSpec(name, on_page=-1, box=box)
