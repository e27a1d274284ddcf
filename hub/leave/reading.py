"""Reading leave: types, balances, requests, the inbox and the preview of a request."""

from __future__ import annotations

from datetime import date

from hub.accounts.access import require_employee, require_unit
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.leave import access
from hub.leave import repository as repo
from hub.leave.balance import Balance
from hub.leave.core import (
    LeaveCore,
    Preview,
    _both,
)
from hub.leave.days import Part, count_days
from hub.leave.hours import load_calendar
from hub.leave.models import (
    Employee,
    LeaveRequest,
    LeaveType,
    UnknownRequest,
)
from hub.leave.travel import travel_added
from hub.people.service import UnknownUnit
from hub.timekeeping.calendar import WorkCalendar


class LeaveReading(LeaveCore):
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

    def attachment(self, principal: Principal, request_id: int, attachment_id: int) -> tuple[str, str, bytes]:
        """(filename, content type, bytes) of an attachment, for whoever may see the request."""
        self.request(principal, request_id)
        with self.pool.connection() as conn:
            found = repo.attachment(conn, request_id, attachment_id)
        if found is None or self.store is None:
            raise UnknownRequest(_both(f"đơn {request_id} không có tệp {attachment_id}",
                                      f"request {request_id} has no attachment {attachment_id}"))  # fmt: skip
        sha, filename, content_type = found
        try:
            return filename, content_type, self.store.get(sha)
        except FileNotFoundError:
            raise UnknownRequest(_both(f"tệp {filename} không còn trong kho", f"the file {filename} is gone")) from None

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
        travel_days: float = 0.0,
    ) -> Preview:
        """The working days of a request before it is sent, the travel days it would get added, and the
        balance it would leave."""
        with self.pool.connection() as conn:
            person = self._employee(conn, employee_code)
            require_employee(principal, person.id, person.unit_path, access.ON_BEHALF, "xin nghỉ / ask for leave")
            kind = self._type(conn, leave_type, first)
            calendar = load_calendar(conn)
            count = count_days(calendar, first, last, first_part, last_part)
            travel = travel_added(kind, travel_days, count.working_days, repo.travel_used(conn, person.id, first.year))
            bal = None
            if kind.deducts_balance:
                bal = self._balances(conn, [person], first.year, first, calendar)[person.id]
            return Preview(count, bal, kind, travel)
