"""Reporting regimes, opening, pre-filling, the workflow, versions, the list of who has not submitted and the
reminder job, on a real database (issue 18 items 1–2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from hub.access import AccessDenied
from hub.documents.service import DocumentsService
from hub.leave.days import working_days
from hub.reporting.models import ReportingError, ReportStatus, UnknownReport, WrongState
from hub.reporting.periods import Frequency, last_closed, parse_period
from hub.reporting.service import ReportingService
from hub.reporting.template import TemplateError
from hub.reports import compute as reports
from hub.timekeeping.service import load_calendar
from tests.hub.orgdata import add_event
from tests.hub.reporting.conftest import REPORTERS, TEMPLATE, Clock, People


def define(reporting: ReportingService, people: People, **changes) -> object:  # noqa: ANN003
    values = {
        "valid_from": date(2026, 1, 1), "name_vi": "Báo cáo tình hình hoạt động hằng tháng",
        "name_en": "Monthly activity report", "basis": "Nghị định 09/2019/NĐ-CP; Quyết định 100/QĐ-HQHN",
        "content": "Nhân sự, chuyên cần, văn bản", "frequency_name": "monthly", "deadline_days": 2,
        "owner_unit": "CHQHN", "template": TEMPLATE, "reporters": REPORTERS,
    }  # fmt: skip
    values.update(changes)
    return reporting.define(people.office, "hoat-dong-thang", **values)


def leave_row(conn: psycopg.Connection, first: date, last: date, last_part: str = "full") -> None:
    """An approved annual leave of NV001 (DOI1), as hub.leave stores it."""
    conn.execute(
        "INSERT INTO leave_requests (employee_id, unit_id, leave_type, first_day, last_day, last_day_part,"
        " working_days, status, requested_by) SELECT e.id, e.unit_id, 'annual', %s, %s, %s, 0, 'approved', 'duc'"
        " FROM employees e WHERE e.employee_code = 'NV001'",
        (first, last, last_part),
    )


def test_prefilled_figures_equal_what_the_modules_hold(
    org: psycopg.Connection, people: People, reporting: ReportingService, documents: DocumentsService, clock: Clock
) -> None:
    define(reporting, people)
    # timekeeping: NV001 late on Monday 2 March (08:20, grace 5 min), on time on the 3rd
    add_event(org, "nv-0001", datetime(2026, 3, 2, 8, 20))
    add_event(org, "nv-0001", datetime(2026, 3, 2, 17, 10))
    add_event(org, "nv-0001", datetime(2026, 3, 3, 7, 55))
    add_event(org, "nv-0001", datetime(2026, 3, 3, 17, 5))
    add_event(org, "nv-0001", datetime(2026, 3, 16, 8, 30))  # after the cut-off: not counted
    # leave: Thu 12 – Tue 17 March, of which 12 and 13 lie in the period (14 is a Saturday)
    leave_row(org, date(2026, 3, 12), date(2026, 3, 17))
    leave_row(org, date(2026, 2, 10), date(2026, 2, 16), "morning")  # 15–16 Feb inside: Sunday and Tết eve
    # documents: DOI1 receives one, CCHQNB issues one, inside the period; one before it
    clock.now = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
    admin = people.office.__class__.tool("test", "Test")
    documents.register_incoming(
        admin,
        "DOI1",
        type_key="cong_van",
        code_number="15",
        code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính",
        issued_date=date(2026, 3, 4),
        subject="Về việc thử",
    )
    documents.register_outgoing(admin, "CCHQNB", type_key="QĐ", subject="Về việc thử", drafter="VP", place="Hà Nội")
    clock.now = datetime(2026, 2, 13, 2, 0, tzinfo=UTC)
    documents.register_outgoing(admin, "CCHQNB", type_key="QĐ", subject="Trước kỳ", drafter="VP", place="Hà Nội")
    clock.now = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)

    assert reporting.open_period(people.office, "hoat-dong-thang", "2026-03") == 2
    assert reporting.open_period(people.office, "hoat-dong-thang", "2026-03") == 0  # once per unit and period
    listed = {r.unit_code: r for r in reporting.reports(people.office, "hoat-dong-thang", "2026-03")}
    assert set(listed) == {"DOI1", "CCHQNB"}
    doi = reporting.report(people.doi_clerk, listed["DOI1"].id)
    cc = reporting.report(people.cc_manager, listed["CCHQNB"].id)
    first, last = date(2026, 2, 15), date(2026, 3, 14)
    assert (doi.report.period_start, doi.report.period_end) == (first, last)
    # two working days after the cut-off (Sat 14 → Mon 16, Tue 17)
    assert doi.report.deadline == date(2026, 3, 17) and doi.report.recipient_code == "CCHQNB"
    assert cc.report.recipient_code == "CHQHN"

    now = clock()
    for unit, filled in (("DOI1", doi), ("CCHQNB", cc)):
        late = reports.lateness(org, unit, first, last, now)
        absent = reports.absences(org, unit, first, last, now)
        assert filled.values["staff"] == absent.staff_count == late.staff_count
        assert filled.values["late"] == sum(r.late_count for r in late.rows)
        person_days = absent.working_days * absent.staff_count
        expected = round(100 * (person_days - sum(r.absent_days for r in absent.rows)) / person_days, 2)
        assert filled.values["rate"] == expected
    assert doi.values["late"] == 1 and doi.values["staff"] == 1 and cc.values["staff"] == 2
    calendar = load_calendar(org)
    inside = working_days(calendar, date(2026, 3, 12), date(2026, 3, 14))
    inside += working_days(calendar, date(2026, 2, 15), date(2026, 2, 16), "full", "morning")
    assert doi.values["leave"] == inside == 2.0
    assert cc.values["leave"] == 2.0  # NV001's leave counts in the subtree above too
    assert (doi.values["received"], doi.values["issued"]) == (1, 0)
    assert (cc.values["received"], cc.values["issued"]) == (1, 1)
    assert doi.values["late_per_person"] == 1.0  # the formula over the pre-filled figures
    assert doi.report.values["late"].source == "late_arrivals" and doi.report.status is ReportStatus.DRAFT


def test_fill_correct_with_a_note_submit_return_accept(
    org: psycopg.Connection, people: People, reporting: ReportingService
) -> None:
    define(reporting, people)
    reporting.open_period(people.office, "hoat-dong-thang", "2026-03")
    doi = next(r for r in reporting.reports(people.doi_clerk) if r.unit_code == "DOI1")
    staff = reporting.report(people.doi_clerk, doi.id).values["staff"]
    with pytest.raises(ReportingError, match="note must say why"):
        reporting.save(people.doi_clerk, doi.id, {"staff": staff + 3})
    with pytest.raises(ReportingError, match="cannot be filled"):
        reporting.save(people.doi_clerk, doi.id, {"late_per_person": 2})
    with pytest.raises(TemplateError, match="must be a number"):
        reporting.save(people.doi_clerk, doi.id, {"late": "nhiều"})
    filled = reporting.save(
        people.doi_clerk, doi.id,
        {"staff": staff + 1, "cases": [{"kind": "Buôn lậu", "count": 3}, {"kind": "Gian lận", "count": 4}]},
        {"staff": "Một cán bộ biệt phái chưa có trong CCES"},
    )  # fmt: skip
    assert filled.values["staff"] == staff + 1 and filled.report.values["staff"].prefilled == staff
    assert filled.report.values["staff"].corrected and filled.report.values["staff"].note.startswith("Một cán bộ")
    assert filled.totals == {"cases.count": 7.0} and filled.values["cases_total"] == 7.0

    with pytest.raises(AccessDenied):  # a clerk fills, a manager submits
        reporting.submit(people.doi_clerk, doi.id)
    with pytest.raises(ReportingError, match="summary"):  # the required text is empty
        reporting.submit(people.doi_manager, doi.id)
    reporting.save(people.doi_clerk, doi.id, {"summary": "Hoàn thành nhiệm vụ."})
    assert reporting.submit(people.doi_manager, doi.id).report.status is ReportStatus.SUBMITTED
    with pytest.raises(WrongState):
        reporting.save(people.doi_clerk, doi.id, {"summary": "Sửa sau khi gửi"})
    with pytest.raises(UnknownReport):  # outside the caller's units: as if it did not exist
        reporting.report(people.hcm_manager, doi.id)
    with pytest.raises(AccessDenied):  # the reporting unit's manager does not review its own report
        reporting.decide(people.doi_manager, doi.id, accept=True)
    with pytest.raises(ReportingError, match="comments"):
        reporting.decide(people.cc_manager, doi.id, accept=False)
    returned = reporting.decide(people.cc_manager, doi.id, accept=False, comment="Bổ sung số vụ việc tháng 3")
    assert returned.report.status is ReportStatus.RETURNED and returned.report.comment.startswith("Bổ sung")
    reporting.save(people.doi_clerk, doi.id, {"cases": [{"kind": "Buôn lậu", "count": 5}]})
    reporting.submit(people.doi_manager, doi.id)
    accepted = reporting.decide(people.cc_manager, doi.id, accept=True)
    assert accepted.report.status is ReportStatus.ACCEPTED
    assert [e.kind for e in accepted.report.events] == [
        "opened", "saved", "saved", "submitted", "returned", "saved", "submitted", "accepted",
    ]  # fmt: skip
    told = org.execute(
        "SELECT u.username, n.category FROM notifications n JOIN users u ON u.id = n.user_id ORDER BY n.id"
    ).fetchall()
    assert ("chi-cuc-truong", "reporting.submitted") in told
    assert ("doi-truong", "reporting.decided") in told and ("van-thu-doi", "reporting.decided") in told
    audit = {r[0] for r in org.execute("SELECT action FROM audit_log WHERE entity = 'report'")}
    assert audit == {"report.save", "report.submit", "report.return", "report.accept"}


def test_a_regime_changed_mid_year_keeps_old_reports_on_their_version(
    people: People, reporting: ReportingService, clock: Clock
) -> None:
    """And the refusals when a regime is defined: nothing is saved then."""
    with pytest.raises(ReportingError, match="reports to a unit above it"):
        define(reporting, people, reporters=[("CCHQNB", "DOI1")])
    with pytest.raises(ReportingError, match="reports to a unit above it"):
        define(reporting, people, reporters=[("CHQHCM", "TCHQ")])  # outside the receiving unit
    with pytest.raises(AccessDenied):  # the office admin of CHQHN cannot define a regime received by TCHQ
        define(reporting, people, owner_unit="TCHQ", reporters=[("CHQHN", "TCHQ")])
    with pytest.raises(TemplateError, match="cycle"):
        define(reporting, people, template={"indicators": [
            {"code": "a", "name_vi": "A", "name_en": "A", "formula": "b + 1"},
            {"code": "b", "name_vi": "B", "name_en": "B", "formula": "a * 2"}]})  # fmt: skip
    with pytest.raises(TemplateError, match="arithmetic|numbers, codes"):
        define(reporting, people, template={"indicators": [
            {"code": "a", "name_vi": "A", "name_en": "A", "formula": "__import__('os').system('x')"}]})  # fmt: skip
    assert reporting.regimes(people.doi_clerk) == []  # nothing was saved
    define(reporting, people)
    with pytest.raises(WrongState, match="not cut off"):
        reporting.open_period(people.office, "hoat-dong-thang", "2026-04")
    clock.now = datetime(2026, 2, 16, 2, 0, tzinfo=UTC)
    assert reporting.open_period(people.office, "hoat-dong-thang", "2026-02") == 2
    changed = {
        "indicators": [
            *TEMPLATE["indicators"],
            {"code": "trainings", "name_vi": "Số lớp tập huấn", "name_en": "Trainings"},
        ]
    }
    v2 = define(reporting, people, valid_from=date(2026, 3, 1), template=changed, deadline_days=5)
    assert v2.version == 2 and [v.version for v in reporting.regime(people.doi_clerk, "hoat-dong-thang")] == [2, 1]
    with pytest.raises(WrongState):  # one version per day it comes into force
        define(reporting, people, valid_from=date(2026, 3, 1))
    clock.now = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)
    reporting.open_period(people.office, "hoat-dong-thang", "2026-03")
    by_period = {r.period_key: r for r in reporting.reports(people.doi_clerk) if r.unit_code == "DOI1"}
    old, new = (
        reporting.report(people.doi_clerk, by_period["2026-02"].id),
        reporting.report(people.doi_clerk, by_period["2026-03"].id),
    )
    assert (old.report.version, new.report.version) == (1, 2)
    assert "trainings" not in old.template.by_code() and "trainings" in new.template.by_code()
    # two working days after Sat 14 Feb, past the Tết holidays (16–20 Feb); five after Sat 14 March
    assert old.report.deadline == date(2026, 2, 24) and new.report.deadline == date(2026, 3, 20)
    with pytest.raises(ReportingError):  # the old report keeps the old template
        reporting.save(people.doi_clerk, old.report.id, {"trainings": 2})
    reporting.save(people.doi_clerk, new.report.id, {"trainings": 2})


def test_late_units_reminded_then_escalated_and_the_list_of_who_has_not_submitted(
    org: psycopg.Connection, people: People, reporting: ReportingService, clock: Clock
) -> None:
    define(reporting, people)
    assert reporting.open_due() == 2  # the job: the latest period cut off before today (2026-03)
    assert reporting.open_due() == 0
    ids = {r.unit_code: r.id for r in reporting.reports(people.office)}
    reporting.save(people.doi_clerk, ids["DOI1"], {"summary": "Ổn định."})
    reporting.submit(people.doi_manager, ids["DOI1"])
    assert reporting.remind_late() == 0  # due 17 March: not late yet
    missing = reporting.missing(people.cuc_manager, "hoat-dong-thang", "2026-03")
    assert [(m.unit_code, m.late) for m in missing] == [("CCHQNB", False)]
    assert [m.unit_code for m in reporting.missing(people.cc_manager, "hoat-dong-thang", "2026-03")] == []
    with pytest.raises(AccessDenied):
        reporting.missing(people.doi_clerk, "hoat-dong-thang", "2026-03")

    reporting.decide(people.cc_manager, ids["DOI1"], accept=False, comment="Thiếu số liệu")  # DOI1 late again
    day = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)
    for n in range(3):
        clock.now = day + timedelta(days=n)
        assert reporting.remind_late() == 2
        assert reporting.remind_late() == 0  # once a day
    told = org.execute(
        "SELECT u.username, count(*) FROM notifications n JOIN users u ON u.id = n.user_id"
        " WHERE n.category = 'reporting.due' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    # DOI1's manager and clerk each day; CCHQNB's manager for CCHQNB's own report each day and, on the
    # third day, for DOI1's (escalation); CHQHN's manager on the third day for CCHQNB's
    assert dict(told) == {"doi-truong": 3, "van-thu-doi": 3, "chi-cuc-truong": 4, "cuc-truong": 1}
    mails = org.execute("SELECT to_address, subject FROM notification_mail ORDER BY id").fetchall()
    assert [m[0] for m in mails if "late" in m[1] or "Quá hạn" in m[1]] == ["doi-truong@hq.example.vn"] * 3
    late = reporting.missing(people.cuc_manager, "hoat-dong-thang", "2026-03")
    assert {(m.unit_code, m.status, m.late, m.reminders) for m in late} == {
        ("DOI1", ReportStatus.RETURNED, True, 3), ("CCHQNB", ReportStatus.DRAFT, True, 3),
    }  # fmt: skip


def test_periods_follow_each_other() -> None:
    assert parse_period("monthly", "2026-01").previous().key == "2025-12"
    assert parse_period("quarterly", "2026-Q4").next().key == "2027-Q1"
    assert last_closed(Frequency.MONTHLY, date(2026, 3, 15)).key == "2026-03"
    assert last_closed(Frequency.MONTHLY, date(2026, 3, 14)).key == "2026-02"
    assert last_closed(Frequency.QUARTERLY, date(2026, 1, 5)).key == "2025-Q4"
    assert last_closed(Frequency.YEARLY, date(2026, 12, 15)).key == "2026"
    assert last_closed(Frequency.HALF_YEAR, date(2026, 6, 14)).key == "2025-H1"
    assert last_closed(Frequency.NINE_MONTH, date(2027, 1, 2)).key == "2026-9M"


def test_the_jobs_are_declared() -> None:
    from hub.reporting.jobs import reporting_jobs

    service = ReportingService(None, lambda: datetime(2026, 3, 16, tzinfo=UTC))  # type: ignore[arg-type]
    specs = {s.name: s for s in reporting_jobs(service)}
    assert specs["reporting.open_due"].run == service.open_due and specs["reporting.open_due"].every_s == 3600
    assert specs["reporting.remind_late"].run == service.remind_late


def test_consolidation_at_two_levels_follows_a_correction(
    org: psycopg.Connection, people: People, reporting: ReportingService, clock: Clock
) -> None:
    """DOI1 reports to CCHQNB, CCHQNB to CHQHN: each level sums the reports sent to it; a report returned and
    corrected is in the next consolidation; the previous period and the same period last year beside it."""
    define(reporting, people, valid_from=date(2025, 1, 1))
    for when, key in ((datetime(2025, 3, 16, 2, tzinfo=UTC), "2025-03"), (datetime(2026, 2, 16, 2, tzinfo=UTC),
                      "2026-02"), (datetime(2026, 3, 16, 2, tzinfo=UTC), "2026-03")):  # fmt: skip
        clock.now = when
        reporting.open_period(people.office, "hoat-dong-thang", key)
    ids = {(r.unit_code, r.period_key): r.id for r in reporting.reports(people.office)}

    def send(unit: str, key: str, cases: list, manager) -> None:  # noqa: ANN001
        reporting.save(people.doi_clerk if unit == "DOI1" else manager, ids[(unit, key)],
                       {"summary": "Ổn định", "cases": cases})  # fmt: skip
        reporting.submit(people.doi_manager if unit == "DOI1" else manager, ids[(unit, key)])

    send("DOI1", "2026-03", [{"kind": "Buôn lậu", "count": 3}], None)
    send("DOI1", "2026-02", [{"kind": "Buôn lậu", "count": 1}], None)
    send("DOI1", "2025-03", [{"kind": "Buôn lậu", "count": 2}], None)
    branch = reporting.consolidate(people.cc_manager, "hoat-dong-thang", "2026-03", "CCHQNB")
    assert [(p.unit_code, p.status) for p in branch.parts] == [("DOI1", ReportStatus.SUBMITTED)]
    assert branch.totals == {"cases.count": 3.0} and branch.values["cases_total"] == 3.0
    assert branch.values["staff"] == 1 and branch.values["late_per_person"] == branch.values["late"] / 1
    assert (branch.previous["cases_total"], branch.last_year["cases_total"]) == (1.0, 2.0)
    top = reporting.consolidate(people.cuc_manager, "hoat-dong-thang", "2026-03", "CHQHN")
    assert [(p.unit_code, p.status, p.values) for p in top.parts] == [("CCHQNB", ReportStatus.DRAFT, {})]
    assert top.values["cases_total"] is None  # nothing sent to CHQHN yet
    send("CCHQNB", "2026-03", [{"kind": "Buôn lậu", "count": 3}, {"kind": "Gian lận", "count": 2}],
         people.cc_manager)  # fmt: skip
    top = reporting.consolidate(people.cuc_manager, "hoat-dong-thang", "2026-03", "CHQHN")
    assert top.values["cases_total"] == 5.0 and top.values["staff"] == 2

    # DOI1's report returned and corrected: the branch's consolidation follows
    reporting.decide(people.cc_manager, ids[("DOI1", "2026-03")], accept=False, comment="Sai số vụ")
    assert reporting.consolidate(people.cc_manager, "hoat-dong-thang", "2026-03", "CCHQNB").values[
        "cases_total"] is None  # fmt: skip
    send("DOI1", "2026-03", [{"kind": "Buôn lậu", "count": 4}], None)
    assert reporting.consolidate(people.cc_manager, "hoat-dong-thang", "2026-03", "CCHQNB").totals == {
        "cases.count": 4.0
    }
    with pytest.raises(AccessDenied):
        reporting.consolidate(people.hcm_manager, "hoat-dong-thang", "2026-03", "CHQHN")
