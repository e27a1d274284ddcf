"""A `ReportDocument` as a PDF (fpdf2): A4 landscape, the table's header repeated on every page,
page numbers, the legend, and the signature block.

Vietnamese needs a font with its letters (ễ, ộ, ữ …): DejaVu Sans is embedded (subset, with a
ToUnicode map, so the text can be searched and copied). It is not kept in this repository: it
comes from an installed package — matplotlib's wheel ships DejaVu Sans in `mpl-data/fonts/ttf`
— and is found without importing matplotlib. `PdfFonts` lets a deployment point at other files.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hub.reports.documents import LOCAL, OfficialHeading, ReportDocument
from hub.reports.heading import draw_heading

_PT = 25.4 / 72  # millimetres per point
_MARGIN = 10.0
_ALIGN = {"left": "L", "center": "C", "right": "R"}
_FAMILY = "DejaVu"


class FontMissing(RuntimeError):
    """No font covering Vietnamese was found (install the hub extra: it brings matplotlib's DejaVu Sans)."""


@dataclass(frozen=True, slots=True)
class PdfFonts:
    regular: Path
    bold: Path
    italic: Path

    @classmethod
    def installed(cls) -> PdfFonts:
        """DejaVu Sans from the installed matplotlib package's data (the package is not imported)."""
        spec = importlib.util.find_spec("matplotlib")
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        for folder in folders:
            ttf = Path(folder) / "mpl-data" / "fonts" / "ttf"
            fonts = cls(ttf / "DejaVuSans.ttf", ttf / "DejaVuSans-Bold.ttf", ttf / "DejaVuSans-Oblique.ttf")
            if all(p.is_file() for p in (fonts.regular, fonts.bold, fonts.italic)):
                return fonts
        raise FontMissing("DejaVu Sans not found: install matplotlib (pip install 'cces[hub]')")

    def install(self, pdf: FPDF, family: str = _FAMILY) -> None:
        """Add the regular, bold and italic faces to `pdf` under `family`."""
        pdf.add_font(family, "", self.regular)
        pdf.add_font(family, "B", self.bold)
        pdf.add_font(family, "I", self.italic)


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-8)
        self.set_font(_FAMILY, "I", 7)
        self.cell(0, 4, f"{self.footer_text}    Trang {self.page_no()}/{{nb}}", align="R")


def render_pdf(doc: ReportDocument, fonts: PdfFonts | None = None) -> bytes:
    fonts = fonts or PdfFonts.installed()
    pdf = _Pdf(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"{doc.title} — {doc.unit_name} — {doc.period}")
    pdf.set_creator("CCES")
    fonts.install(pdf)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(False)
    stamp = (doc.generated_at or datetime.now(LOCAL)).astimezone(LOCAL)
    pdf.footer_text = f"{doc.title} — {doc.unit_name} — lập lúc {stamp:%H:%M %d/%m/%Y}"
    pdf.add_page()
    bottom = pdf.h - 12.0

    if doc.agency_lines:  # the official heading: agency lines left, Quốc hiệu and tiêu ngữ right
        governing = doc.agency_lines[0] if len(doc.agency_lines) > 1 else None
        heading = OfficialHeading(governing, " ".join(doc.agency_lines[1:] or doc.agency_lines))
        draw_heading(pdf, heading, family=_FAMILY, x=_MARGIN, width=pdf.w - 2 * _MARGIN, size=9, left_share=0.5)
        pdf.ln(2)
    # title block
    pdf.set_font(_FAMILY, "B", 9)
    pdf.cell(0, 5, f"Đơn vị: {doc.unit_name}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(_FAMILY, "B", 14)
    pdf.cell(0, 7, doc.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, "I", 10)
    pdf.cell(0, 6, doc.period, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    usable = pdf.w - 2 * _MARGIN
    total = sum(c.width for c in doc.columns)
    widths = [usable * c.width / total for c in doc.columns]
    aligns = [_ALIGN[c.align] for c in doc.columns]
    size = doc.font_size
    row_h = size * _PT * 1.55
    has_sub = any(c.subheader for c in doc.columns)

    pdf.set_font(_FAMILY, "B", size)
    needs = [1 if c.subheader else _header_lines(pdf, c.header, w) for c, w in zip(doc.columns, widths, strict=True)]
    header_h = row_h * max(2 if has_sub else 1, *needs)

    def header() -> None:
        pdf.set_font(_FAMILY, "B", size)
        pdf.set_fill_color(221, 228, 238)
        y = pdf.get_y()
        x = _MARGIN
        for column, w, lines in zip(doc.columns, widths, needs, strict=True):
            if column.subheader:
                pdf.set_xy(x, y)
                pdf.cell(w, header_h - row_h, column.header, border=1, align="C", fill=True)
                pdf.set_xy(x, y + header_h - row_h)
                pdf.cell(w, row_h, column.subheader, border=1, align="C", fill=True)
            else:
                pdf.rect(x, y, w, header_h, style="DF")
                pdf.set_xy(x, y + (header_h - lines * row_h) / 2)
                pdf.multi_cell(w, row_h, column.header, align="C")
            x += w
        pdf.set_xy(_MARGIN, y + header_h)
        pdf.set_font(_FAMILY, "", size)
        pdf.set_fill_color(238, 238, 238)

    pdf.c_margin = 0.6  # narrow day columns: a symbol such as "KV*" must fit whole
    header()
    _body(pdf, doc, widths, aligns, row_h, bottom, header)

    # notes, legend, signatures
    pdf.ln(2)
    pdf.set_font(_FAMILY, "", 8)
    for note in doc.notes:
        _ensure(pdf, 5, bottom)
        pdf.multi_cell(0, 4.2, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.legend:
        _ensure(pdf, 12, bottom)
        pdf.set_font(_FAMILY, "B", 8)
        pdf.cell(0, 4.5, "Ký hiệu chấm công:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(_FAMILY, "", 8)
        legend = "    ".join(f"{symbol}: {meaning}" for symbol, meaning in doc.legend)
        pdf.multi_cell(0, 4.2, legend, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.signatures:
        _ensure(pdf, 36, bottom)
        pdf.ln(3)
        n = len(doc.signatures)
        w = usable / n
        y = pdf.get_y()
        pdf.set_font(_FAMILY, "I", 9)
        pdf.set_xy(_MARGIN + (n - 1) * w, y)
        pdf.cell(w, 5, f"Ngày {stamp.day} tháng {stamp.month} năm {stamp.year}", align="C")
        for k, title in enumerate(doc.signatures):
            pdf.set_xy(_MARGIN + k * w, y + 5)
            pdf.set_font(_FAMILY, "B", 10)
            pdf.cell(w, 5, title, align="C")
            pdf.set_xy(_MARGIN + k * w, y + 10)
            pdf.set_font(_FAMILY, "I", 8)
            pdf.cell(w, 5, "(Ký, ghi rõ họ tên)", align="C")
    return bytes(pdf.output())


def _body(
    pdf: FPDF,
    doc: ReportDocument,
    widths: list[float],
    aligns: list[str],
    row_h: float,
    bottom: float,
    header: Callable[[], None],
) -> None:
    """The table's rows, a page's block at a time: shaded columns as one rectangle each, the grid as
    lines, then each cell's text placed with `text()` where `cell()` would put it.

    A timesheet of 10,000 people has 450,000 cells: through `cell()` (layout, borders, fill per cell)
    that took ~70 µs each. Here a cell costs a text operator, and a text's width is measured once per
    distinct text (the sheet's symbols repeat). A text that does not fit is printed smaller (down to
    60 %: a symbol like "+/P*" is never cut), else cut with an ellipsis (a long name).
    """
    size = doc.font_size
    xs = [_MARGIN]
    for w in widths:
        xs.append(xs[-1] + w)
    right = xs[-1]
    margin = pdf.c_margin
    rise = 0.5 * row_h + 0.3 * size * _PT  # cell()'s baseline below the cell's top
    measured: dict[str, float] = {}
    rows = doc.rows
    shaded = sorted(doc.shaded_columns)
    i = 0
    while i < len(rows):
        top = pdf.get_y()
        fit = int((bottom - top) // row_h)
        if fit < 1:
            pdf.add_page()
            header()
            continue
        block = rows[i : i + fit]
        end = top + len(block) * row_h
        if shaded:
            pdf.set_fill_color(238, 238, 238)
            for j in shaded:
                pdf.rect(xs[j], top, widths[j], end - top, style="F")
        for k in range(len(block) + 1):
            pdf.line(_MARGIN, top + k * row_h, right, top + k * row_h)
        for x in xs:
            pdf.line(x, top, x, end)
        pdf.set_fill_color(0)  # text is drawn in the fill colour: black, as the text colour
        y = top + rise
        for values in block:
            for j, value in enumerate(values):
                if value is None or value == "":
                    continue
                text = _text(value)
                width = measured.get(text)
                if width is None:
                    width = measured[text] = pdf.get_string_width(text)
                w = widths[j]
                room = w - 2 * margin
                if width <= room:
                    align = aligns[j]
                    if align == "L":
                        x = xs[j] + margin
                    elif align == "C":
                        x = xs[j] + (w - width) / 2
                    else:
                        x = xs[j] + w - margin - width
                    pdf.text(x, y, text)
                elif width * 0.6 <= room:
                    pdf.set_font_size(size * room / width)
                    pdf.text(xs[j] + margin, y, text)
                    pdf.set_font_size(size)
                else:
                    while text and pdf.get_string_width(text + "…") > room:
                        text = text[:-1]
                    pdf.text(xs[j] + margin, y, text + "…")
            y += row_h
        pdf.set_y(end)
        i += len(block)
        if i < len(rows):
            pdf.add_page()
            header()


def _text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _header_lines(pdf: FPDF, text: str, w: float) -> int:
    """How many lines fpdf2 will wrap a header into in width `w` (measured, not guessed)."""
    return len(pdf.multi_cell(w, 1, text, align="C", dry_run=True, output="LINES"))


def _ensure(pdf: FPDF, height: float, bottom: float) -> None:
    if pdf.get_y() + height > bottom:
        pdf.add_page()
