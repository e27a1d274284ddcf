"""Annual leave entitlement: art. 113 base by working conditions, art. 114 seniority, Decree 145 art. 66
partial years with the stated rounding."""

from __future__ import annotations

from datetime import date

import pytest

from hub.leave.entitlement import (
    LeavePolicy,
    Rounding,
    WorkingCondition,
    entitlement,
    full_years,
    months_worked,
    round_days,
    seniority_days,
)
from hub.timekeeping.calendar import WorkCalendar

CAL = WorkCalendar()
LAW = LeavePolicy()


def test_base_days_by_working_conditions() -> None:
    assert [LAW.base(c) for c in WorkingCondition] == [12, 14, 16]


def test_a_long_serving_employee_gets_one_day_per_full_five_years() -> None:
    ent = entitlement(LAW, 2026, "normal", date(2003, 3, 1), date(2003, 3, 1), None, CAL.working_days_between)
    assert (ent.base_days, ent.seniority_days, ent.service_years, ent.entitled_days) == (12, 4, 23, 16)
    assert not ent.prorated and ent.months == 12
    heavy = entitlement(LAW, 2026, "especially_heavy", date(2003, 3, 1), None, None)
    assert heavy.entitled_days == 20


def test_crossing_the_fifth_anniversary_during_the_year() -> None:
    start = date(2021, 9, 15)
    assert seniority_days(LAW, start, 2025) == (0, 4)
    assert seniority_days(LAW, start, 2026) == (1, 5)  # 15/09/2026: five full years, counted at the year's end
    year_start = LeavePolicy(seniority_as_of="year_start")
    assert seniority_days(year_start, start, 2026) == (0, 4)
    assert seniority_days(year_start, start, 2027) == (1, 5)
    assert entitlement(LAW, 2026, "normal", start, start, None).entitled_days == 13


def test_full_years_on_the_anniversary_and_on_29_february() -> None:
    assert full_years(date(2021, 9, 15), date(2026, 9, 14)) == 4
    assert full_years(date(2021, 9, 15), date(2026, 9, 15)) == 5
    assert full_years(date(2020, 2, 29), date(2025, 2, 28)) == 4
    assert full_years(date(2020, 2, 29), date(2025, 3, 1)) == 5
    assert full_years(date(2026, 1, 1), date(2025, 1, 1)) == 0


def test_a_new_joiner_mid_year_is_prorated_by_months_worked() -> None:
    # joins Wed 15/07/2026: July has 23 working days, 13 of them from the 15th on: ≥ half, July counts
    ent = entitlement(LAW, 2026, "normal", None, date(2026, 7, 15), None, CAL.working_days_between)
    assert ent.months == 6 and ent.prorated
    assert ent.exact_days == pytest.approx(6.0) and ent.entitled_days == 6
    # joins Thu 16/07: 12 of 23 days is still ≥ half; joins Mon 20/07: 10 of 23 is not
    assert entitlement(LAW, 2026, "normal", None, date(2026, 7, 16), None, CAL.working_days_between).months == 6
    late = entitlement(LAW, 2026, "normal", None, date(2026, 7, 20), None, CAL.working_days_between)
    assert late.months == 5 and late.exact_days == pytest.approx(5.0)
    assert any("Điều 66" in vi and "art. 66" in en for vi, en in late.notes)


def test_the_rounding_is_the_policys() -> None:
    # 14 days (heavy) × 7 months / 12 = 8.1666…
    for rounding, expected in [("half_up", 8), ("half_day", 8), ("down", 8), ("up", 9), ("none", 8.2)]:
        policy = LeavePolicy(partial_rounding=Rounding(rounding))
        ent = entitlement(policy, 2026, "heavy", None, date(2026, 6, 1), None, CAL.working_days_between)
        assert ent.months == 7 and ent.entitled_days == expected, rounding
    assert round_days(5.5, "half_up") == 6 and round_days(5.49, "half_up") == 5
    assert round_days(5.3, "half_day") == 5.5 and round_days(5.2, "half_day") == 5
    assert round_days(12 / 12 * 7 + 0.0, "none") == 7


def test_a_leaver_and_unpaid_months_are_prorated_too() -> None:
    leaver = entitlement(LAW, 2026, "normal", date(2010, 1, 1), None, date(2026, 3, 31), CAL.working_days_between)
    assert leaver.months == 3 and leaver.entitled_days == round_days((12 + 3) / 12 * 3, "half_up")
    # a month of unpaid leave beyond what art. 65 counts: November 2026 has 20 working days
    unpaid = entitlement(LAW, 2026, "normal", None, None, None, CAL.working_days_between, unpaid_days={11: 11})
    assert unpaid.months == 11 and unpaid.entitled_days == 11
    months = months_worked(CAL.working_days_between, 2026, None, None, {11: 10})
    assert months[10].working_days == 20 and months[10].counted_days == 10 and months[10].counts
    with pytest.raises(ValueError, match="calendar"):
        entitlement(LAW, 2026, "normal", None, date(2026, 7, 1), None)
