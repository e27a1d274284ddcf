"""Travel days (Labour Code art. 113(3), [U] in DOMAIN.md §11.1: beyond 2 days of round-trip travel the
days are added, once a year) as data of the leave type and declared per request: added to the leave,
not charged to the balance; the second request of the year gets none; a type without the rule none."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hub.leave.models import LeaveError
from hub.leave.service import LeaveService
from hub.leave.travel import check_declared, travel_added
from tests.hub.leave.conftest import People


def test_the_rule_as_data(leave: LeaveService) -> None:
    types = {t.code: t for t in leave.leave_types()}
    annual, sick = types["annual"], types["sick"]
    assert annual.travel_days_free == 2 and annual.travel_times_per_year == 1 and "[U]" in (annual.travel_basis or "")
    assert sick.travel_days_free is None
    assert travel_added(annual, 3, 5, 0).added == 1  # the third day on is added
    assert travel_added(annual, 2, 5, 0).added == 0
    assert travel_added(annual, 6, 2, 0).added == 2  # never more than the request's working days
    once = travel_added(annual, 4, 5, 1)
    assert once.added == 0 and "đã tính" in once.note_vi and "already" in once.note_en
    assert travel_added(replace(annual, travel_times_per_year=2), 4, 5, 1).added == 2  # an agency's own rule
    assert travel_added(sick, 4, 5, 0).added == 0
    for bad in (-1, 0.3, 10.5):
        with pytest.raises(LeaveError, match="ngày đi đường .* / travel days"):
            check_declared(bad)


def test_travel_days_are_added_to_the_leave_once_a_year_and_not_charged(leave: LeaveService, people: People) -> None:
    preview = leave.preview(people.duc, "NV001", "annual", date(2026, 11, 9), date(2026, 11, 13), travel_days=4)
    assert preview.count.working_days == 5 and preview.travel is not None and preview.travel.added == 2
    first = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 9), date(2026, 11, 13), travel_days=4)
    assert (first.working_days, first.travel_days, first.travel_days_added, first.charged_days) == (5, 4, 2, 3)
    assert leave.balance(people.duc, "NV001", 2026).pending_days == 3
    leave.decide(people.doi_truong, first.id, "approve")
    assert leave.balance(people.duc, "NV001", 2026).taken_days == 3
    second = leave.submit(people.duc, "NV001", "annual", date(2026, 11, 16), date(2026, 11, 17), travel_days=4)
    assert second.travel_days_added == 0 and second.charged_days == 2  # once a year
    with pytest.raises(LeaveError):
        leave.submit(people.duc, "NV001", "annual", date(2026, 11, 18), date(2026, 11, 18), travel_days=11)
