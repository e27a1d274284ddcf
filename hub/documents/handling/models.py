"""The leader's instruction on an incoming document (phiếu giải quyết văn bản đến, Decree 30 Art. 24 and
Appendix IV §VII) and its follow-up: records, errors, and the derived statuses.

A status is never stored: it follows from the deadline in force (the instructed one, or the last approved
extension), the day the handler finished (in Hà Nội) and today:
- not finished: **đang xử lý trong hạn** until the deadline's end, **đang xử lý quá hạn** after it;
- finished: **hoàn thành đúng hạn** on or before the deadline, **hoàn thành quá hạn** after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from hub.documents.models import LOCAL, DocumentError
from hub.domain import Conflict, NotFound


class HandlingError(DocumentError):
    """Input or a step the rules refuse (422); nothing was written."""


class HandlingConflict(Conflict, HandlingError):
    """The document is already assigned, the handler already finished, an extension already waits (409)."""


class UnknownHandling(NotFound, HandlingError):
    """No such assignment, handler or extension the caller may see (404)."""


class Status(StrEnum):
    IN_TIME = "in_time"  # đang xử lý trong hạn
    OVERDUE = "overdue"  # đang xử lý quá hạn
    DONE_IN_TIME = "done_in_time"  # hoàn thành đúng hạn
    DONE_LATE = "done_late"  # hoàn thành quá hạn


STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.IN_TIME: ("Đang xử lý trong hạn", "In progress, within the deadline"),
    Status.OVERDUE: ("Đang xử lý quá hạn", "In progress, past the deadline"),
    Status.DONE_IN_TIME: ("Hoàn thành đúng hạn", "Finished on time"),
    Status.DONE_LATE: ("Hoàn thành quá hạn", "Finished late"),
}


def status_of(deadline: date, finished_on: date | None, today: date) -> Status:
    """The derived status: a deadline is met until its day ends (Hà Nội)."""
    if finished_on is None:
        return Status.IN_TIME if today <= deadline else Status.OVERDUE
    return Status.DONE_IN_TIME if finished_on <= deadline else Status.DONE_LATE


@dataclass(frozen=True, slots=True)
class HandlerSpec:
    """Who is to handle, as the leader writes it: a unit (its code) or a person (a username), by a day."""

    deadline: date
    unit_code: str | None = None
    username: str | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    at: datetime
    by_user: str
    note: str


@dataclass(frozen=True, slots=True)
class Extension:
    id: int
    handler_id: int
    requested_at: datetime
    requested_by: str
    new_deadline: date
    reason: str
    decision: str | None  # None: waiting; approved | refused
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None


@dataclass(frozen=True, slots=True)
class Handler:
    id: int
    assignment_id: int
    document_id: int
    lead: bool
    unit_code: str | None
    unit_name: str | None
    unit_path: str | None
    user_id: int | None
    username: str | None
    display_name: str | None
    instructed_deadline: date
    deadline: date  # in force: the last approved extension's, else the instructed one
    finished_at: datetime | None
    finished_by: str | None
    result_note: str | None
    reply_document_id: int | None
    progress: tuple[Progress, ...] = ()
    extensions: tuple[Extension, ...] = ()

    @property
    def finished_on(self) -> date | None:
        return self.finished_at.astimezone(LOCAL).date() if self.finished_at else None

    def status(self, today: date) -> Status:
        return status_of(self.deadline, self.finished_on, today)

    @property
    def who(self) -> str:
        """The unit's name or the person's, as the lists show it."""
        return self.unit_name or self.display_name or self.username or self.unit_code or "?"


@dataclass(frozen=True, slots=True)
class Assignment:
    id: int
    document_id: int
    assigned_by: str
    assigned_at: datetime
    comment: str | None
    handlers: tuple[Handler, ...]

    @property
    def lead(self) -> Handler:
        return next(h for h in self.handlers if h.lead)


@dataclass(frozen=True, slots=True)
class MyItem:
    """One line of a handler's "my documents": the document in brief and the part they handle."""

    handler: Handler
    document_id: int
    unit_code: str  # the registering unit
    number: int  # số đến
    code_number: str
    code_notation: str
    organ_name: str
    subject: str
    urgency: int
    secrecy: int
    arrival_date: date | None
    comment: str | None
