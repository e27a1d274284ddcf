"""Reading a file list (danh mục hồ sơ) from an XLSX sheet laid out as Decree 30 Appendix V prints it:
columns Số và ký hiệu hồ sơ | Tên đề mục và tiêu đề hồ sơ | Thời hạn bảo quản | Người lập hồ sơ | Ghi chú.

- a major heading row: `I. TCCB` (Roman numeral, then the heading's abbreviation) | its title
- a sub-heading row: `1` or `1.` | its title
- a file row: `01.TCCB` | its title | `Vĩnh viễn` or a number of years (or a retention code) | keeper | note
- other rows (the title, the column headers, empty rows) are skipped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from hub.documents.casefiles.models import CaseFileError, both

MAX_ROWS = 5000
MAX_BYTES = 5_000_000
_MAJOR = re.compile(r"^([IVXLCDM]+)\.?\s*([0-9A-Za-zĐđÀ-ỹ]{1,20})$")
_SUB = re.compile(r"^(\d{1,3})\.?$")
_FILE = re.compile(r"^(\d{1,4})\.([0-9A-Za-zĐđÀ-ỹ]{1,20})$")

Row = tuple[int, str, str, str, str | None, str | None, str | None]  # line, kind, code, title, retention, keeper, note


def _cell(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    text = " ".join(text.split())
    return text[:limit] if text else None


def parse_rows(rows: Sequence[Sequence[Any]]) -> list[Row]:
    if len(rows) > MAX_ROWS:
        raise CaseFileError(both(f"tối đa {MAX_ROWS} dòng", f"{MAX_ROWS} rows at most"))
    out: list[Row] = []
    for line, row in enumerate(rows, 1):
        cells = list(row) + [None] * 5
        first = _cell(cells[0], 40) or ""
        title = _cell(cells[1], 500)
        if not first or not title:
            continue
        if m := _MAJOR.match(first):
            out.append((line, "major", m.group(2), title[:300], None, None, None))
        elif _SUB.match(first):
            out.append((line, "sub", first.rstrip("."), title[:300], None, None, None))
        elif _FILE.match(first):
            retention = _cell(cells[2], 20)
            out.append((line, "file", first, title, retention, _cell(cells[3], 100), _cell(cells[4], 500)))
    if not any(r[1] == "file" for r in out):
        raise CaseFileError(
            both(
                "không đọc được hồ sơ nào (cột A: I. TCCB, 1, 01.TCCB)", "no file read (column A: I. TCCB, 1, 01.TCCB)"
            )
        )
    return out


def read_xlsx(data: bytes) -> list[tuple[Any, ...]]:
    """The rows of the first sheet."""
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise CaseFileError(both("tệp quá lớn (tối đa 5 MB)", "the file is too large (5 MB at most)"))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same refusal
        raise CaseFileError(both("không đọc được tệp XLSX", "not a readable XLSX file")) from exc
    sheet = book.worksheets[0]
    rows = []
    for n, row in enumerate(sheet.iter_rows(values_only=True)):
        if n >= MAX_ROWS:
            raise CaseFileError(both(f"tối đa {MAX_ROWS} dòng", f"{MAX_ROWS} rows at most"))
        rows.append(tuple(row[:5]))
    return rows
