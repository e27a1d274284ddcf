"""Asking for leave: the checks that refuse a request with nothing written, then the request and its chain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import psycopg

from hub.accounts import audit
from hub.accounts.access import require_employee
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.leave import access
from hub.leave import repository as repo
from hub.leave.chain import LeaveChain
from hub.leave.core import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    _both,
    _summary,
)
from hub.leave.days import Count, Part, count_days
from hub.leave.hours import load_calendar
from hub.leave.models import (
    ClosedPeriod,
    Employee,
    LeaveError,
    LeaveRequest,
    LeaveType,
    OverBalance,
    Overlap,
)
from hub.leave.travel import travel_added
from hub.timekeeping.calendar import WorkCalendar


class LeaveAsking(LeaveChain):
    def submit(
        self,
        principal: Principal,
        employee_code: str,
        leave_type: str,
        first: date,
        last: date,
        *,
        first_part: Part = Part.FULL,
        last_part: Part = Part.FULL,
        reason: str | None = None,
        substitute_code: str | None = None,
        reference: str | None = None,
        attachments: Sequence[Attachment] = (),
        replaces: int | None = None,
        travel_days: float = 0.0,
        client_ip: str | None = None,
    ) -> LeaveRequest:
        """Ask for leave (or a business trip). Refused with nothing written when the rules say no.

        `travel_days`: the round trip's days of travel the person declares (hub.leave.travel): those
        beyond the type's free days are added to the leave, not charged to the balance."""
        if first == last and first_part is Part.FULL:
            first_part, last_part = last_part, Part.FULL
        with self.pool.connection() as conn, conn.transaction():
            person = self._employee(conn, employee_code)
            require_employee(principal, person.id, person.unit_path, access.ON_BEHALF, "xin nghỉ / ask for leave")
            repo.lock_person(conn, person.id)
            kind = self._type(conn, leave_type, first)
            calendar = load_calendar(conn)
            count = count_days(calendar, first, last, first_part, last_part)
            used = repo.travel_used(conn, person.id, first.year, [replaces or 0])
            travel = travel_added(kind, travel_days, count.working_days, used)
            self._check(
                conn, calendar, person, kind, count, first, last, first_part, last_part, replaces, attachments,
                charged=count.working_days - travel.added,
            )  # fmt: skip
            substitute_id = None
            if substitute_code:
                substitute = self._employee(conn, substitute_code)
                if substitute.id == person.id:
                    raise LeaveError(_both("người thay thế phải là người khác", "the substitute must be someone else"))
                substitute_id = substitute.id
            request_id = repo.insert_request(
                conn,
                {
                    "employee_id": person.id, "unit_id": person.unit_id, "leave_type": kind.code,
                    "first_day": first, "last_day": last, "first_day_part": first_part.value,
                    "last_day_part": last_part.value, "working_days": count.working_days, "status": "pending",
                    "reason": reason, "substitute_id": substitute_id, "reference": reference,
                    "replaces_id": replaces, "requested_by": principal.username,
                    "travel_days": travel.declared, "travel_days_added": travel.added,
                },
            )  # fmt: skip
            for a in attachments:
                self._attach(conn, request_id, a, principal.username)
            self._start_chain(conn, calendar, request_id, person, kind, count.working_days)
            found = self._get(conn, request_id)
            if not found.steps:  # nobody above: HR records it at once
                self._finish(conn, found, principal.username)
                found = self._get(conn, request_id)
            audit.record(
                conn, Actor.of(principal, client_ip), "leave.request", "leave_request", request_id,
                after=_summary(found), unit_path=person.unit_path,
            )  # fmt: skip
            return found

    def _check(
        self,
        conn: psycopg.Connection,
        calendar: WorkCalendar,
        person: Employee,
        kind: LeaveType,
        count: Count,
        first: date,
        last: date,
        first_part: Part,
        last_part: Part,
        replaces: int | None,
        attachments: Sequence[Attachment],
        *,
        charged: float,
    ) -> None:
        """Refuse the request (nothing written) when a rule says no; `charged`: the days the balance would
        be charged (the working days less the travel days added)."""
        if count.working_days <= 0:
            raise LeaveError(
                _both(
                    "khoảng ngày này không có ngày làm việc nào (cuối tuần, ngày lễ)",
                    "these dates hold no working day (weekend, holidays)",
                )
            )
        if first.year in repo.closed_years(conn):
            raise ClosedPeriod(_both(f"năm {first.year} đã khóa sổ phép", f"the leave year {first.year} is closed"))
        if (person.active_from and first < person.active_from) or (person.active_to and last > person.active_to):
            raise LeaveError(_both("ngoài thời gian công tác", "outside the person's employment"))
        if kind.max_days is not None and count.working_days > kind.max_days:
            raise LeaveError(
                _both(
                    f"{kind.name_vi}: tối đa {kind.max_days:g} ngày ({kind.legal_basis})",
                    f"{kind.name_en}: at most {kind.max_days:g} days ({kind.legal_basis})",
                )
            )
        if kind.needs_attachment and not attachments:
            raise LeaveError(_both(f"{kind.name_vi}: cần đính kèm giấy tờ", f"{kind.name_en}: attach the certificate"))
        for other_id, f, la, fp, lp, status in repo.overlapping(conn, person.id, first, last, [replaces or 0]):
            if _halves_apart(first, last, first_part, last_part, f, la, Part(fp), Part(lp)):
                continue
            state_vi = "đã duyệt" if status == "approved" else "đang chờ duyệt"
            state_en = "approved" if status == "approved" else "waiting for approval"
            raise Overlap(
                _both(
                    f"trùng với đơn số {other_id} ({f:%d/%m/%Y}–{la:%d/%m/%Y}, {state_vi})",
                    f"overlaps request {other_id} ({f:%d/%m/%Y}–{la:%d/%m/%Y}, {state_en})",
                )
            )
        if kind.deducts_balance and not kind.allow_over_balance:
            bal = self._balances(conn, [person], first.year, first, calendar)[person.id]
            available = bal.remaining_days
            if replaces is not None:
                old = self._get(conn, replaces)
                if old.leave_type == kind.code and old.first_day.year == first.year:
                    available += old.charged_days
            if charged > available:
                raise OverBalance(
                    _both(
                        f"vượt số ngày phép còn lại: xin {charged:g}, còn {available:g}",
                        f"more than the leave left: asked {charged:g}, left {available:g}",
                    )
                )

    def _attach(self, conn: psycopg.Connection, request_id: int, a: Attachment, by: str) -> int:
        if len(a.data) > MAX_ATTACHMENT_BYTES:
            raise LeaveError(_both("tệp đính kèm quá 10 MB", "the attachment is over 10 MB"))
        if self.store is None:
            raise LeaveError(_both("máy chủ này không lưu được tệp đính kèm", "this hub process keeps no attachments"))
        sha = self.store.put(a.data)
        return repo.add_attachment(conn, request_id, sha, a.filename[:255], a.content_type[:100], len(a.data), by)


def _halves_apart(
    first: date, last: date, fp: Part, lp: Part, other_first: date, other_last: date, ofp: Part, olp: Part
) -> bool:
    """Two requests touching on one day only, in different halves (a morning and an afternoon)."""

    def half_at(day: date, f: date, la: date, p1: Part, p2: Part) -> Part:
        if f == la:
            return p1 if p1 is not Part.FULL else p2
        if day == f:
            return p1
        if day == la:
            return p2
        return Part.FULL

    shared_first, shared_last = max(first, other_first), min(last, other_last)
    if shared_first != shared_last:
        return False
    mine = half_at(shared_first, first, last, fp, lp)
    theirs = half_at(shared_first, other_first, other_last, ofp, olp)
    return Part.FULL not in (mine, theirs) and mine is not theirs
