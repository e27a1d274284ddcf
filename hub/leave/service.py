"""The leave service: requests, approval chains with backups and escalation, balances, the team
calendar, HR adjustments and the year-end close. Transactions, access and audit live here.

- A request is counted on the working calendar (hub.leave.days) and refused — nothing written — when
  it overlaps another pending or approved request, exceeds the balance of a type that deducts it
  (unless the type allows it), starts in a closed year, or breaks the type's limits.
- Its steps come from the most specific `leave_approval_chains` row: level 0 is a manager of the
  person's own unit, 1 of its parent, … (a level with no manager, or the person themself, moves
  up). An approver with a backup named for today (`leave_delegations`), or on approved leave
  today, is replaced by the backup, or else by the next level up.
- A step waiting longer than the chain's working hours is escalated by the `leave.escalate` job.
- Approved requests are what timekeeping reads (the `approved_absences` view): the symbol of the
  type (P, Ô, TS, R, KL, H, CT) lands in the timesheet.
- Every change is audited in its own transaction; notifications go through `notifier` (the
  shared notification service when it is wired, else nothing).
"""

from __future__ import annotations

import calendar as month_calendar
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import psycopg
from psycopg_pool import ConnectionPool

from hub.accounts import audit
from hub.accounts.access import require_employee, require_unit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.leave import access
from hub.leave import reports as leave_reports
from hub.leave import repository as repo
from hub.leave.balance import Balance, Taken, balance, carry_over
from hub.leave.days import Count, Part, WorkingDayCounter, count_days
from hub.leave.entitlement import LeavePolicy, entitlement
from hub.leave.models import (
    ClosedPeriod,
    Employee,
    LeaveError,
    LeaveRequest,
    LeaveType,
    NotYourTurn,
    OverBalance,
    Overlap,
    Status,
    StepState,
    TeamCalendar,
    TeamRow,
    UnknownLeaveType,
    UnknownRequest,
    WrongState,
)
from hub.leave.opening import OpeningReport, RefusedRow, check_rows
from hub.people.service import UnknownEmployee, UnknownUnit
from hub.people.sheets import SourceRow
from hub.reports.documents import ExportFile
from hub.timekeeping import repository as tk_repo
from hub.timekeeping.calendar import WorkCalendar

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
#: working hours of a day for escalation deadlines (giờ hành chính without lunch)
WORK_PERIODS = ((time(8), time(12)), (time(13), time(17)))
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


def load_calendar(conn: psycopg.Connection) -> WorkCalendar:
    return WorkCalendar(
        (s.adjustments for s in tk_repo.latest_calendar_adjustments(conn)), rules=tk_repo.holiday_rules(conn)
    )


def add_working_hours(calendar: WorkCalendar, start: datetime, hours: float) -> datetime:
    """The instant `hours` working hours after `start` (working days, 08–12 and 13–17 local time)."""
    left = timedelta(hours=hours)
    at = start.astimezone(LOCAL)
    for _ in range(400):
        day = at.date()
        if calendar.is_working_day(day):
            for lo, hi in WORK_PERIODS:
                begin = max(at, datetime.combine(day, lo, LOCAL))
                end = datetime.combine(day, hi, LOCAL)
                if begin >= end:
                    continue
                if end - begin >= left:
                    return (begin + left).astimezone(UTC)
                left -= end - begin
        at = datetime.combine(day + timedelta(days=1), time(0), LOCAL)
    return at.astimezone(UTC)


#: a decision → its audit action
_DECISION_ACTIONS = {"approve": "leave.approve", "reject": "leave.reject", "return": "leave.return"}


def _both(vi: str, en: str) -> str:
    return f"{vi} / {en}"


class LeaveService:
    def __init__(
        self,
        pool: ConnectionPool,
        clock: Callable[[], datetime] | None = None,
        notifier: Notifier | None = None,
        *,
        storage: Callable[[bytes], str] | None = None,
    ) -> None:
        self.pool = pool
        self.clock = clock or (lambda: datetime.now(UTC))
        self.notifier = notifier
        self.storage = storage  # stores attachment bytes, returns the SHA-256 (hub.files); None: hash only

    # --- helpers ------------------------------------------------------------------------------

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

    # --- reading --------------------------------------------------------------------------------

    def leave_types(self) -> list[LeaveType]:
        with self.pool.connection() as conn:
            return repo.leave_types(conn)

    def calendar(self) -> WorkCalendar:
        with self.pool.connection() as conn:
            return load_calendar(conn)

    def balance(self, principal: Principal, employee_code: str, year: int, as_of: date | None = None) -> Balance:
        with self.pool.connection() as conn:
            person = self._employee(conn, employee_code)
            require_employee(principal, person.id, person.unit_path, access.VIEWERS, "xem số ngày phép / see leave")
            return self._balances(conn, [person], year, as_of or self.today())[person.id]

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

    def balances(
        self, principal: Principal, unit_code: str | None, year: int, *, explain: bool = False
    ) -> list[tuple[Employee, Balance]]:
        """Everyone's balance of a subtree (or everyone, for a system admin); `explain` adds the lines."""
        with self.pool.connection() as conn:
            path = None
            if unit_code is not None:
                found = repo.unit(conn, unit_code)
                if found is None:
                    raise UnknownUnit(_both(f"không có đơn vị {unit_code!r}", f"no org unit {unit_code!r}"))
                path = found[3]
                require_unit(principal, path, access.VIEWERS, "xem số ngày phép / see leave balances")
            elif not principal.is_system_admin:
                raise AccessDenied(_both("chọn một đơn vị", "choose a unit"))
            people = repo.employees_in(conn, path)
            result = self._balances(conn, people, year, date(year, 12, 31), explain=explain)
            return [(p, result[p.id]) for p in people]

    def request(self, principal: Principal, request_id: int) -> LeaveRequest:
        with self.pool.connection() as conn:
            found = self._get(conn, request_id)
            if not self._may_see(principal, found):
                require_employee(principal, found.employee_id, found.unit_path, access.VIEWERS, "xem đơn / see leave")
            return found

    def _may_see(self, principal: Principal, found: LeaveRequest) -> bool:
        return any(s.approver == principal.username for s in found.steps)

    def requests_of(self, principal: Principal, employee_code: str, limit: int = 200) -> list[LeaveRequest]:
        with self.pool.connection() as conn:
            person = self._employee(conn, employee_code)
            require_employee(principal, person.id, person.unit_path, access.VIEWERS, "xem đơn / see leave")
            return repo.requests(conn, employee_id=person.id, limit=limit)

    def colleagues(self, principal: Principal) -> list[Employee]:
        """Who may stand in for the caller (người thay thế): the people of the unit above the caller's
        and its sub-units (a team's Chi cục), the caller left out; at most 500."""
        if principal.employee_code is None:
            return []
        with self.pool.connection() as conn:
            me = self._employee(conn, principal.employee_code)
            parts = me.unit_path.strip("/").split("/")
            path = "/" + "/".join(parts[:-1]) + "/" if len(parts) > 1 else me.unit_path
            return [e for e in repo.employees_in(conn, path) if e.id != me.id][:500]

    def me(self, principal: Principal) -> Employee | None:
        if principal.employee_code is None:
            return None
        with self.pool.connection() as conn:
            return repo.employee(conn, principal.employee_code)

    def inbox(self, principal: Principal) -> list[LeaveRequest]:
        """The requests waiting for the caller's decision."""
        with self.pool.connection() as conn:
            return repo.inbox(conn, principal.username)

    def preview(
        self,
        principal: Principal,
        employee_code: str,
        leave_type: str,
        first: date,
        last: date,
        first_part: Part = Part.FULL,
        last_part: Part = Part.FULL,
    ) -> Preview:
        """The working days of a request before it is sent, and the balance it would leave."""
        with self.pool.connection() as conn:
            person = self._employee(conn, employee_code)
            require_employee(principal, person.id, person.unit_path, access.ON_BEHALF, "xin nghỉ / ask for leave")
            kind = self._type(conn, leave_type, first)
            calendar = load_calendar(conn)
            count = count_days(calendar, first, last, first_part, last_part)
            bal = None
            if kind.deducts_balance:
                bal = self._balances(conn, [person], first.year, first, calendar)[person.id]
            return Preview(count, bal, kind)

    # --- asking ---------------------------------------------------------------------------------

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
        client_ip: str | None = None,
    ) -> LeaveRequest:
        """Ask for leave (or a business trip). Refused with nothing written when the rules say no."""
        if first == last and first_part is Part.FULL:
            first_part, last_part = last_part, Part.FULL
        with self.pool.connection() as conn, conn.transaction():
            person = self._employee(conn, employee_code)
            require_employee(principal, person.id, person.unit_path, access.ON_BEHALF, "xin nghỉ / ask for leave")
            repo.lock_person(conn, person.id)
            kind = self._type(conn, leave_type, first)
            calendar = load_calendar(conn)
            count = count_days(calendar, first, last, first_part, last_part)
            self._check(conn, calendar, person, kind, count, first, last, first_part, last_part, replaces, attachments)
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
    ) -> None:
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
                    available += old.working_days
            if count.working_days > available:
                raise OverBalance(
                    _both(
                        f"vượt số ngày phép còn lại: xin {count.working_days:g}, còn {available:g}",
                        f"more than the leave left: asked {count.working_days:g}, left {available:g}",
                    )
                )

    def _attach(self, conn: psycopg.Connection, request_id: int, a: Attachment, by: str) -> int:
        if len(a.data) > MAX_ATTACHMENT_BYTES:
            raise LeaveError(_both("tệp đính kèm quá 10 MB", "the attachment is over 10 MB"))
        sha = self.storage(a.data) if self.storage else hashlib.sha256(a.data).hexdigest()
        return repo.add_attachment(conn, request_id, sha, a.filename[:255], a.content_type[:100], len(a.data), by)

    # --- the chain ------------------------------------------------------------------------------

    def _approver_at(
        self, conn: psycopg.Connection, units: list[int], level: int, exclude: set[str], on: date
    ) -> tuple[str, str | None, int] | None:
        """(approver, acting for, level used) from `level` up: the first unit with a manager who is not
        excluded; a manager with a backup today, or on leave today, gives way to the backup or moves up."""
        for lvl in range(level, len(units)):
            for manager in repo.managers_of(conn, units[lvl]):
                if manager in exclude:
                    continue
                backup = repo.delegate_of(conn, manager, on)
                if backup and backup not in exclude:
                    return backup, manager, lvl
                if repo.on_leave(conn, manager, on):
                    continue
                return manager, None, lvl
        return None

    def _start_chain(
        self, conn: psycopg.Connection, calendar: WorkCalendar, request_id: int, person: Employee,
        kind: LeaveType, days: float,
    ) -> None:  # fmt: skip
        levels, hours = repo.chain(conn, person.unit_path, kind.code, days)
        units = repo.ancestors(conn, person.unit_path)
        exclude = {person.username} if person.username else set()
        now = self.clock()
        position, used = 1, -1
        for level in sorted(levels):
            found = self._approver_at(conn, units, max(level, used + 1), exclude, self.today())
            if found is None:
                break
            approver, acting_for, used = found
            first = position == 1
            due = add_working_hours(calendar, now, hours) if first else None
            state = StepState.PENDING if first else StepState.WAITING
            repo.insert_step(conn, request_id, position, used, approver, acting_for, state, due)
            if first:
                self._notify_turn(conn, request_id, approver, person)
            position += 1

    def _notify_turn(self, conn: psycopg.Connection, request_id: int, approver: str, person: Employee) -> None:
        self._notify(
            conn,
            approver,
            _both("Đơn nghỉ chờ duyệt", "Leave request to approve"),
            _both(f"{person.full_name} xin nghỉ (đơn số {request_id})", f"{person.full_name} asks for leave"),
            f"/leave?request={request_id}",
            approve=request_id,
        )

    def _finish(self, conn: psycopg.Connection, found: LeaveRequest, by: str) -> None:
        reference = found.reference or f"NP-{found.first_day.year}-{found.id}"
        repo.update_request(
            conn, found.id, status=Status.APPROVED.value, decided_by=by, decided_at=self.clock(), reference=reference
        )
        if found.replaces_id is not None:
            old = self._get(conn, found.replaces_id)
            if old.status is Status.APPROVED:
                repo.update_request(conn, old.id, status=Status.CANCELLED.value)
        person = repo.employee(conn, found.employee_code)
        self._notify(
            conn,
            person.username if person else None,
            _both("Đơn nghỉ đã được duyệt", "Leave approved"),
            _both(
                f"Đơn số {found.id} ({found.first_day:%d/%m/%Y}–{found.last_day:%d/%m/%Y}) đã được duyệt",
                f"Request {found.id} ({found.first_day:%d/%m/%Y}–{found.last_day:%d/%m/%Y}) is approved",
            ),
            f"/leave?request={found.id}",
        )

    def decide(
        self,
        principal: Principal,
        request_id: int,
        decision: str,
        comment: str | None = None,
        *,
        work_refusal: bool = False,
        client_ip: str | None = None,
    ) -> LeaveRequest:
        """The current step's approver (or the backup acting for them) approves, rejects or returns."""
        if decision not in ("approve", "reject", "return"):
            raise LeaveError(_both("quyết định không hợp lệ", "unknown decision"))
        if decision in ("reject", "return") and not (comment or "").strip():
            raise LeaveError(_both("hãy ghi lý do", "give the reason"))
        with self.pool.connection() as conn, conn.transaction():
            return self.decide_in(conn, principal, request_id, decision, comment, work_refusal, client_ip)

    def decide_in(
        self,
        conn: psycopg.Connection,
        principal: Principal,
        request_id: int,
        decision: str,
        comment: str | None = None,
        work_refusal: bool = False,
        client_ip: str | None = None,
    ) -> LeaveRequest:
        """`decide` inside the caller's transaction (an e-mail's action link runs it in the link's own)."""
        found = self._get(conn, request_id, lock=True)
        step = found.current_step
        if found.status is not Status.PENDING or step is None:
            raise WrongState(_both("đơn không ở trạng thái chờ duyệt", "the request is not waiting for approval"))
        if step.approver != principal.username:
            raise NotYourTurn(
                _both(f"đơn đang chờ {step.approver} duyệt", f"the request is waiting for {step.approver}'s decision")
            )
        now = self.clock()
        state = {"approve": StepState.APPROVED, "reject": StepState.REJECTED, "return": StepState.RETURNED}
        repo.update_step(conn, step.id, state=state[decision].value, comment=comment, decided_at=now)
        if decision == "approve":
            following = next((s for s in found.steps if s.state is StepState.WAITING), None)
            if following is None:
                self._finish(conn, found, principal.username)
            else:
                calendar = load_calendar(conn)
                levels, hours = repo.chain(conn, found.unit_path, found.leave_type, found.working_days)
                repo.update_step(
                    conn, following.id, state=StepState.PENDING.value,
                    due_at=add_working_hours(calendar, now, hours),
                )  # fmt: skip
                person = self._employee(conn, found.employee_code)
                self._notify_turn(conn, found.id, following.approver, person)
        else:
            status = Status.REJECTED if decision == "reject" else Status.RETURNED
            repo.close_open_steps(conn, found.id, StepState.SKIPPED)
            repo.update_request(
                conn, found.id, status=status.value, decided_by=principal.username, decided_at=now,
                work_refusal=work_refusal and decision == "reject",
            )  # fmt: skip
            person = self._employee(conn, found.employee_code)
            self._notify(
                conn, person.username,
                _both("Đơn nghỉ bị từ chối" if decision == "reject" else "Đơn nghỉ bị trả lại",
                      "Leave rejected" if decision == "reject" else "Leave returned for changes"),
                comment or "", f"/leave?request={found.id}",
            )  # fmt: skip
        after = self._get(conn, request_id)
        audit.record(
            conn, Actor.of(principal, client_ip), _DECISION_ACTIONS[decision], "leave_request", request_id,
            before=_summary(found), after=_summary(after) | {"comment": comment}, unit_path=found.unit_path,
        )  # fmt: skip
        return after

    def override(
        self, principal: Principal, request_id: int, decision: str, reason: str, *, client_ip: str | None = None
    ) -> LeaveRequest:
        """HR decides in place of the chain, with a reason (approve or reject)."""
        if decision not in ("approve", "reject") or not reason.strip():
            raise LeaveError(_both("cần quyết định và lý do", "a decision and a reason are needed"))
        with self.pool.connection() as conn, conn.transaction():
            found = self._get(conn, request_id, lock=True)
            require_unit(principal, found.unit_path, access.HR, "quyết định thay / override")
            if found.status not in (Status.PENDING, Status.RETURNED, Status.APPROVED, Status.REJECTED):
                raise WrongState(_both("đơn đã hủy", "the request is cancelled"))
            repo.close_open_steps(conn, found.id, StepState.SKIPPED)
            position = repo.next_position(conn, found.id)
            step_state = StepState.APPROVED if decision == "approve" else StepState.REJECTED
            step = repo.insert_step(conn, found.id, position, None, principal.username, None, step_state, None)
            repo.update_step(conn, step, comment=reason, decided_at=self.clock())
            if decision == "approve":
                self._finish(conn, found, principal.username)
            else:
                repo.update_request(
                    conn, found.id, status=Status.REJECTED.value, decided_by=principal.username,
                    decided_at=self.clock(),
                )  # fmt: skip
            after = self._get(conn, request_id)
            audit.record(
                conn, Actor.of(principal, client_ip), "leave.override", "leave_request", request_id,
                before=_summary(found), after=_summary(after) | {"reason": reason}, unit_path=found.unit_path,
            )  # fmt: skip
            return after

    def cancel(
        self, principal: Principal, request_id: int, reason: str | None = None, *, client_ip: str | None = None
    ) -> LeaveRequest:
        """The employee cancels before the leave starts; a manager or HR over the unit at any time."""
        with self.pool.connection() as conn, conn.transaction():
            found = self._get(conn, request_id, lock=True)
            own = principal.employee_id == found.employee_id
            if not principal.can_in_unit(found.unit_path, *access.ON_BEHALF):
                if not own:
                    raise AccessDenied(_both("không có quyền hủy đơn này", "not allowed to cancel this request"))
                if found.status is Status.APPROVED and found.first_day <= self.today():
                    raise WrongState(
                        _both(
                            "nghỉ đã bắt đầu: đề nghị lãnh đạo hoặc TCCB hủy",
                            "the leave has begun: ask a manager or HR to cancel it",
                        )
                    )
            if found.status in (Status.CANCELLED, Status.REJECTED):
                raise WrongState(_both("đơn đã kết thúc", "the request is already closed"))
            repo.close_open_steps(conn, found.id, StepState.SKIPPED)
            repo.update_request(conn, found.id, status=Status.CANCELLED.value)
            after = self._get(conn, request_id)
            audit.record(
                conn, Actor.of(principal, client_ip), "leave.cancel", "leave_request", request_id,
                before=_summary(found), after=_summary(after) | {"reason": reason}, unit_path=found.unit_path,
            )  # fmt: skip
            return after

    def change(
        self, principal: Principal, request_id: int, first: date, last: date, *,
        first_part: Part = Part.FULL, last_part: Part = Part.FULL, reason: str | None = None,
        client_ip: str | None = None,
    ) -> LeaveRequest:  # fmt: skip
        """Change an approved (or returned) leave: a new request replacing it goes through the chain
        again; the old one stays in force until the new one is approved."""
        with self.pool.connection() as conn:
            old = self._get(conn, request_id)
        if old.status not in (Status.APPROVED, Status.RETURNED, Status.PENDING):
            raise WrongState(
                _both("chỉ sửa được đơn đã duyệt, chờ duyệt hoặc bị trả lại", "cannot change this request")
            )
        if old.status is not Status.APPROVED:
            self.cancel(principal, request_id, "sửa đơn / changed", client_ip=client_ip)
        return self.submit(
            principal, old.employee_code, old.leave_type, first, last, first_part=first_part, last_part=last_part,
            reason=reason or old.reason, substitute_code=old.substitute_code,
            replaces=request_id if old.status is Status.APPROVED else None, client_ip=client_ip,
        )  # fmt: skip

    def delegate(
        self, principal: Principal, approver: str, backup: str, first: date, last: date, reason: str | None = None
    ) -> int:
        """Name a backup approver for a period (the approver themself, or HR)."""
        if approver != principal.username and not (principal.is_system_admin or principal.has_role(*access.HR)):
            raise AccessDenied(_both("chỉ tự ủy quyền của mình", "you may only name your own backup"))
        if last < first:
            raise LeaveError(_both("ngày kết thúc trước ngày bắt đầu", "the end is before the start"))
        with self.pool.connection() as conn, conn.transaction():
            for name in (approver, backup):
                if not repo.user_exists(conn, name):
                    raise LeaveError(_both(f"không có tài khoản {name!r}", f"no account {name!r}"))
            if approver == backup:
                raise LeaveError(_both("người dự phòng phải là người khác", "the backup must be someone else"))
            found = repo.add_delegation(conn, approver, backup, first, last, reason, principal.username)
            audit.record(
                conn, Actor.of(principal), "leave.delegate", "user", approver,
                after={"backup": backup, "first_day": first.isoformat(), "last_day": last.isoformat()},
            )  # fmt: skip
            # steps already waiting for the approver move to the backup when the period has begun
            if first <= self.today() <= last:
                for request in repo.inbox(conn, approver):
                    step = request.current_step
                    if step is not None:
                        repo.update_step(conn, step.id, approver=backup, acting_for=approver)
            return found

    def escalate_due(self) -> int:
        """The job: each pending step past its due time goes to the next level up (or HR). Returns how many."""
        moved = 0
        with self.pool.connection() as conn:
            for step_id, request_id in repo.due_steps(conn, self.clock()):
                with conn.transaction():
                    found = self._get(conn, request_id, lock=True)
                    step = found.current_step
                    if step is None or step.id != step_id:
                        continue
                    person = self._employee(conn, found.employee_code)
                    units = repo.ancestors(conn, person.unit_path)
                    exclude = {s.approver for s in found.steps} | ({person.username} if person.username else set())
                    level = (step.level if step.level is not None else len(units)) + 1
                    target = self._approver_at(conn, units, level, exclude, self.today())
                    if target is None:
                        hr = [h for h in repo.hr_of(conn, person.unit_path) if h not in exclude]
                        if not hr:
                            continue
                        target = (hr[0], None, len(units))
                    approver, acting_for, used = target
                    calendar = load_calendar(conn)
                    _, hours = repo.chain(conn, found.unit_path, found.leave_type, found.working_days)
                    repo.update_step(conn, step.id, state=StepState.ESCALATED.value, decided_at=self.clock())
                    for waiting in found.steps:
                        if waiting.state is StepState.WAITING and waiting.level is not None and waiting.level <= used:
                            repo.update_step(conn, waiting.id, state=StepState.SKIPPED.value)
                    position = repo.next_position(conn, found.id)
                    repo.insert_step(
                        conn, found.id, position, used, approver, acting_for or step.approver, StepState.PENDING,
                        add_working_hours(calendar, self.clock(), hours),
                    )  # fmt: skip
                    self._notify_turn(conn, found.id, approver, person)
                    audit.record(
                        conn, audit.SYSTEM_ACTOR, "leave.escalate", "leave_request", found.id,
                        before={"approver": step.approver}, after={"approver": approver}, unit_path=found.unit_path,
                    )  # fmt: skip
                    moved += 1
        return moved

    # --- HR -------------------------------------------------------------------------------------

    def adjust(
        self, principal: Principal, employee_code: str, year: int, days: float, reason: str, *, kind: str = "adjustment"
    ) -> int:
        """An HR adjustment (or an opening balance) with its reason; append-only."""
        if not reason.strip():
            raise LeaveError(_both("hãy ghi lý do", "give the reason"))
        if kind not in ("adjustment", "opening") or not -366 <= days <= 366:
            raise LeaveError(_both("điều chỉnh không hợp lệ", "invalid adjustment"))
        with self.pool.connection() as conn, conn.transaction():
            person = self._employee(conn, employee_code)
            require_unit(principal, person.unit_path, access.HR, "điều chỉnh phép / adjust leave")
            found = repo.add_adjustment(conn, person.id, year, kind, days, reason, principal.username)
            audit.record(
                conn, Actor.of(principal), "leave.adjust", "employee", employee_code,
                after={"year": year, "kind": kind, "days": days, "reason": reason}, unit_path=person.unit_path,
            )  # fmt: skip
            return found

    def import_opening(self, principal: Principal, year: int, rows: Sequence[SourceRow]) -> OpeningReport:
        """Opening balances of `year` from a file's rows (hub.leave.opening): the good rows written in one
        transaction (audited once), each refused row with its reason; a person who already has an
        opening balance that year is refused (an HR adjustment corrects it)."""
        report = OpeningReport(year, rows=len(rows))
        good, report.rejected = check_rows(rows, year)
        with self.pool.connection() as conn, conn.transaction():
            if year in repo.closed_years(conn):
                raise ClosedPeriod(_both(f"năm {year} đã khóa sổ phép", f"the leave year {year} is closed"))
            people = {p.code: p for p in repo.employees_by_codes(conn, [g.employee_code for g in good])}
            already = repo.with_opening(conn, [p.id for p in people.values()], year)
            written = []
            for g in good:
                person = people.get(g.employee_code)
                if person is None:
                    reason = _both(f"không có cán bộ mã {g.employee_code}", f"no employee {g.employee_code}")
                elif not principal.can_in_unit(person.unit_path, *access.HR):
                    reason = _both("cán bộ ngoài đơn vị của bạn", "the employee is outside your units")
                elif person.id in already:
                    reason = _both(
                        f"đã có số dư đầu kỳ {year}: dùng điều chỉnh", f"already has an opening balance for {year}:"
                        " use an adjustment",
                    )  # fmt: skip
                else:
                    repo.add_adjustment(conn, person.id, year, "opening", g.days, g.reason, principal.username)
                    written.append({"employee_code": g.employee_code, "days": g.days})
                    continue
                report.rejected.append(RefusedRow(g.row, "employee_code", reason))
            report.rejected.sort(key=lambda r: r.row)
            report.imported = len(written)
            if written:
                audit.record(
                    conn, Actor.of(principal), "leave.opening_import", "leave_year", year,
                    after={"imported": len(written), "rejected": len(report.rejected), "rows": written[:1000]},
                )  # fmt: skip
        return report

    def close_year(self, principal: Principal, year: int) -> dict[str, Any]:
        """Year-end close: each person's remaining days carried into the next year by the policy
        (capped, expiring, at most `carry_over_years` years combined), then no request may start in it."""
        if not principal.is_system_admin and not any(
            g.role in access.HR and g.unit_path is not None and g.unit_path.count("/") == 2 for g in principal.grants
        ):
            raise AccessDenied(_both("chỉ TCCB cấp cao nhất khóa sổ phép", "only HR at the top unit closes a year"))
        with self.pool.connection() as conn, conn.transaction():
            repo.lock_year_close(conn, year)
            if year in repo.closed_years(conn):
                raise ClosedPeriod(_both(f"năm {year} đã khóa sổ", f"{year} is already closed"))
            policy = repo.policy(conn, date(year, 12, 31))
            people = [
                p for p in repo.employees_in(conn, None) if p.active_to is None or p.active_to >= date(year + 1, 1, 1)
            ]
            found = self._balances(conn, people, year, date(year, 12, 31), policy=policy, explain=False)
            expiry = policy.carry_expiry(year)
            carried_total, count = 0.0, 0
            for person in people:
                b = found[person.id]
                # art. 113(4): at most `carry_over_years` years combined — a year's own days plus those of
                # the years before it, so no more than (years − 1) years' entitlement moves on
                cap = b.entitled_days * (policy.carry_over_years - 1)
                if policy.carry_over_max_days is not None:
                    cap = min(cap, policy.carry_over_max_days)
                days = carry_over(b.remaining_days + b.pending_days, cap)
                if days > 0:
                    repo.add_adjustment(
                        conn, person.id, year + 1, "carry_over", days,
                        f"Chuyển từ năm {year} / carried over from {year}", principal.username, expiry,
                    )  # fmt: skip
                    carried_total += days
                    count += 1
            summary = {
                "people": len(people), "carried_people": count, "carried_days": round(carried_total, 1),
                "policy": policy.code, "expires_on": expiry.isoformat() if expiry else None,
            }  # fmt: skip
            repo.close_year(conn, year, policy.code, principal.username, summary)
            audit.record(conn, Actor.of(principal), "leave.year_close", "leave_year", year, after=summary)
            return summary

    # --- the team calendar and the timesheet --------------------------------------------------------

    def team_calendar(self, principal: Principal, unit_code: str, year: int, month: int) -> TeamCalendar:
        """Who is away when in a unit (and its sub-units) for a month, with the substitute."""
        with self.pool.connection() as conn:
            found = repo.unit(conn, unit_code)
            if found is None:
                raise UnknownUnit(_both(f"không có đơn vị {unit_code!r}", f"no org unit {unit_code!r}"))
            _, code, name, path = found
            if principal.employee_unit_path != path:
                require_unit(principal, path, access.CALENDAR_VIEWERS, "xem lịch nghỉ / see the team calendar")
            first = date(year, month, 1)
            last = date(year, month, month_calendar.monthrange(year, month)[1])
            people = repo.employees_in(conn, path)
            rows = repo.team_requests(conn, path, first, last)
            calendar = load_calendar(conn)
        days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
        kinds = tuple(calendar.kind(d).value for d in days)
        by_person: dict[int, list[tuple[Any, ...]]] = {}
        for r in rows:
            by_person.setdefault(r[1], []).append(r)
        out: list[TeamRow] = []
        for person in people:
            mine = by_person.get(person.id)
            if not mine:
                out.append(TeamRow(person.code, person.full_name, ("",) * len(days), ()))
                continue
            cells = [""] * len(days)
            for _rid, _, _, symbol, f, la, fp, lp, status, _ in mine:
                for i in range(max(0, (f - first).days), min(len(days) - 1, (la - first).days) + 1):
                    day = days[i]
                    if kinds[i] not in ("workday", "make_up_day"):
                        continue
                    half = (day == f and fp != "full") or (day == la and lp != "full")
                    cell = symbol + ("½" if half else "")
                    cells[i] = cell if status == "approved" else cell + "?"
            away = tuple((r[0], r[2], r[4], r[5], r[8], r[9]) for r in mine)
            out.append(TeamRow(person.code, person.full_name, tuple(cells), away))
        return TeamCalendar(code, name, year, month, days, kinds, tuple(out))

    def report(self, principal: Principal, unit_code: str, year: int, kind: str, fmt: str) -> ExportFile:
        """A leave report of a unit's subtree as XLSX or PDF: `taken` (by unit, type and month) or
        `balances` (year end, with the days that may be paid out)."""
        from hub.reports.documents import ExportFormat
        from hub.reports.export import render

        with self.pool.connection() as conn:
            found = repo.unit(conn, unit_code)
            if found is None:
                raise UnknownUnit(_both(f"không có đơn vị {unit_code!r}", f"no org unit {unit_code!r}"))
            path = found[3]
            require_unit(principal, path, access.VIEWERS, "xem báo cáo nghỉ phép / see leave reports")
            names = repo.unit_names(conn, path)
            if kind == "taken":
                types = {t.code: t for t in repo.leave_types(conn)}
                doc = leave_reports.taken_document(
                    names, year, repo.taken_by_unit_type_month(conn, path, year), types, self.clock()
                )
            elif kind == "balances":
                people = repo.employees_in(conn, path)
                found_balances = self._balances(conn, people, year, date(year, 12, 31), explain=False)
                refused = repo.refused_for_work(conn, path, year)
                doc = leave_reports.balances_document(
                    names, year, [(p, found_balances[p.id]) for p in people], refused, self.clock()
                )
            else:
                raise LeaveError(_both("báo cáo: taken hoặc balances", "report: taken or balances"))
        return render(doc, ExportFormat(fmt))

    def checkins_on_leave(self, principal: Principal, unit_code: str, year: int, month: int) -> list[tuple[str, date]]:
        """HR's flag: (employee code, day) where someone checked in on a day of approved leave."""
        from hub.timekeeping.engine import DayStatus
        from hub.timekeeping.service import unit_timesheet

        with self.pool.connection() as conn:
            found = repo.unit(conn, unit_code)
            if found is None:
                raise UnknownUnit(_both(f"không có đơn vị {unit_code!r}", f"no org unit {unit_code!r}"))
            require_unit(principal, found[3], access.HR, "xem đối chiếu chấm công / see the leave check")
            sheet = unit_timesheet(conn, unit_code, year, month, now=self.clock())
        flagged = []
        for staff, row in zip(sheet.staff, sheet.sheet.rows, strict=True):
            for r in row.days:
                if r.status is DayStatus.ON_LEAVE and r.event_count > 0:
                    flagged.append((staff.employee_code, r.day))
        return flagged


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


def _summary(r: LeaveRequest) -> dict[str, Any]:
    return {
        "employee_code": r.employee_code,
        "leave_type": r.leave_type,
        "first_day": r.first_day.isoformat(),
        "last_day": r.last_day.isoformat(),
        "first_day_part": r.first_day_part.value,
        "last_day_part": r.last_day_part.value,
        "working_days": r.working_days,
        "status": r.status.value,
    }
