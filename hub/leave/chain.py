"""The approval chain: who approves at each level (backups, approvers on leave), the turn's
notification, the end of the chain, backups named for a period, and escalation by the job."""

from __future__ import annotations

from datetime import date

import psycopg

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.leave import access
from hub.leave import repository as repo
from hub.leave.core import (
    _both,
)
from hub.leave.hours import add_working_hours, load_calendar
from hub.leave.models import (
    Employee,
    LeaveError,
    LeaveRequest,
    LeaveType,
    Status,
    StepState,
)
from hub.leave.permits import LeavePermits
from hub.timekeeping.calendar import WorkCalendar


class LeaveChain(LeavePermits):
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
        self._issue_permit(conn, found, by)  # the Giấy nghỉ phép, in this transaction (hub.leave.permits)
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
