"""A `ReportDocument` as an Excel workbook (openpyxl): title block, table, legend, signature block.

Text goes in as Unicode strings, so Vietnamese is stored exactly; the header rows are frozen and
the page is set up landscape, fit to one page wide, so the sheet prints as it is signed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from hub.reports.documents import LOCAL, NATIONAL_TITLE, Cell, ReportDocument

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_SHADE_FILL = PatternFill("solid", fgColor="EEEEEE")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_ALIGN = {
    "left": Alignment(horizontal="left", vertical="center"),
    "center": Alignment(horizontal="center", vertical="center"),
    "right": Alignment(horizontal="right", vertical="center"),
}
#: invalid in a worksheet's name
_SHEET_NAME_BAD = str.maketrans({c: "-" for c in "[]:*?/\\"})


def render_xlsx(doc: ReportDocument) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = doc.sheet_name.translate(_SHEET_NAME_BAD)[:31]
    ncols = len(doc.columns)
    last_col = get_column_letter(ncols)

    def banner(row: int, text: str, font: Font | None = None, align: str = "center") -> None:
        ws.cell(row=row, column=1, value=text)
        ws.merge_cells(f"A{row}:{last_col}{row}")
        cell = ws.cell(row=row, column=1)
        cell.alignment = Alignment(horizontal=align, vertical="center")
        if font is not None:
            cell.font = font

    top = 0
    if doc.agency_lines:  # the official heading: agency lines left, Quốc hiệu and tiêu ngữ right
        half = max(1, ncols // 2)
        right = get_column_letter(half + 1)
        for k in range(max(len(doc.agency_lines), len(NATIONAL_TITLE))):
            row = k + 1
            if k < len(doc.agency_lines):
                ws.cell(row=row, column=1, value=doc.agency_lines[k]).font = _BOLD if k else Font()
                if half > 1:
                    ws.merge_cells(f"A{row}:{get_column_letter(half)}{row}")
                ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")
            if k < len(NATIONAL_TITLE):
                ws.cell(row=row, column=half + 1, value=NATIONAL_TITLE[k]).font = _BOLD
                if ncols > half + 1:
                    ws.merge_cells(f"{right}{row}:{last_col}{row}")
                ws.cell(row=row, column=half + 1).alignment = Alignment(horizontal="center")
        top = max(len(doc.agency_lines), len(NATIONAL_TITLE)) + 1
    banner(top + 1, f"Đơn vị: {doc.unit_name}", _BOLD, "left")
    banner(top + 2, doc.title, _TITLE)
    banner(top + 3, doc.period, Font(italic=True))
    header = top + 5
    has_sub = any(c.subheader for c in doc.columns)
    for j, column in enumerate(doc.columns, start=1):
        cell = ws.cell(row=header, column=j, value=column.header)
        cell.font, cell.alignment, cell.border, cell.fill = _BOLD, _CENTER, _BOX, _HEADER_FILL
        if has_sub:
            sub = ws.cell(row=header + 1, column=j, value=column.subheader or None)
            sub.font, sub.alignment, sub.border, sub.fill = _BOLD, _CENTER, _BOX, _HEADER_FILL
            if not column.subheader:
                ws.merge_cells(start_row=header, start_column=j, end_row=header + 1, end_column=j)
        ws.column_dimensions[get_column_letter(j)].width = max(4.0, column.width * 4.2)
    first_body = header + (2 if has_sub else 1)
    aligns = [_ALIGN[c.align] for c in doc.columns]
    shaded = doc.shaded_columns
    r = first_body
    for values in doc.rows[:1]:  # the first row through openpyxl; the others copy its cells' styles
        for j, value in enumerate(values):
            cell = ws.cell(row=r, column=j + 1, value=value)
            cell.border = _BOX
            cell.alignment = aligns[j]
            if j in shaded:
                cell.fill = _SHADE_FILL
    r += len(doc.rows)
    ws.freeze_panes = ws.cell(row=first_body, column=4 if ncols > 6 else 1)

    r += 1
    for note in doc.notes:
        banner(r, note, None, "left")
        r += 1
    if doc.legend:
        r += 1
        ws.cell(row=r, column=1, value="Ký hiệu chấm công:").font = _BOLD
        r += 1
        for symbol, meaning in doc.legend:
            ws.cell(row=r, column=2, value=symbol).alignment = _ALIGN["center"]
            ws.cell(row=r, column=3, value=meaning)
            r += 1
    r += 1
    stamp = doc.generated_at.astimezone(LOCAL) if doc.generated_at else datetime.now(LOCAL)
    _signatures(ws, r, doc, ncols, f"Ngày {stamp.day} tháng {stamp.month} năm {stamp.year}")

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header}:{first_body - 1}"
    out = io.BytesIO()
    wb.save(out)
    if len(doc.rows) < 2:
        return out.getvalue()
    return _with_body_rows(out.getvalue(), doc.rows, first_body)


_SHEET_PATH = "xl/worksheets/sheet1.xml"
#: characters XML 1.0 cannot carry (openpyxl refuses them too); a report never needs them
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _with_body_rows(xlsx: bytes, rows: Sequence[Sequence[Cell]], first_body: int) -> bytes:
    """The workbook with the table's rows after the first written straight into the sheet's XML.

    openpyxl costs ~20 µs a styled cell (80 s for a 10,000-person timesheet's 450,000 cells): it
    builds an object per cell and looks its style up. The body's cells only repeat the first
    row's styles column by column, so the first row is written by openpyxl, its cells' style
    indexes are read back from the sheet XML, and the other rows are written as XML text with
    those indexes (strings inline, numbers as values, empty cells keep their border).
    """
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    names = source.namelist()
    sheet = source.read(_SHEET_PATH).decode("utf-8")
    row_start = sheet.index(f'<row r="{first_body}"')
    row_end = sheet.index("</row>", row_start) + len("</row>")
    styles = dict(re.findall(r'<c r="([A-Z]+)\d+"(?:[^>]*?) s="(\d+)"', sheet[row_start:row_end]))
    letters = [get_column_letter(j + 1) for j in range(max(len(r) for r in rows))]
    parts = [sheet[:row_end]]
    for n, values in enumerate(rows[1:], start=first_body + 1):
        cells = []
        for letter, value in zip(letters, values, strict=False):
            style = styles.get(letter)
            s_attr = f' s="{style}"' if style else ""
            if value is None or value == "":
                cells.append(f'<c r="{letter}{n}"{s_attr}/>')
            elif isinstance(value, bool) or not isinstance(value, int | float):
                text = escape(_ILLEGAL.sub("", str(value)))
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c r="{letter}{n}"{s_attr} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            else:
                cells.append(f'<c r="{letter}{n}"{s_attr}><v>{value!r}</v></c>')
        parts.append(f'<row r="{n}">{"".join(cells)}</row>')
    parts.append(sheet[row_end:])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            data = "".join(parts).encode("utf-8") if name == _SHEET_PATH else source.read(name)
            target.writestr(source.getinfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _signatures(ws, row: int, doc: ReportDocument, ncols: int, date_line: str) -> None:  # type: ignore[no-untyped-def]
    """Signers side by side across the sheet's width; the date above the last (the unit head)."""
    n = len(doc.signatures)
    if n == 0:
        return
    width = max(1, ncols // n)
    for k, title in enumerate(doc.signatures):
        start = 1 + k * width
        end = ncols if k == n - 1 else start + width - 1
        if k == n - 1:
            _merged(ws, row, start, end, date_line, Font(italic=True))
        _merged(ws, row + 1, start, end, title, _BOLD)
        _merged(ws, row + 2, start, end, "(Ký, ghi rõ họ tên)", Font(italic=True))


def _merged(ws, row: int, start: int, end: int, text: str, font: Font) -> None:  # type: ignore[no-untyped-def]
    cell = ws.cell(row=row, column=start, value=text)
    cell.font = font
    cell.alignment = Alignment(horizontal="center")
    if end > start:
        ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)
