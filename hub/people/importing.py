"""Import employees from HR's CSV or XLSX file (nhập danh sách nhân viên), with a report of rejected rows.

Reading the file (and its limits) is `hub.people.sheets`; this module checks the rows and writes them.

Rules chosen:

- Rows are matched by employee code: a new code is inserted, a known one updated. Importing
  the same file twice changes nothing, so HR can fix the rejected rows and import the whole
  file again.
- Default: the valid rows are imported in ONE transaction (all of them or, on a database error,
  none) and the rejected rows are reported — one bad row out of 2,000 does not block the other
  1,999. With `all_or_nothing=True` nothing is written when any row is rejected (for a first
  load, where HR wants the list complete before it goes live).
- An import changes only employees the importer may change: with a `scope` (the unit subtrees an
  HR account reaches), the unit every row names AND, for a known employee code, the unit the
  employee is in now must lie inside it; otherwise nothing is imported (`OutsideScope` names the
  rows). Codes are compared as the text they are written as: a number cell 123.0 is unit "123".
- A value that is ambiguous is rejected rather than guessed: a person_id or an employee code
  appearing twice in the file rejects every row that carries it; a person_id already held by
  another employee is rejected.
- Every employee added or changed comes back as an `EmployeeChange` (before and after, and the
  units it left and joined) for the audit log; a row that changes nothing is not one.
- Headers may be English (`employee_code`) or Vietnamese with or without marks ("Mã nhân viên",
  "Ho va ten"); unknown columns are ignored and listed in the report.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg

from hub.people import repository
from hub.people.models import Employee, EmployeeRecord
from hub.people.sheets import Cell, SourceRow, as_source_rows
from hub.people.sheets import ImportFileError as ImportFileError  # raised by the readers; errors map it to 422
from hub.people.text import fold

DEFAULT_SCHEDULE = "HC"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_PERSON_ID = re.compile(r"^\S{1,64}$")
_SHOWN = 40  # characters of a refused value quoted back in a reason


class OutsideScope(Exception):
    """Rows that would change employees or units outside the importer's reach: nothing was imported."""

    def __init__(self, problems: Sequence[tuple[int, str, str]]) -> None:
        self.rows = [number for number, _, _ in problems]
        shown = problems[:20]
        vi = "; ".join(f"dòng {n}: {what}" for n, what, _ in shown)
        en = "; ".join(f"row {n}: {what}" for n, _, what in shown)
        more = f" (+{len(problems) - len(shown)})" if len(problems) > len(shown) else ""
        super().__init__(
            f"dòng {self.rows[:20]}{more} ngoài phạm vi đơn vị của bạn ({vi}); không nhập gì / rows {self.rows[:20]}"
            f"{more} are outside your units ({en}); nothing was imported"
        )


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class EmployeeChange:
    """One employee added or changed by an import, as the audit log keeps it."""

    employee_code: str
    before: dict[str, Any] | None  # None: added
    after: dict[str, Any]
    unit_path: str  # the unit it is in now
    before_unit_path: str | None  # the unit it was in (None: added)


@dataclass
class ImportReport:
    rows: int = 0  # data rows read
    inserted: int = 0
    updated: int = 0
    rejected: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False  # False when all_or_nothing refused the file
    employee_codes: list[str] = field(default_factory=list)  # of the rows written
    changes: list[EmployeeChange] = field(default_factory=list)  # the employees added or changed
    unknown_units: list[str] = field(default_factory=list)  # unit codes rows name that do not exist (in file order)
    created_units: list[str] = field(default_factory=list)  # … created with the import (hub.org)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.rejected})

    def summary(self) -> str:
        """One line for the CLI and the UI."""
        verb = "imported" if self.written else "nothing imported"
        line = (
            f"{self.rows} rows: {self.inserted} added, {self.updated} updated, "
            f"{len(self.rejected_rows)} rejected ({verb})"
        )
        if self.created_units:
            line += f"; units created: {', '.join(self.created_units)}"
        return line

    def unknown_units_hint(self) -> str:
        """Which units the file names that do not exist, and how to have them created."""
        shown = ", ".join(self.unknown_units[:30]) + (" …" if len(self.unknown_units) > 30 else "")
        return (
            f"đơn vị chưa có: {shown} — tạo chúng cùng lúc nhập (chọn đơn vị cấp trên)"
            f" / units that do not exist: {shown} — create them with the import (choose their parent unit)"
        )


# --- checking and importing ---------------------------------------------------------------


def import_employees(
    conn: psycopg.Connection,
    rows: Iterable[SourceRow | Mapping[str, Cell]],
    *,
    all_or_nothing: bool = False,
    ignored_columns: Iterable[str] = (),
    scope: Sequence[str] | None = None,
) -> ImportReport:
    """Check every row, then upsert the valid ones in one transaction; see the module's rules.

    `scope`: the unit paths the importer reaches (None: everywhere); OutsideScope, with nothing
    written, when a row would change an employee or a unit outside them. Plain mappings
    (canonical column names) are numbered as if a header were row 1.
    """
    source = as_source_rows(rows)
    report = ImportReport(rows=len(source), ignored_columns=list(ignored_columns))
    with conn.transaction():
        units = repository.units_by_code(conn)
        # locked: the scope check and the audit's `before` hold until the upsert commits
        current = repository.employees_for_update(conn, [_text(r.values.get("employee_code")) for r in source])
        if scope is not None:
            outside = _outside(source, units, current, scope)
            if outside:
                raise OutsideScope(outside)
        schedules = repository.schedule_codes(conn)
        unit_ids = {code: unit_id for code, (unit_id, _) in units.items()}
        checked: list[tuple[int, EmployeeRecord]] = []
        for row in source:
            record, errors = _check(row, unit_ids, schedules)
            report.rejected += errors
            if record is not None:
                checked.append((row.number, record))
        report.unknown_units = list(missing_units(source, unit_ids))
        report.rejected += _duplicates(checked)
        report.rejected += _person_ids_taken(conn, checked)
        bad = {e.row for e in report.rejected}
        valid = [record for number, record in checked if number not in bad]
        report.rejected.sort(key=lambda e: (e.row, e.column))
        if report.rejected and all_or_nothing:
            return report
        report.inserted, report.updated = repository.upsert_employees(conn, valid)
        report.written = True
        report.employee_codes = [r.employee_code for r in valid]
        report.changes = _changes(valid, current, units)
    return report


def missing_units(rows: Iterable[SourceRow | Mapping[str, Cell]], known: Mapping[str, object]) -> dict[str, str]:
    """Unit code → name (the row's `unit_name`, else "") of the units the rows name that are not in `known`,
    in the order the file names them."""
    missing: dict[str, str] = {}
    for row in as_source_rows(rows):
        code = _text(row.values.get("unit_code"))
        if code and code not in known and (code not in missing or not missing[code]):
            missing[code] = _text(row.values.get("unit_name"))[:200]
    return missing


def _outside(
    source: Sequence[SourceRow],
    units: Mapping[str, tuple[int, str]],
    current: Mapping[str, Employee],
    scope: Sequence[str],
) -> list[tuple[int, str, str]]:
    """(row, Vietnamese, English) for each row naming a unit, or an employee now in a unit, outside `scope`.

    Every row is looked at, valid or not: a refused file tells nothing about what it would have done."""

    def inside(unit_code: str) -> bool:
        return any(units[unit_code][1].startswith(path) for path in scope)

    problems = []
    for row in source:
        code = _text(row.values.get("employee_code"))
        unit_code = _text(row.values.get("unit_code"))
        employee = current.get(code)
        if employee is not None and not inside(employee.unit_code):
            problems.append(
                (row.number, f"nhân viên {code} thuộc đơn vị khác", f"employee {code} is in a unit outside yours")
            )
        elif unit_code in units and not inside(unit_code):
            problems.append((row.number, f"đơn vị {unit_code}", f"unit {unit_code}"))
    return problems


def _changes(
    records: Sequence[EmployeeRecord], current: Mapping[str, Employee], units: Mapping[str, tuple[int, str]]
) -> list[EmployeeChange]:
    """The employees `records` add or change, with their state before and after (for the audit log)."""
    by_id = {unit_id: (code, path) for code, (unit_id, path) in units.items()}
    changes = []
    for record in records:
        unit_code, unit_path = by_id[record.unit_id]
        after = _state(record, unit_code)
        was = current.get(record.employee_code)
        if was is None:
            changes.append(EmployeeChange(record.employee_code, None, after, unit_path, None))
        elif (before := _state(was, was.unit_code)) != after:
            changes.append(EmployeeChange(record.employee_code, before, after, unit_path, units[was.unit_code][1]))
    return changes


def _state(employee: Employee | EmployeeRecord, unit_code: str) -> dict[str, Any]:
    """An employee as the audit log shows it (the unit by code, dates as ISO text)."""
    return {
        "employee_code": employee.employee_code,
        "full_name": employee.full_name,
        "unit_code": unit_code,
        "position": employee.position,
        "schedule_code": employee.schedule_code,
        "person_id": employee.person_id,
        "active_from": employee.active_from.isoformat() if employee.active_from else None,
        "active_to": employee.active_to.isoformat() if employee.active_to else None,
    }


def _text(value: Cell) -> str:
    """A cell as the code or name it shows: a number cell 123.0 is "123" (Excel keeps 00123 typed as a
    number as 123.0), runs of whitespace are one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _shown(text: str) -> str:
    """A refused value quoted back, cut to a readable length."""
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


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
    raise ValueError(f"{_shown(text)} is not a date (use dd/mm/yyyy or yyyy-mm-dd)")


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
        fail("employee_code", f"{_shown(code)}: use letters, digits, '.', '_' or '-' (at most 32)")
    name = _text(values.get("full_name"))
    if not name:
        fail("full_name", "missing")
    elif len(name) > 200:
        fail("full_name", "longer than 200 characters")
    unit_code = _text(values.get("unit_code"))
    if not unit_code:
        fail("unit_code", "missing")
    elif unit_code not in units:
        fail("unit_code", f"unknown unit code {_shown(unit_code)}")
    schedule = _text(values.get("schedule_code")) or DEFAULT_SCHEDULE
    if schedule not in schedules:
        fail("schedule_code", f"unknown work schedule {_shown(schedule)}")
    person_id = _text(values.get("person_id"))
    if not person_id:
        fail("person_id", "missing")
    elif not _PERSON_ID.match(person_id):
        fail("person_id", f"{_shown(person_id)}: at most 64 characters, no spaces")
    position = _text(values.get("position")) or None
    dates: dict[str, date | None] = {}
    for column in ("active_from", "active_to", "service_start"):
        try:
            dates[column] = _day(values.get(column))
        except ValueError as exc:
            fail(column, str(exc))
    start, end = dates.get("active_from"), dates.get("active_to")
    if start and end and end < start:
        fail("active_to", f"{end:%d/%m/%Y} is before active_from {start:%d/%m/%Y}")
    condition = None
    condition_text = _text(values.get("working_condition"))
    if condition_text:
        condition = _CONDITIONS.get(fold(condition_text).replace("_", " "))
        if condition is None:
            fail("working_condition", f"{_shown(condition_text)}: bình thường / nặng nhọc / đặc biệt nặng nhọc")
    if errors:
        return None, errors
    search = fold(f"{name} {code} {person_id}")
    record = EmployeeRecord(
        code, name, search, units[unit_code], position, schedule, person_id, start, end,
        dates.get("service_start"), condition,
    )  # fmt: skip
    return record, []


#: a working condition as a file may write it (folded) → the code (Labour Code art. 113: 12 / 14 / 16 days)
_CONDITIONS = {
    "normal": "normal", "binh thuong": "normal", "heavy": "heavy", "nang nhoc": "heavy",
    "nang nhoc doc hai": "heavy", "nang nhoc, doc hai, nguy hiem": "heavy", "especially heavy": "especially_heavy",
    "dac biet nang nhoc": "especially_heavy", "dac biet nang nhoc, doc hai, nguy hiem": "especially_heavy",
}  # fmt: skip


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
                    rest = [n for n in numbers if n != number]
                    others = ", ".join(str(n) for n in rest[:10])
                    if len(rest) > 10:  # a value repeated on thousands of rows must not make each reason huge
                        others += f" and {len(rest) - 10} more"
                    errors.append(RowError(number, column, f"duplicate {column} {value!r} (also on row {others})"))
    return errors


def _person_ids_taken(conn: psycopg.Connection, checked: list[tuple[int, EmployeeRecord]]) -> list[RowError]:
    owners = repository.owners_of_person_ids(conn, [r.person_id for _, r in checked])
    return [
        RowError(number, "person_id", f"duplicate person_id {r.person_id!r}: held by employee {owners[r.person_id]}")
        for number, r in checked
        if r.person_id in owners and owners[r.person_id] != r.employee_code
    ]
