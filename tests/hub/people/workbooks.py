"""XLSX files for the import tests, written by openpyxl and, for the hostile ones, patched at the XML level.

Excel writes whole numbers as `<v>123</v>`, but other tools write `<v>123.0</v>`, which openpyxl reads
as a float; a crafted file can declare a sheet of any size (`<dimension ref="A1:XFD1048576"/>`) or put
one cell at the last row and column. `patched` rewrites the first sheet's XML of a real workbook so
the tests hold exactly those bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows: Sequence[Sequence[object]]) -> bytes:
    """A real one-sheet workbook holding `rows`."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patched(data: bytes, change: Callable[[str], str], part: str = SHEET) -> bytes:
    """The same workbook with one part's XML text changed by `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                content = change(content.decode()).encode()
            target.writestr(info.filename, content)
    return out.getvalue()


def declared(data: bytes, ref: str) -> bytes:
    """The workbook with its sheet declaring the dimension `ref` (e.g. "A1:XFD1048576")."""

    def change(xml: str) -> str:
        start = xml.index("<dimension ")
        end = xml.index("/>", start) + 2
        return xml[:start] + f'<dimension ref="{ref}"/>' + xml[end:]

    return patched(data, change)


def extra_rows(data: bytes, rows_xml: str) -> bytes:
    """The workbook with `rows_xml` (`<row …>…</row>` elements) added at the end of its sheet data."""
    return patched(data, lambda xml: xml.replace("</sheetData>", rows_xml + "</sheetData>"))
