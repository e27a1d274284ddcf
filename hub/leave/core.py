"""What every part of the leave service stands on: the pool, the clock, the notifier, finding people,
types and requests, and counting balances."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

import psycopg
from psycopg_pool import ConnectionPool

from hub.files import ContentStore
from hub.leave import repository as repo
from hub.leave.balance import Balance, Taken, balance
from hub.leave.days import Count, WorkingDayCounter, count_days
from hub.leave.entitlement import LeavePolicy, entitlement
from hub.leave.hours import LOCAL, load_calendar
from hub.leave.models import (
    Employee,
    LeaveRequest,
    LeaveType,
    UnknownLeaveType,
    UnknownRequest,
)
from hub.leave.travel import Travel
from hub.people.service import UnknownEmployee
from hub.timekeeping.calendar import WorkCalendar

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class Notifier(Protocol):
    """Delivers a message to a user (in-app inbox, e-mail); called inside the change's transaction."""

    def __call__(
        self,
        conn: psycopg.Connection,
        username: str,
        subject: str,
        body: str,
        link: str | None = None,
        *,
        approve: int | None = None,
    ) -> Any: ...


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Preview:
    """What the form shows before sending: the count and the balance it would leave."""

    count: Count
    balance: Balance | None
    leave_type: LeaveType
    travel: Travel | None = None  # the travel days declared and added (hub.leave.travel)


def _both(vi: str, en: str) -> str:
    return f"{vi} / {en}"


def _summary(r: LeaveRequest) -> dict[str, Any]:
    return {
        "employee_code": r.employee_code,
        "leave_type": r.leave_type,
        "first_day": r.first_day.isoformat(),
        "last_day": r.last_day.isoformat(),
        "first_day_part": r.first_day_part.value,
        "last_day_part": r.last_day_part.value,
        "working_days": r.working_days,
        "travel_days_added": r.travel_days_added,
        "status": r.status.value,
    }


class LeaveCore:
    def __init__(
        self,
        pool: ConnectionPool,
        clock: Callable[[], datetime] | None = None,
        notifier: Notifier | None = None,
        *,
        store: ContentStore | None = None,
    ) -> None:
        self.pool = pool
        self.clock = clock or (lambda: datetime.now(UTC))
        self.notifier = notifier
        # where attachments are kept (the hub's content store, set by hub.leave.jobs.domain_jobs from the data
        # dir); None (a tool, a test without files): a request with an attachment is refused, never half-kept
        self.store = store

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

    def _employee(self, conn: psycopg.Connection, code: str) -> Employee:
        found = repo.employee(conn, code)
        if found is None:
            raise UnknownEmployee(_both(f"không có cán bộ mã {code!r}", f"no employee has the code {code!r}"))
        return found

    def _type(self, conn: psycopg.Connection, code: str, on: date) -> LeaveType:
        found = next((t for t in repo.leave_types(conn) if t.code == code), None)
        if found is None or not found.valid_on(on):
            raise UnknownLeaveType(
                _both(f"loại nghỉ {code!r} không có hoặc hết hiệu lực", f"no leave type {code!r} in force on {on}")
            )
        return found

    def _notify(
        self,
        conn: psycopg.Connection,
        username: str | None,
        subject: str,
        body: str,
        link: str,
        approve: int | None = None,
    ) -> None:
        """Tell `username` (through the notifier); `approve`: the request an action link may approve."""
        if self.notifier is not None and username:
            self.notifier(conn, username, subject, body, link, approve=approve)

    def _get(self, conn: psycopg.Connection, request_id: int, *, lock: bool = False) -> LeaveRequest:
        found = repo.request(conn, request_id, lock=lock)
        if found is None:
            raise UnknownRequest(_both(f"không có đơn nghỉ số {request_id}", f"no leave request {request_id}"))
        return found

    def _balances(
        self,
        conn: psycopg.Connection,
        people: Sequence[Employee],
        year: int,
        as_of: date,
        calendar: WorkCalendar | None = None,
        policy: LeavePolicy | None = None,
        *,
        explain: bool = True,
    ) -> dict[int, Balance]:
        calendar = calendar or load_calendar(conn)
        policy = policy or repo.policy(conn, date(year, 1, 1))
        ids = [p.id for p in people] if len(people) < 5000 else None
        adjustments = repo.adjustments(conn, ids, year)
        expiring = [e for e, items in adjustments.items() if any(a.expires_on for a in items)]
        deducted = repo.deducting(conn, ids, year, expiring)
        between = WorkingDayCounter(calendar).between
        found: dict[int, Balance] = {}
        for person in people:
            ent = entitlement(
                policy, year, person.working_condition, person.service_start, person.active_from, person.active_to,
                between,
            )  # fmt: skip
            taken, pending, uncounted = deducted.get(person.id, ([], 0.0, []))
            if uncounted:  # rows moved from the old table: counted on today's calendar
                counted = iter(count_days(calendar, f, la, fp, lp).working_days for f, la, fp, lp in uncounted)
                taken = [t if t.days >= 0 else Taken(t.first_day, next(counted)) for t in taken]
            found[person.id] = balance(ent, adjustments.get(person.id, ()), taken, pending, as_of, explain=explain)
        return found
