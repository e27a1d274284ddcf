"""The leave service on a real database: asking, refusals, the chain with backups and escalation, HR,
the year-end close, the team calendar and the timesheet."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from hub.accounts.models import AccessDenied
from hub.leave.days import Part
from hub.leave.models import (
    ClosedPeriod,
    LeaveError,
    NotYourTurn,
    OverBalance,
    Overlap,
    Status,
    StepState,
    UnknownRequest,
)
from hub.leave.service import Attachment, LeaveService, add_working_hours
from hub.timekeeping.calendar import WorkCalendar
from hub.timekeeping.engine import DayStatus
from hub.timekeeping.service import person_month
from tests.hub.leave.conftest import Clock, Outbox, People
from tests.hub.orgdata import add_event


def audit_actions(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT action FROM audit_log WHERE action LIKE 'leave.%' ORDER BY id")]


def test_a_request_counts_working_days_goes_to_the_team_head_and_lands_in_the_timesheet(
    leave: LeaveService, people: People, org: psycopg.Connection, outbox: Outbox
) -> None:
    asked = leave.submit(
        people.duc, "NV001", "annual", date(2026, 11, 20), date(2026, 11, 25), reason="Việc gia đình",
        substitute_code="NV002",
    )  # fmt: skip
    # Fri 20, Mon 23, Tue 24 is Ngày Văn hóa Việt Nam, Wed 25
    assert asked.working_days == 3 and asked.status is Status.PENDING
    assert asked.substitute_name == "Trần Thị Lan" and asked.unit_code == "DOI1"
    assert [(s.approver, s.state) for s in asked.steps] == [("doi-truong", StepState.PENDING)]
    assert outbox.to("doi-truong") and "/leave?request=" in (outbox.to("doi-truong")[0][3] or "")
    assert [r.id for r in leave.inbox(people.doi_truong)] == [asked.id]
    with pytest.raises(NotYourTurn):
        leave.decide(people.chi_cuc_truong, asked.id, "approve")
    done = leave.decide(people.doi_truong, asked.id, "approve", "Đồng ý")
    assert done.status is Status.APPROVED and done.reference == f"NP-2026-{asked.id}"
    assert outbox.to("duc")[-1][1].startswith("Đơn nghỉ đã được duyệt")
    bal = leave.balance(people.duc, "NV001", 2026)
    assert (bal.base_days, bal.seniority_days, bal.entitled_days, bal.taken_days) == (12, 2, 14, 3)
    assert bal.remaining_days == 11
    # the timesheet shows P on the leave days, L on 24/11; a check-in on a day of leave is flagged to HR
    add_event(org, "nv-0001", datetime(2026, 11, 23, 8, 0), "in")
    add_event(org, "nv-0001", datetime(2026, 11, 23, 17, 0), "out")
    month = person_month(org, "NV001", 2026, 11, now=datetime(2026, 12, 1, tzinfo=UTC))
    symbols = {d: month.row.symbols[d - 1] for d in (20, 23, 24, 25)}
    assert symbols == {20: "P", 23: "P", 24: "L", 25: "P"}
    assert month.row.days[22].status is DayStatus.ON_LEAVE
    assert leave.checkins_on_leave(people.tccb, "CHQHN", 2026, 11) == [("NV001", date(2026, 11, 23))]
    with pytest.raises(AccessDenied):
        leave.checkins_on_leave(people.duc, "CHQHN", 2026, 11)
    assert audit_actions(org) == ["leave.request", "leave.approve"]


def test_overlap_over_balance_and_closed_year_are_refused_with_nothing_written(
    leave: LeaveService, people: People, org: psycopg.Connection
) -> None:
    first = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 9), date(2026, 11, 10))
    with pytest.raises(Overlap) as overlap:
        leave.submit(people.duc, "NV001", "annual", date(2026, 11, 10), date(2026, 11, 11))
    assert "trùng với đơn số" in str(overlap.value) and "overlaps request" in str(overlap.value)
    # a morning and an afternoon of one day do not overlap
    leave.submit(people.duc, "NV001", "annual", date(2026, 11, 12), date(2026, 11, 12), first_part=Part.MORNING)
    leave.submit(people.duc, "NV001", "marriage", date(2026, 11, 12), date(2026, 11, 12), first_part=Part.AFTERNOON)
    with pytest.raises(OverBalance) as over:  # 14 days, 2.5 pending: 12 working days of December is too many
        leave.submit(people.duc, "NV001", "annual", date(2026, 12, 1), date(2026, 12, 16))
    assert "vượt số ngày phép còn lại" in str(over.value) and "left 11.5" in str(over.value)
    with pytest.raises(LeaveError, match="tối đa 3 ngày"):
        leave.submit(people.duc, "NV001", "marriage", date(2026, 12, 1), date(2026, 12, 4))
    with pytest.raises(LeaveError, match="certificate"):
        leave.submit(people.duc, "NV001", "sick", date(2026, 12, 1), date(2026, 12, 2))
    sick = leave.submit(
        people.duc, "NV001", "sick", date(2026, 12, 1), date(2026, 12, 2),
        attachments=[Attachment("giay-ra-vien.pdf", "application/pdf", b"%PDF-1.4 test")],
    )  # fmt: skip
    assert sick.working_days == 2
    kept = leave.request(people.duc, sick.id).attachments[0]
    assert kept[1] == "giay-ra-vien.pdf"
    assert leave.attachment(people.duc, sick.id, kept[0]) == ("giay-ra-vien.pdf", "application/pdf", b"%PDF-1.4 test")
    with pytest.raises(AccessDenied):
        leave.attachment(people.dat, sick.id, kept[0])  # not theirs, not over their unit
    with pytest.raises(UnknownRequest):
        leave.attachment(people.duc, sick.id, kept[0] + 1000)
    with pytest.raises(LeaveError, match="không có ngày làm việc"):
        leave.submit(people.duc, "NV001", "annual", date(2026, 11, 14), date(2026, 11, 15))
    org.execute("INSERT INTO leave_year_closes (year, policy_code, closed_by) VALUES (2025, 'default', 'x')")
    with pytest.raises(ClosedPeriod):
        leave.submit(people.duc, "NV001", "annual", date(2025, 12, 29), date(2026, 1, 2))
    with pytest.raises(AccessDenied):
        leave.submit(people.dat, "NV001", "annual", date(2026, 12, 21), date(2026, 12, 21))
    count = org.execute("SELECT count(*) FROM leave_requests").fetchone()
    assert count is not None and count[0] == 4 and first.id


def test_a_two_level_chain_with_a_backup_while_the_team_head_is_on_leave(
    leave: LeaveService, people: People, org: psycopg.Connection, clock: Clock
) -> None:
    org.execute("INSERT INTO leave_approval_chains (min_days, levels) VALUES (5, '{0,1}')")
    # the team head is employee NV002, moved to DOI1 (the account `lan` gives that employee up), on leave today
    org.execute("UPDATE employees SET unit_id = (SELECT id FROM org_units WHERE code = 'DOI1') WHERE id = 2")
    org.execute("UPDATE users SET employee_id = NULL WHERE username = 'lan'")
    org.execute("UPDATE users SET employee_id = 2 WHERE username = 'doi-truong'")
    own = leave.submit(people.tccb, "NV002", "annual", date(2026, 11, 2), date(2026, 11, 4))
    leave.override(people.tccb, own.id, "approve", "nghỉ đã được thống nhất")
    # a long request (5 days) needs the team and the Chi cục: the team head is away, so the Chi cục head
    # takes level 0's place and the Cục head level 1
    long = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 16), date(2026, 11, 20))
    assert [(s.approver, s.level) for s in long.steps] == [("chi-cuc-truong", 1), ("cuc-truong", 2)]
    # with a backup named for the period, the backup acts for the team head
    leave.delegate(people.doi_truong, "doi-truong", "lan", date(2026, 11, 2), date(2026, 11, 4))
    short = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 23), date(2026, 11, 23))
    assert [(s.approver, s.acting_for) for s in short.steps] == [("lan", "doi-truong")]
    leave.decide(people.lan, short.id, "approve")
    approved = leave.decide(people.chi_cuc_truong, long.id, "approve")
    assert approved.status is Status.PENDING and approved.current_step.approver == "cuc-truong"  # type: ignore[union-attr]
    assert leave.decide(people.cuc_truong, long.id, "approve").status is Status.APPROVED
    assert "leave.delegate" in audit_actions(org) and "leave.override" in audit_actions(org)


def test_a_request_waiting_too_long_is_escalated_by_the_job(
    leave: LeaveService, people: People, org: psycopg.Connection, clock: Clock, outbox: Outbox
) -> None:
    asked = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 23), date(2026, 11, 23))
    step = asked.steps[0]
    # 16 working hours from Monday 09:00: Wednesday 09:00 (local)
    assert step.due_at == datetime(2026, 11, 4, 2, 0, tzinfo=UTC)
    clock.now = datetime(2026, 11, 4, 1, 59, tzinfo=UTC)
    assert leave.escalate_due() == 0
    clock.now = datetime(2026, 11, 4, 2, 1, tzinfo=UTC)
    assert leave.escalate_due() == 1
    moved = leave.request(people.duc, asked.id)
    assert [(s.approver, s.state) for s in moved.steps] == [
        ("doi-truong", StepState.ESCALATED),
        ("chi-cuc-truong", StepState.PENDING),
    ]
    assert moved.steps[1].acting_for == "doi-truong" and outbox.to("chi-cuc-truong")
    with pytest.raises(NotYourTurn):
        leave.decide(people.doi_truong, asked.id, "approve")
    assert leave.decide(people.chi_cuc_truong, asked.id, "approve").status is Status.APPROVED
    assert "leave.escalate" in audit_actions(org)


def test_working_hours_skip_nights_lunch_weekends_and_holidays() -> None:
    cal = WorkCalendar()
    friday_4pm = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 16:00 local
    assert add_working_hours(cal, friday_4pm, 2) == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Mon 09:00
    monday_4pm = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert add_working_hours(cal, monday_4pm, 2) == datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 24/11 off
    morning = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)  # 11:30 local
    assert add_working_hours(cal, morning, 1) == datetime(2026, 11, 25, 6, 30, tzinfo=UTC)  # 13:30 local


def test_return_change_reject_cancel_and_the_payable_refusal_flag(
    leave: LeaveService, people: People, org: psycopg.Connection, clock: Clock
) -> None:
    asked = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 16), date(2026, 11, 17))
    with pytest.raises(LeaveError, match="lý do"):
        leave.decide(people.doi_truong, asked.id, "return")
    returned = leave.decide(people.doi_truong, asked.id, "return", "Trùng đợt kiểm tra, chọn tuần sau")
    assert returned.status is Status.RETURNED
    again = leave.change(people.duc, asked.id, date(2026, 11, 23), date(2026, 11, 23))
    assert again.status is Status.PENDING and again.working_days == 1
    assert leave.request(people.duc, asked.id).status is Status.CANCELLED
    approved = leave.decide(people.doi_truong, again.id, "approve")
    # change of an approved leave: the old one stays until the new one is approved
    moved = leave.change(people.duc, approved.id, date(2026, 11, 25), date(2026, 11, 26))
    assert leave.request(people.duc, approved.id).status is Status.APPROVED
    leave.decide(people.doi_truong, moved.id, "approve")
    assert leave.request(people.duc, approved.id).status is Status.CANCELLED
    refused = leave.submit(people.duc, "NV001", "annual", date(2026, 12, 7), date(2026, 12, 8))
    refused = leave.decide(people.doi_truong, refused.id, "reject", "Cao điểm cuối năm", work_refusal=True)
    flag = org.execute("SELECT work_refusal FROM leave_requests WHERE id = %s", (refused.id,)).fetchone()
    assert refused.status is Status.REJECTED and flag == (True,)
    # the employee cancels before the start; after it has begun only a manager or HR can
    clock.now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    with pytest.raises(LeaveError, match="đã bắt đầu"):
        leave.cancel(people.duc, moved.id)
    assert leave.cancel(people.doi_truong, moved.id, "về sớm").status is Status.CANCELLED
    assert audit_actions(org).count("leave.cancel") == 2


def test_year_end_close_carries_over_and_closes_the_year(
    leave: LeaveService, people: People, org: psycopg.Connection, clock: Clock
) -> None:
    taken = leave.submit(people.duc, "NV001", "annual", date(2026, 12, 14), date(2026, 12, 18))
    leave.decide(people.doi_truong, taken.id, "approve")
    leave.adjust(people.tccb, "NV001", 2026, -1.5, "Trừ ngày nghỉ quá năm 2025")
    with pytest.raises(AccessDenied):
        leave.close_year(people.doi_truong, 2026)
    summary = leave.close_year(people.tccb, 2026)
    assert summary["people"] == 3 and summary["carried_people"] == 3
    carried = org.execute(
        "SELECT e.employee_code, a.days FROM leave_adjustments a JOIN employees e ON e.id = a.employee_id"
        " WHERE a.year = 2027 AND a.kind = 'carry_over' ORDER BY 1"
    ).fetchall()
    assert [(c, float(d)) for c, d in carried] == [("NV001", 14 - 5 - 1.5), ("NV002", 14), ("NV003", 14)]
    b2027 = leave.balance(people.duc, "NV001", 2027, date(2027, 1, 4))
    assert b2027.carried_over_days == 7.5 and b2027.remaining_days == 14 + 7.5
    with pytest.raises(ClosedPeriod):
        leave.close_year(people.tccb, 2026)
    with pytest.raises(ClosedPeriod):
        leave.submit(people.duc, "NV001", "annual", date(2026, 12, 28), date(2026, 12, 28))
    # a policy where carried days lapse after the first quarter
    org.execute("UPDATE leave_policies SET carry_over_until = '03-31', carry_over_max_days = 5")
    summary = leave.close_year(people.tccb, 2027)
    row = org.execute(
        "SELECT days, expires_on FROM leave_adjustments WHERE year = 2028 AND kind = 'carry_over'"
        " AND employee_id = (SELECT id FROM employees WHERE employee_code = 'NV001')"
    ).fetchone()
    assert row is not None and (float(row[0]), row[1]) == (5.0, date(2028, 3, 31))
    assert leave.balance(people.duc, "NV001", 2028, date(2028, 4, 1)).lapsed_days == 5


def test_the_team_calendar_shows_who_is_away_with_the_substitute(
    leave: LeaveService, people: People, org: psycopg.Connection
) -> None:
    a = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 5), date(2026, 11, 6), substitute_code="NV002",
                     last_part=Part.MORNING)  # fmt: skip
    leave.decide(people.doi_truong, a.id, "approve")
    leave.submit(people.tccb, "NV002", "business_trip", date(2026, 11, 9), date(2026, 11, 10))
    team = leave.team_calendar(people.chi_cuc_truong, "CCHQNB", 2026, 11)
    rows = {r.employee_code: r for r in team.rows}
    assert set(rows) == {"NV001", "NV002"} and len(team.days) == 30
    assert rows["NV001"].cells[4:6] == ("P", "P½") and rows["NV001"].away[0][5] == "Trần Thị Lan"
    assert rows["NV002"].cells[8:10] in (("CT?", "CT?"), ("CT", "CT"))
    assert team.day_kinds[23] == "holiday"
    # the unit's own staff see it; someone of another department does not
    leave.team_calendar(people.duc, "DOI1", 2026, 11)
    with pytest.raises(AccessDenied):
        leave.team_calendar(people.dat, "CCHQNB", 2026, 11)


def test_a_new_joiner_and_a_five_year_anniversary(leave: LeaveService, people: People, org: psycopg.Connection) -> None:
    org.execute("UPDATE employees SET active_from = '2026-07-15', service_start = NULL WHERE employee_code = 'NV003'")
    org.execute("UPDATE employees SET service_start = '2021-09-15' WHERE employee_code = 'NV002'")
    new = leave.balance(people.tccb, "NV003", 2026)
    assert (new.entitled_days, new.remaining_days) == (6, 6)
    assert any("Điều 66" in line for line, _ in new.explanation)
    five = leave.balance(people.tccb, "NV002", 2026)
    assert (five.seniority_days, five.entitled_days) == (1, 13)
    before = leave.balance(people.tccb, "NV002", 2025)
    assert before.seniority_days == 0
    assert clock_free(leave)


def clock_free(leave: LeaveService) -> bool:
    return leave.today() == date(2026, 11, 2) and timedelta(0) == timedelta(0)
