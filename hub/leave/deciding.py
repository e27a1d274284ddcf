"""Deciding on a request: approve, reject or return by the step's approver; HR's override; cancel;
changing an approved leave (a new request replacing it)."""

from __future__ import annotations

from datetime import date

import psycopg

from hub.accounts import audit
from hub.accounts.access import require_unit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.leave import access
from hub.leave import repository as repo
from hub.leave.asking import LeaveAsking
from hub.leave.core import (
    _both,
    _summary,
)
from hub.leave.days import Part
from hub.leave.hours import add_working_hours, load_calendar
from hub.leave.models import (
    LeaveError,
    LeaveRequest,
    NotYourTurn,
    Status,
    StepState,
    WrongState,
)

#: a decision → its audit action
_DECISION_ACTIONS = {"approve": "leave.approve", "reject": "leave.reject", "return": "leave.return"}


class LeaveDeciding(LeaveAsking):
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
            self._notify_cancelled(conn, found, principal, reason)
            after = self._get(conn, request_id)
            audit.record(
                conn, Actor.of(principal, client_ip), "leave.cancel", "leave_request", request_id,
                before=_summary(found), after=_summary(after) | {"reason": reason}, unit_path=found.unit_path,
            )  # fmt: skip
            return after

    def _notify_cancelled(
        self, conn: psycopg.Connection, found: LeaveRequest, principal: Principal, reason: str | None
    ) -> None:
        """Who hears of a cancellation: the employee when someone else cancels; the approver whose turn it
        was (their inbox item goes away), or the one who approved it, when it is not they who cancel."""
        span = f"{found.first_day:%d/%m/%Y}–{found.last_day:%d/%m/%Y}"
        why = f" — {reason}" if reason else ""
        person = repo.employee(conn, found.employee_code)
        if person is not None and person.username and person.username != principal.username:
            self._notify(
                conn, person.username, _both("Đơn nghỉ đã bị hủy", "Leave cancelled"),
                _both(f"Đơn số {found.id} ({span}) đã bị {principal.username} hủy{why}",
                      f"Request {found.id} ({span}) was cancelled by {principal.username}{why}"),
                f"/leave?request={found.id}",
            )  # fmt: skip
        step = found.current_step
        approver = step.approver if step is not None else found.decided_by
        if approver and approver != principal.username and found.status in (Status.PENDING, Status.APPROVED):
            self._notify(
                conn, approver, _both("Đơn nghỉ đã được rút", "Leave request withdrawn"),
                _both(f"Đơn số {found.id} của {found.full_name} ({span}) đã bị {principal.username} hủy{why}",
                      f"{found.full_name}'s request {found.id} ({span}) was cancelled by {principal.username}{why}"),
                f"/leave?request={found.id}",
            )  # fmt: skip

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
            reason=reason or old.reason, substitute_code=old.substitute_code, travel_days=old.travel_days,
            replaces=request_id if old.status is Status.APPROVED else None, client_ip=client_ip,
        )  # fmt: skip
