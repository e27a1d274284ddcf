"""What the people domain hands out: org units and employees, as plain immutable records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class UnitKind(StrEnum):
    """The levels of the customs administration until 2025-03-01, top down. Kinds are data now
    (`org_unit_kinds`, hub.org), which also holds the structure since then."""

    GENERAL_DEPARTMENT = "general_department"  # Tổng cục (Cục) Hải quan
    DEPARTMENT = "department"  # Cục Hải quan tỉnh, thành phố / Vụ, Cục chức năng
    BRANCH = "branch"  # Chi cục Hải quan
    TEAM = "team"  # Đội

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {kind: i for i, kind in enumerate(UnitKind)}


@dataclass(frozen=True, slots=True)
class OrgUnit:
    id: int
    parent_id: int | None
    code: str
    name: str
    kind: UnitKind | str  # a code of org_unit_kinds (hub.org); the original four as the enum
    path: str  # materialized path of ids, "/1/7/42/"

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


@dataclass(slots=True)
class OrgUnitNode:
    """A unit with its sub-units, for the tree the UI shows."""

    unit: OrgUnit
    children: list[OrgUnitNode] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Employee:
    id: int
    employee_code: str  # mã cán bộ, công chức
    full_name: str
    unit_code: str
    unit_name: str
    position: str | None  # chức vụ
    schedule_code: str
    person_id: str  # the id FaceID events carry
    active_from: date | None  # None: since before the records begin
    active_to: date | None


@dataclass(frozen=True, slots=True)
class EmployeeRecord:
    """One employee as an import (or a form) writes it: the unit by id, the search text folded."""

    employee_code: str
    full_name: str
    search_text: str
    unit_id: int
    position: str | None
    schedule_code: str
    person_id: str
    active_from: date | None  # None: since before the records begin
    active_to: date | None
    service_start: date | None = None  # ngày bắt đầu công tác (leave seniority); None: keep what is stored
    working_condition: str | None = None  # normal / heavy / especially_heavy (art. 113); None: keep
