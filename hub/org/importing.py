"""Import org units from a CSV or XLSX file (`cces org import FILE`, POST /api/v1/org-units/import).

Columns: code, name, kind, parent code, valid from (headers in English or Vietnamese, with or without
marks: "Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"). The file is read by
the employee import's reader (hub.people.sheets / sheet_process: row by row, within the same caps).

Rules:
- Each row is created through `hub.org.changes.create` (same checks, same audit row) inside its own
  savepoint: a rejected row leaves nothing behind, and is reported with its reasons; the other rows go in.
- A parent may come later in the file: rows are tried again while any goes in.
- A row naming a unit that already exists with that name, kind and parent is "already there" (importing
  the same file twice changes nothing); with anything else different it is rejected (the code is taken).
- A kind is its code (`regional_branch`) or its Vietnamese or English name ("Chi cục Hải quan khu vực").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

import psycopg

from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.org import changes, repository
from hub.org.models import ImportRowError, NewUnit, OrgError, OrgImportReport, bilingual
from hub.people.sheets import Cell, SheetColumns, SourceRow, as_source_rows
from hub.people.text import fold

ORG_COLUMNS = SheetColumns.of(
    ("code", "name", "kind"),
    {
        "code": ("ma don vi", "ma", "unit code"),
        "name": ("ten don vi", "ten", "unit name"),
        "kind": ("loai don vi", "loai", "cap", "unit kind"),
        "parent_code": ("ma don vi cap tren", "don vi cap tren", "cap tren", "parent code", "parent"),
        "valid_from": ("hieu luc tu", "tu ngay", "ngay hieu luc", "valid from"),
    },
)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _day(value: Cell) -> date | None:
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
    raise ValueError(
        bilingual(
            f"{text[:40]!r} không phải ngày (dd/mm/yyyy hoặc yyyy-mm-dd)",
            f"{text[:40]!r} is not a date (use dd/mm/yyyy or yyyy-mm-dd)",
        )
    )


def kind_by_text(conn: psycopg.Connection) -> dict[str, str]:
    """Folded code, Vietnamese and English names → kind code."""
    found: dict[str, str] = {}
    for kind in repository.kinds(conn):
        for text in (kind.code, kind.name_vi, kind.name_en):
            found.setdefault(fold(text).replace("_", " "), kind.code)
    return found


def import_units(
    conn: psycopg.Connection,
    principal: Principal,
    actor: Actor,
    rows: Iterable[SourceRow | Mapping[str, Cell]],
    now: datetime,
    *,
    ignored_columns: Iterable[str] = (),
) -> OrgImportReport:
    """Create the units of `rows` (in the caller's transaction, each row in a savepoint); see the module."""
    source = as_source_rows(rows)
    report = OrgImportReport(rows=len(source), ignored_columns=list(ignored_columns))
    kinds = kind_by_text(conn)
    pending: list[tuple[SourceRow, NewUnit]] = []
    for row in source:
        values = row.values
        errors: list[ImportRowError] = []
        code, name = _text(values.get("code")), _text(values.get("name"))
        kind_text = _text(values.get("kind"))
        parent = _text(values.get("parent_code")) or None
        if not code:
            errors.append(ImportRowError(row.number, "code", bilingual("thiếu", "missing")))
        if not name:
            errors.append(ImportRowError(row.number, "name", bilingual("thiếu", "missing")))
        kind = kinds.get(fold(kind_text).replace("_", " ")) if kind_text else None
        if kind is None:
            errors.append(
                ImportRowError(
                    row.number, "kind",
                    bilingual(f"không rõ loại đơn vị {kind_text[:40]!r}",
                                      f"unknown unit kind {kind_text[:40]!r}"),
                )
            )  # fmt: skip
        try:
            valid_from = _day(values.get("valid_from"))
        except ValueError as exc:
            errors.append(ImportRowError(row.number, "valid_from", str(exc)))
        if errors:
            report.rejected += errors
            continue
        assert kind is not None
        pending.append((row, NewUnit(code, name, kind, parent, valid_from)))

    seen: dict[str, int] = {}
    for row, new in pending:
        if new.code in seen:
            report.rejected.append(
                ImportRowError(
                    row.number, "code",
                    bilingual(f"mã {new.code} trùng với dòng {seen[new.code]}",
                                      f"code {new.code} repeats row {seen[new.code]}"),
                )
            )  # fmt: skip
        else:
            seen[new.code] = row.number
    pending = [(r, n) for r, n in pending if seen.get(n.code) == r.number]

    failures: dict[int, ImportRowError] = {}
    progress = True
    while pending and progress:
        progress = False
        waiting: list[tuple[SourceRow, NewUnit]] = []
        for row, new in pending:
            outcome = _one(conn, principal, actor, row, new, now)
            if outcome == "created":
                report.created += 1
                report.created_codes.append(new.code)
                progress = True
            elif outcome == "unchanged":
                report.unchanged += 1
                progress = True
            else:
                failures[row.number] = outcome
                waiting.append((row, new))
        pending = waiting
    report.rejected += [failures[r.number] for r, _ in pending]
    report.rejected.sort(key=lambda e: (e.row, e.column))
    return report


def _one(
    conn: psycopg.Connection, principal: Principal, actor: Actor, row: SourceRow, new: NewUnit, now: datetime
) -> str | ImportRowError:
    existing = repository.unit_by_code(conn, new.code)
    if existing is not None:
        if (existing.name, existing.kind, existing.parent_code) == (new.name, new.kind, new.parent_code):
            return "unchanged"
        return ImportRowError(
            row.number, "code",
            bilingual(f"mã {new.code} đã dùng cho đơn vị khác ({existing.name})",
                              f"code {new.code} is taken by another unit ({existing.name})"),
        )  # fmt: skip
    try:
        with conn.transaction():  # a savepoint: a rejected row leaves nothing
            changes.create(conn, principal, actor, new, now)
    except (OrgError, AccessDenied) as exc:
        column = "parent_code" if new.parent_code and new.parent_code in str(exc) else "*"  # "*": the row
        return ImportRowError(row.number, column, str(exc))
    return "created"
