"""HR's year: adjustments with a reason, opening balances from a file, and the year-end close."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from hub.accounts import audit
from hub.accounts.access import require_unit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.leave import access
from hub.leave import repository as repo
from hub.leave.balance import carry_over
from hub.leave.core import (
    LeaveCore,
    _both,
)
from hub.leave.models import (
    ClosedPeriod,
    LeaveError,
)
from hub.leave.opening import OpeningReport, RefusedRow, check_rows
from hub.people.sheets import SourceRow


class LeaveYear(LeaveCore):
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
