"""Leave records and errors (nghỉ phép): types, requests, approval steps, team calendar rows.

Every refusal says what is wrong in Vietnamese and English ("… / …"), and nothing is written then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from hub.domain import Conflict, Invalid, NotFound
from hub.leave.days import Part


class LeaveError(Invalid):
    """A request or an action the rules refuse (400/409 in the API)."""


class UnknownLeaveType(LeaveError):
    pass


class UnknownRequest(NotFound, LeaveError):
    pass


class Overlap(Conflict, LeaveError):
    pass


class OverBalance(Conflict, LeaveError):
    pass


class ClosedPeriod(Conflict, LeaveError):
    pass


class NotYourTurn(LeaveError):
    """The caller is not the approver (or backup) of the request's current step."""

    status = 403  # refused: not this caller's step (hub.domain.Refused's status)
    kind = "refused"


class WrongState(Conflict, LeaveError):
    pass


class Status(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # chờ duyệt
    RETURNED = "returned"  # trả lại để sửa
    APPROVED = "approved"  # đã duyệt
    REJECTED = "rejected"  # từ chối
    CANCELLED = "cancelled"  # đã hủy


class StepState(StrEnum):
    WAITING = "waiting"  # a later step, not yet its turn
    PENDING = "pending"  # the approver's turn
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    SKIPPED = "skipped"  # cancelled or overridden before its turn
    ESCALATED = "escalated"  # waited too long: the next level took it


@dataclass(frozen=True, slots=True)
class LeaveType:
    code: str
    name_vi: str
    name_en: str
    category: str
    absence_kind: str
    symbol: str
    paid: bool
    deducts_balance: bool
    max_days: float | None
    allow_over_balance: bool
    needs_attachment: bool
    counts_as_worked: bool
    legal_basis: str
    certainty: str
    valid_from: date
    valid_to: date | None
    issues_permit: bool = True  # an approved request is issued a Giấy nghỉ phép (migration 0303)
    travel_days_free: float | None = None  # art. 113(3) [U]: travel days beyond these are added; None: none
    travel_times_per_year: int = 1
    travel_basis: str | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Step:
    id: int
    position: int
    level: int | None
    approver: str
    acting_for: str | None
    state: StepState
    comment: str | None
    due_at: datetime | None
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class LeaveRequest:
    id: int
    employee_id: int
    employee_code: str
    full_name: str
    unit_code: str
    unit_path: str
    leave_type: str
    first_day: date
    last_day: date
    first_day_part: Part
    last_day_part: Part
    working_days: float
    status: Status
    reason: str | None
    substitute_code: str | None
    substitute_name: str | None
    reference: str | None
    work_refusal: bool
    replaces_id: int | None
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    steps: tuple[Step, ...] = field(default=())
    attachments: tuple[tuple[int, str, int], ...] = field(default=())  # (id, filename, size)
    permit_document_id: int | None = None  # the Giấy nghỉ phép registered for it (hub.documents)
    permit_number: str | None = None  # `05/GNP-HQKV2`
    permit_problem: str | None = None  # why the due permit is not issued yet
    permit_due: bool = False  # approved with a type that issues a permit
    travel_days: float = 0.0  # declared days of travel, round trip (hub.leave.travel)
    travel_days_added: float = 0.0  # added to the leave, not charged to the balance

    @property
    def charged_days(self) -> float:
        """What the balance is charged: the working days less the travel days added."""
        return self.working_days - self.travel_days_added

    @property
    def current_step(self) -> Step | None:
        return next((s for s in self.steps if s.state is StepState.PENDING), None)


@dataclass(frozen=True, slots=True)
class Employee:
    id: int
    code: str
    full_name: str
    unit_id: int
    unit_code: str
    unit_path: str
    service_start: date | None
    active_from: date | None
    active_to: date | None
    working_condition: str
    username: str | None


@dataclass(frozen=True, slots=True)
class TeamRow:
    employee_code: str
    full_name: str
    cells: tuple[str, ...]  # one per day of the month: the symbol ('' when at work); pending in lower case + '?'
    away: tuple[tuple[int, str, date, date, str, str | None], ...]  # (id, type, first, last, status, substitute)


@dataclass(frozen=True, slots=True)
class TeamCalendar:
    unit_code: str
    unit_name: str
    year: int
    month: int
    days: tuple[date, ...]
    day_kinds: tuple[str, ...]
    rows: tuple[TeamRow, ...]
