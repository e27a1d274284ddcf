"""Read HR's employee list (CSV or XLSX) into numbered rows of our columns, within limits.

A file comes from outside, so every dimension of it is capped (`ImportLimits`, from the
settings): its size, its rows, its columns and the length of a cell. What a file declares about
itself is never trusted: an XLSX sheet's `<dimension>` is ignored (openpyxl would pad every row
to it: a 4.9 KB file declaring 16,384 columns took 340 MB) and rows are read one at a time,
stopping at the caps. Anything over a cap refuses the whole file with a message in Vietnamese
and English; nothing is cut off silently.

This module reads an XLSX file in the calling process; the hub reads uploads through
`hub.people.sheet_process`, which runs it in a child process under a memory and time limit
(openpyxl still loads a workbook's styles and shared strings whole).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from hub.domain import Invalid
from hub.people.text import fold

Cell = str | date | datetime | time | timedelta | int | float | bool | None

REQUIRED = ("employee_code", "full_name", "unit_code", "person_id")
OPTIONAL = ("position", "schedule_code", "active_from", "active_to", "unit_name", "service_start", "working_condition")
_ALIASES: dict[str, tuple[str, ...]] = {
    "employee_code": ("ma nhan vien", "ma can bo", "ma nv", "ma cb", "ma cbcc", "employee code"),
    "full_name": ("ho va ten", "ho ten", "ten", "name", "full name"),
    "unit_code": ("ma don vi", "don vi", "unit", "unit code"),
    "position": ("chuc vu", "chuc danh"),
    "schedule_code": ("ma ca", "ca", "ca lam viec", "schedule", "schedule code"),
    "person_id": ("ma faceid", "faceid", "ma khuon mat", "person id"),
    "active_from": ("tu ngay", "ngay bat dau", "ngay vao", "active from"),
    "active_to": ("den ngay", "ngay ket thuc", "ngay nghi viec", "active to"),
    # the name of a unit the file names that does not exist yet, when it is created with the import (hub.org)
    "unit_name": ("ten don vi", "unit name"),
    # leave (hub.leave): seniority counts from the service start; the working condition sets the base days
    "service_start": ("ngay bat dau cong tac", "bat dau cong tac", "service start"),
    "working_condition": ("dieu kien lam viec", "dieu kien lao dong", "working condition"),
}
_HEADER = {fold(name).replace("_", " "): column for column in _ALIASES for name in (column, *_ALIASES[column])}


@dataclass(frozen=True, slots=True)
class SheetColumns:
    """The columns one kind of file has: those it must have, and every name a header may give each one
    (folded: lower case, no diacritics, '_' as space). Employees' by default; the org units' in hub.org."""

    required: tuple[str, ...]
    header: Mapping[str, str]  # folded header text → our column name

    @classmethod
    def of(cls, required: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> SheetColumns:
        header = {fold(name).replace("_", " "): column for column in aliases for name in (column, *aliases[column])}
        return cls(tuple(required), header)

    def as_json(self) -> dict[str, Any]:
        return {"required": list(self.required), "header": dict(self.header)}


EMPLOYEE_COLUMNS = SheetColumns(REQUIRED, _HEADER)
XLSX_LAST_ROW = 1_048_576  # the format's own last row: a sheet cannot go further


class ImportFileError(Invalid):
    """The file as a whole cannot be read (not CSV/XLSX, not UTF-8, over a limit, a required column missing)."""


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """What one employee file may hold; from HubSettings (`from_settings`), never defaulted here."""

    max_file_bytes: int
    max_rows: int  # data rows, the header aside
    max_columns: int  # columns holding anything
    max_cell_chars: int
    reader_memory_bytes: int  # address space of the XLSX reading process (hub.people.sheet_process)
    reader_seconds: float  # … and its time

    @classmethod
    def from_settings(cls, settings: Any) -> ImportLimits:  # an ImportSettings ([imports])
        """From the settings' section (hub.settings; typed loosely so that this module needs no settings import)."""
        return cls(
            max_file_bytes=int(settings.max_file_mb * 1024 * 1024),
            max_rows=settings.max_rows,
            max_columns=settings.max_columns,
            max_cell_chars=settings.max_cell_chars,
            reader_memory_bytes=settings.reader_memory_mb * 1024 * 1024,
            reader_seconds=settings.reader_seconds,
        )


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row as read: `number` is the row the person sees in Excel (the header is row 1)."""

    number: int
    values: Mapping[str, Cell]


def check_size(size: int, limits: ImportLimits) -> None:
    """ImportFileError when a file of `size` bytes is over the limit (checked before reading it)."""
    limit = limits.max_file_bytes
    if size > limit:
        shown = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
        raise ImportFileError(
            f"tệp lớn hơn {shown}, hãy chia thành nhiều tệp / the file is larger than {shown}; split it into several"
        )


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(
    data: bytes, limits: ImportLimits, columns: SheetColumns = EMPLOYEE_COLUMNS
) -> tuple[list[SourceRow], list[str]]:
    """CSV in UTF-8 (Excel's "CSV UTF-8", BOM or not), separated by commas, semicolons or tabs.

    Only the separator is guessed (from the header line); quoting is always Excel's, where `""`
    inside a quoted field is one quote. The sniffer's whole dialect is not used: from a header
    without quotes it guesses `doublequote=False` and `"Lê ""Bé"" Thị F"` came out as `Lê "Bé"" Thị F"`.
    """
    check_size(len(data), limits)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"tệp CSV không phải UTF-8 (byte {exc.start}); trong Excel hãy lưu dạng 'CSV UTF-8' / the CSV file is"
            f" not UTF-8 (byte {exc.start}); in Excel save it as 'CSV UTF-8'"
        ) from exc
    end = text.find("\n")
    header_line = text if end < 0 else text[:end]
    try:
        delimiter = csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = _Table(limits, columns)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            table.add(number, cells)
    except csv.Error as exc:  # raised while reading the record after the last one taken
        row = number + 1
        if "field larger than field limit" in str(exc):
            raise _too_long(row, None, limits) from exc
        raise ImportFileError(f"dòng {row}: không đọc được CSV ({exc}) / row {row}: unreadable CSV ({exc})") from exc
    return table.source_rows()


# --- XLSX --------------------------------------------------------------------------------------


def read_xlsx_here(
    data: bytes, limits: ImportLimits, columns: SheetColumns = EMPLOYEE_COLUMNS
) -> tuple[list[SourceRow], list[str]]:
    """The first worksheet of an XLSX workbook, read row by row in this process; date cells stay dates.

    The hub calls `hub.people.sheet_process.read_xlsx`, which runs this in a child process.
    """
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    check_size(len(data), limits)
    unreadable = (BadZipFile, OSError, KeyError, ValueError, TypeError, IndexError, AttributeError, ParseError)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as exc:
        raise _not_xlsx(exc) from exc
    table = _Table(limits, columns)
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ImportFileError("bảng tính không có trang nào / the workbook has no sheet")
        sheet = sheets[0]
        sheet.reset_dimensions()  # read the rows that are there, not the size the file claims
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > XLSX_LAST_ROW:  # openpyxl fills gaps up to a row number the file gives
                raise ImportFileError(
                    f"bảng tính có dòng sau dòng {XLSX_LAST_ROW:,} / the sheet has rows after row {XLSX_LAST_ROW:,}"
                )
            table.add(number, cells)
    except ImportFileError:
        raise
    except unreadable as exc:
        raise _not_xlsx(exc) from exc
    finally:
        workbook.close()
    return table.source_rows()


def _not_xlsx(exc: Exception) -> ImportFileError:
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return ImportFileError(f"không đọc được bảng tính XLSX ({reason}) / not a readable XLSX workbook ({reason})")


# --- the table, within the limits ---------------------------------------------------------------


def column_letter(index: int) -> str:
    """Excel's name of a 1-based column (1 → A, 28 → AB)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_long(row: int, column: int | None, limits: ImportLimits) -> ImportFileError:
    where_vi = f"dòng {row}" + (f", cột {column_letter(column)}" if column else "")
    where_en = f"row {row}" + (f", column {column_letter(column)}" if column else "")
    n = limits.max_cell_chars
    return ImportFileError(f"{where_vi}: ô dài hơn {n:,} ký tự / {where_en}: a cell longer than {n:,} characters")


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Table:
    """The rows of a file as they are read, refusing the file at the first row, column or cell over a limit.

    Empty rows after the last allowed row (Excel's formatted-but-empty rows) are passed over without
    being kept; a row there holding anything refuses the file."""

    def __init__(self, limits: ImportLimits, columns: SheetColumns = EMPLOYEE_COLUMNS) -> None:
        self.limits = limits
        self.columns = columns
        self.rows: list[tuple[int, list[Cell]]] = []

    def add(self, number: int, cells: Sequence[Cell]) -> None:
        width = len(cells)
        while width and _blank(cells[width - 1]):
            width -= 1
        limits = self.limits
        if width > limits.max_columns:
            raise ImportFileError(
                f"dòng {number}, cột {column_letter(width)}: tối đa {limits.max_columns} cột có dữ liệu / row {number},"
                f" column {column_letter(width)}: at most {limits.max_columns} columns may hold anything"
            )
        if number > limits.max_rows + 1:
            if width:
                raise ImportFileError(
                    f"tệp có hơn {limits.max_rows:,} dòng dữ liệu (dòng {number}); hãy chia thành nhiều tệp"
                    f" / the file has more than {limits.max_rows:,} data rows (row {number}); split it into several"
                )
            return
        for index in range(width):
            value = cells[index]
            if isinstance(value, str):
                if len(value) > limits.max_cell_chars:
                    raise _too_long(number, index + 1, limits)
                if "\x00" in value:  # PostgreSQL stores no NUL in text
                    letter = column_letter(index + 1)
                    raise ImportFileError(
                        f"dòng {number}, cột {letter}: ô chứa ký tự NUL / row {number}, column {letter}: a cell holds"
                        " a NUL character"
                    )
        if number == 1 or width:
            self.rows.append((number, list(cells[:width])))

    def source_rows(self) -> tuple[list[SourceRow], list[str]]:
        """The data rows by our column names, and the names of the columns that are not ours."""
        if not self.rows:
            raise ImportFileError("tệp trống / the file is empty")
        header = [str(h).strip() if h is not None else "" for h in self.rows[0][1]]
        columns, ignored = _columns(header, self.columns)
        rows = []
        for number, cells in self.rows[1:]:
            values = {column: cells[i] if i < len(cells) else None for i, column in columns.items()}
            if all(_blank(v) for v in values.values()):
                continue  # a row with something in other columns only (a note, a total)
            rows.append(SourceRow(number, values))
        return rows, ignored


def _columns(header: Sequence[str], known: SheetColumns = EMPLOYEE_COLUMNS) -> tuple[dict[int, str], list[str]]:
    """Position → our column name, from the header row; the names of the other columns."""
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        column = known.header.get(fold(name).replace("_", " "))
        if column is None:
            if name:
                ignored.append(name)
        elif column in columns.values():
            raise ImportFileError(
                f"dòng 1: cột {column!r} xuất hiện hai lần ({name!r})"
                f" / row 1: column {column!r} appears twice ({name!r})"
            )
        else:
            columns[index] = column
    missing = [c for c in known.required if c not in columns.values()]
    if missing:
        found = ", ".join(h for h in header if h)[:300]
        raise ImportFileError(
            f"dòng 1: thiếu cột bắt buộc {', '.join(missing)} (có: {found}) / row 1: required column(s) missing:"
            f" {', '.join(missing)} (found: {found})"
        )
    return columns, ignored


def as_source_rows(rows: Iterable[SourceRow | Mapping[str, Cell]]) -> list[SourceRow]:
    """Rows as read, or plain mappings by our column names numbered as if a header were row 1."""
    return [r if isinstance(r, SourceRow) else SourceRow(i, r) for i, r in enumerate(rows, start=2)]
