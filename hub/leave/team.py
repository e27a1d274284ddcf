"""Views over a unit: the team calendar, the leave reports (XLSX/PDF) and HR's check-ins on leave days."""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta
from typing import Any

from hub.accounts.access import require_unit
from hub.accounts.principal import Principal
from hub.leave import access
from hub.leave import reports as leave_reports
from hub.leave import repository as repo
from hub.leave.core import (
    LeaveCore,
    _both,
)
from hub.leave.hours import load_calendar
from hub.leave.models import (
    LeaveError,
    TeamCalendar,
    TeamRow,
)
from hub.people.service import UnknownUnit
from hub.reports.documents import ExportFile


class LeaveTeam(LeaveCore):
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
