"""What the organisation domain hands out and refuses with: unit kinds, units with validity dates, their
history, and its errors (each message in Vietnamese, then English).

A unit's history is kept by the database (migration 0220): every change of its code, name, kind or
parent closes one `UnitVersion` and opens the next on the day it takes effect; a closed or merged unit
keeps its row (`valid_to`, `successor_code`), so records made in it still name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from hub.domain import Conflict, DomainError, Invalid, NotFound


def bilingual(vi: str, en: str) -> str:
    """One message for people who read either language: Vietnamese first."""
    return f"{vi} / {en}"


# --- errors: the API maps them to 404 / 409 / 422 (hub.org.api) ---------------------------------------


class OrgError(DomainError):
    """Base of the organisation's refusals; nothing was changed when one is raised."""


class UnitNotFound(NotFound, OrgError):
    """No unit has this code (404)."""


class OrgConflict(Conflict, OrgError):
    """The change contradicts the tree as it is now: a code taken, a closed unit, a unit still in use (409)."""


class InvalidOrgChange(Invalid, OrgError):
    """The change itself is wrong: a kind that cannot sit there, a missing name, a date in the future (422)."""


# --- records --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitKindInfo:
    """A kind of unit as data (`org_unit_kinds`): where it may sit, whether it has a seal, is an office."""

    code: str
    name_vi: str
    name_en: str
    level: int  # 1: the top of the tree
    has_seal: bool  # keeps its own seal, document-number series and registers
    is_office: bool  # an office (trụ sở) with its own premises
    parent_kinds: tuple[str, ...]  # () : a root
    valid_from: date | None
    valid_to: date | None  # the first day it is no longer in force
    basis: str | None

    @property
    def is_root(self) -> bool:
        return not self.parent_kinds

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True, slots=True)
class Unit:
    """An org unit, current or not, with its place in the tree today."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    parent_code: str | None
    path: str  # materialised path of ids, "/1/7/42/"
    valid_from: date | None  # None: since before the records begin
    valid_to: date | None  # None: exists; else the first day it no longer does
    successor_code: str | None  # merged into
    has_seal: bool
    is_office: bool

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def open_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)

    @property
    def closed(self) -> bool:
        return self.valid_to is not None


@dataclass(frozen=True, slots=True)
class UnitVersion:
    """The unit's code, name, kind and parent over one period (valid_to: the first day it no longer held)."""

    valid_from: date | None
    valid_to: date | None
    code: str
    name: str
    kind: str
    parent_code: str | None
    parent_name: str | None


@dataclass(frozen=True, slots=True)
class EmployeeUnitPeriod:
    """An employee's unit over one period (valid_from None: since before the records begin)."""

    employee_code: str
    unit_code: str
    unit_name: str
    valid_from: datetime | None
    valid_to: datetime | None


@dataclass(frozen=True, slots=True)
class UnitDetail:
    unit: Unit
    kind: UnitKindInfo
    versions: list[UnitVersion]
    children: list[Unit]  # open sub-units
    employees: int  # employees in it now
    predecessors: list[Unit]  # units merged into it


@dataclass(slots=True)
class UnitNode:
    unit: Unit
    children: list[UnitNode] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NewUnit:
    """A unit to create: its parent by code (None: a root), its kind by code."""

    code: str
    name: str
    kind: str
    parent_code: str | None = None
    valid_from: date | None = None  # None: today


@dataclass(frozen=True, slots=True)
class UnitChange:
    """What one operation did, for the caller and the audit log."""

    action: str  # create | rename | move | merge | close
    unit: Unit
    effective: date
    moved_employees: tuple[str, ...] = ()
    moved_units: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportRowError:
    row: int
    column: str
    reason: str


@dataclass
class OrgImportReport:
    rows: int = 0
    created: int = 0
    unchanged: int = 0  # rows naming a unit that already exists as written
    rejected: list[ImportRowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    created_codes: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.rejected})

    def summary(self) -> str:
        return bilingual(
            f"{self.rows} dòng: tạo {self.created}, đã có {self.unchanged}, từ chối {len(self.rejected_rows)}",
            f"{self.rows} rows: {self.created} created, {self.unchanged} already there,"
            f" {len(self.rejected_rows)} rejected",
        )
