"""Import employees from HR's CSV or XLSX file (nhập danh sách nhân viên), with a report of rejected rows.

Rules chosen:

- Rows are matched by employee code: a new code is inserted, a known one updated. Importing
  the same file twice changes nothing, so HR can fix the rejected rows and import the whole
  file again.
- Default: the valid rows are imported in ONE transaction (all of them or, on a database error,
  none) and the rejected rows are reported — one bad row out of 2,000 does not block the other
  1,999. With `all_or_nothing=True` nothing is written when any row is rejected (for a first
  load, where HR wants the list complete before it goes live).
- A value that is ambiguous is rejected rather than guessed: a person_id or an employee code
  appearing twice in the file rejects every row that carries it; a person_id already held by
  another employee is rejected.
- Headers may be English (`employee_code`) or Vietnamese with or without marks ("Mã nhân viên",
  "Ho va ten"); unknown columns are ignored and listed in the report.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import psycopg

from hub.people import repository
from hub.people.models import EmployeeRecord
from hub.people.text import fold

DEFAULT_SCHEDULE = "HC"
REQUIRED = ("employee_code", "full_name", "unit_code", "person_id")
OPTIONAL = ("position", "schedule_code", "active_from", "active_to")
_ALIASES: dict[str, tuple[str, ...]] = {
    "employee_code": ("ma nhan vien", "ma can bo", "ma nv", "ma cb", "ma cbcc", "employee code"),
    "full_name": ("ho va ten", "ho ten", "ten", "name", "full name"),
    "unit_code": ("ma don vi", "don vi", "unit", "unit code"),
    "position": ("chuc vu", "chuc danh"),
    "schedule_code": ("ma ca", "ca", "ca lam viec", "schedule", "schedule code"),
    "person_id": ("ma faceid", "faceid", "ma khuon mat", "person id"),
    "active_from": ("tu ngay", "ngay bat dau", "ngay vao", "active from"),
    "active_to": ("den ngay", "ngay ket thuc", "ngay nghi viec", "active to"),
}
_HEADER = {fold(name).replace("_", " "): column for column in _ALIASES for name in (column, *_ALIASES[column])}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_PERSON_ID = re.compile(r"^\S{1,64}$")

Cell = str | date | datetime | int | float | None


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, not UTF-8, a required column missing)."""


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row as read: `number` is the row the person sees in Excel (the header is row 1)."""

    number: int
    values: Mapping[str, Cell]


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0  # data rows read
    inserted: int = 0
    updated: int = 0
    rejected: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False  # False when all_or_nothing refused the file

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.rejected})

    def summary(self) -> str:
        """One line for the CLI and the UI."""
        verb = "imported" if self.written else "nothing imported"
        return (
            f"{self.rows} rows: {self.inserted} added, {self.updated} updated, "
            f"{len(self.rejected_rows)} rejected ({verb})"
        )


# --- reading files ------------------------------------------------------------------------


def read_employee_file(path: Path) -> tuple[list[SourceRow], list[str]]:
    """Rows of a .csv or .xlsx file and the columns it has that are not ours."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path.read_bytes())
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path.read_bytes())
    raise ImportFileError(f"{path.name}: expected a .csv or .xlsx file")


def read_csv(data: bytes) -> tuple[list[SourceRow], list[str]]:
    """CSV in UTF-8 (Excel's "CSV UTF-8", BOM or not), separated by commas, semicolons or tabs."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"the CSV file is not UTF-8 (byte {exc.start}); in Excel save it as 'CSV UTF-8'") from exc
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = list(csv.reader(io.StringIO(text), dialect))
    return _rows(table)


def read_xlsx(data: bytes) -> tuple[list[SourceRow], list[str]]:
    """The first worksheet of an XLSX workbook; date cells stay dates."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ImportFileError(f"not a readable XLSX workbook: {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _rows(table)


def _rows(table: list[list[Cell]]) -> tuple[list[SourceRow], list[str]]:
    if not table:
        raise ImportFileError("the file is empty")
    header = [str(h).strip() if h is not None else "" for h in table[0]]
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        column = _HEADER.get(fold(name).replace("_", " "))
        if column is None:
            if name:
                ignored.append(name)
        elif column in columns.values():
            raise ImportFileError(f"row 1: column {column!r} appears twice ({name!r})")
        else:
            columns[index] = column
    missing = [c for c in REQUIRED if c not in columns.values()]
    if missing:
        raise ImportFileError(f"row 1: required column(s) missing: {', '.join(missing)} (found: {', '.join(header)})")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {column: cells[i] if i < len(cells) else None for i, column in columns.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue  # blank line, or Excel's formatted-but-empty rows
        rows.append(SourceRow(number, values))
    return rows, ignored


# --- checking and importing ---------------------------------------------------------------


def import_employees(
    conn: psycopg.Connection,
    rows: Iterable[SourceRow | Mapping[str, Cell]],
    *,
    all_or_nothing: bool = False,
    ignored_columns: Iterable[str] = (),
) -> ImportReport:
    """Check every row, then upsert the valid ones in one transaction; see the module's rules.

    Plain mappings (canonical column names) are numbered as if a header were row 1.
    """
    source = [r if isinstance(r, SourceRow) else SourceRow(i, r) for i, r in enumerate(rows, start=2)]
    report = ImportReport(rows=len(source), ignored_columns=list(ignored_columns))
    with conn.transaction():
        units = repository.unit_ids_by_code(conn)
        schedules = repository.schedule_codes(conn)
        checked: list[tuple[int, EmployeeRecord]] = []
        for row in source:
            record, errors = _check(row, units, schedules)
            report.rejected += errors
            if record is not None:
                checked.append((row.number, record))
        report.rejected += _duplicates(checked)
        report.rejected += _person_ids_taken(conn, checked)
        bad = {e.row for e in report.rejected}
        valid = [record for number, record in checked if number not in bad]
        report.rejected.sort(key=lambda e: (e.row, e.column))
        if report.rejected and all_or_nothing:
            return report
        report.inserted, report.updated = repository.upsert_employees(conn, valid)
        report.written = True
    return report


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 00123 typed as a number as 123.0
    return " ".join(str(value).split())


def _day(value: Cell) -> date | None:
    """A date cell, or text as 2026-01-31, 31/01/2026 or 31-01-2026 (Vietnamese order: day first)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use dd/mm/yyyy or yyyy-mm-dd)")


def _check(
    row: SourceRow, units: Mapping[str, int], schedules: set[str]
) -> tuple[EmployeeRecord | None, list[RowError]]:
    values = row.values
    errors: list[RowError] = []

    def fail(column: str, reason: str) -> None:
        errors.append(RowError(row.number, column, reason))

    code = _text(values.get("employee_code"))
    if not code:
        fail("employee_code", "missing")
    elif not _CODE.match(code):
        fail("employee_code", f"{code!r}: use letters, digits, '.', '_' or '-' (at most 32)")
    name = _text(values.get("full_name"))
    if not name:
        fail("full_name", "missing")
    elif len(name) > 200:
        fail("full_name", "longer than 200 characters")
    unit_code = _text(values.get("unit_code"))
    if not unit_code:
        fail("unit_code", "missing")
    elif unit_code not in units:
        fail("unit_code", f"unknown unit code {unit_code!r}")
    schedule = _text(values.get("schedule_code")) or DEFAULT_SCHEDULE
    if schedule not in schedules:
        fail("schedule_code", f"unknown work schedule {schedule!r}")
    person_id = _text(values.get("person_id"))
    if not person_id:
        fail("person_id", "missing")
    elif not _PERSON_ID.match(person_id):
        fail("person_id", f"{person_id!r}: at most 64 characters, no spaces")
    position = _text(values.get("position")) or None
    dates: dict[str, date | None] = {}
    for column in ("active_from", "active_to"):
        try:
            dates[column] = _day(values.get(column))
        except ValueError as exc:
            fail(column, str(exc))
    start, end = dates.get("active_from"), dates.get("active_to")
    if start and end and end < start:
        fail("active_to", f"{end:%d/%m/%Y} is before active_from {start:%d/%m/%Y}")
    if errors:
        return None, errors
    search = fold(f"{name} {code} {person_id}")
    return EmployeeRecord(code, name, search, units[unit_code], position, schedule, person_id, start, end), []


def _duplicates(checked: list[tuple[int, EmployeeRecord]]) -> list[RowError]:
    """A code or FaceID id on two rows of the file: which one is right is HR's call, so both are rejected."""
    errors = []
    for column in ("employee_code", "person_id"):
        seen: dict[str, list[int]] = defaultdict(list)
        for number, record in checked:
            seen[getattr(record, column)].append(number)
        for value, numbers in seen.items():
            if len(numbers) > 1:
                for number in numbers:
                    others = ", ".join(str(n) for n in numbers if n != number)
                    errors.append(RowError(number, column, f"duplicate {column} {value!r} (also on row {others})"))
    return errors


def _person_ids_taken(conn: psycopg.Connection, checked: list[tuple[int, EmployeeRecord]]) -> list[RowError]:
    owners = repository.owners_of_person_ids(conn, [r.person_id for _, r in checked])
    return [
        RowError(number, "person_id", f"duplicate person_id {r.person_id!r}: held by employee {owners[r.person_id]}")
        for number, r in checked
        if r.person_id in owners and owners[r.person_id] != r.employee_code
    ]
