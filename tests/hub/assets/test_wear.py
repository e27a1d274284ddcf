"""Wear and depreciation maths (hub.assets.wear): whole đồng, half up, the last year takes what remains."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from hub.assets import wear
from hub.assets.wear import FirstYear


def _amounts(rows: list[wear.WearYear]) -> list[int]:
    return [r.wear for r in rows]


def test_a_computer_over_five_years_sums_to_its_cost_the_last_year_taking_the_rest() -> None:
    rows = wear.wear_schedule(15_000_001, Decimal(20), date(2024, 3, 10))
    assert [r.year for r in rows] == [2024, 2025, 2026, 2027, 2028]
    assert _amounts(rows) == [3_000_000, 3_000_000, 3_000_000, 3_000_000, 3_000_001]
    assert rows[-1].closing == 15_000_001 and rows[-1].remaining == 0


def test_rounding_up_is_taken_back_in_the_last_year() -> None:
    # 10,000,005 × 12.5 % = 1,250,000.625 → 1,250,001 (half up); 8 × that would pass the cost
    rows = wear.wear_schedule(10_000_005, Decimal("12.5"), date(2020, 1, 1))
    assert _amounts(rows) == [1_250_001] * 7 + [1_249_998]
    assert sum(_amounts(rows)) == 10_000_005


def test_a_rate_that_does_not_divide_100_ends_with_a_short_year() -> None:
    rows = wear.wear_schedule(100_000_000, Decimal(15), date(2019, 6, 1))
    assert _amounts(rows) == [15_000_000] * 6 + [10_000_000]


def test_first_year_rules() -> None:
    months = wear.wear_schedule(12_000_000, Decimal(20), date(2024, 10, 15), first_year=FirstYear.MONTHS)
    assert _amounts(months) == [600_000, 2_400_000, 2_400_000, 2_400_000, 2_400_000, 1_800_000]
    assert months[0].year == 2024 and sum(_amounts(months)) == 12_000_000
    following = wear.wear_schedule(12_000_000, Decimal(20), date(2024, 10, 15), first_year=FirstYear.NEXT)
    assert [r.year for r in following] == [2025, 2026, 2027, 2028, 2029] and following[0].opening == 0
    assert wear.wear_for_year(12_000_000, Decimal(20), date(2024, 10, 15), 2024, first_year=FirstYear.NEXT).wear == 0


def test_no_wear_for_the_year_of_liquidation_nor_after() -> None:
    kw = {"liquidated_on": date(2026, 5, 1)}
    rows = wear.wear_schedule(10_000_000, Decimal(20), date(2024, 1, 1), **kw)
    assert [(r.year, r.wear) for r in rows] == [(2024, 2_000_000), (2025, 2_000_000)]
    assert wear.wear_for_year(10_000_000, Decimal(20), date(2024, 1, 1), 2026, **kw).wear == 0
    assert wear.wear_for_year(10_000_000, Decimal(20), date(2024, 1, 1), 2026, **kw).remaining == 6_000_000


def test_a_zero_rate_wears_nothing() -> None:
    assert wear.wear_schedule(5_000_000_000, Decimal(0), date(2000, 1, 1)) == []
    assert wear.accumulated_wear(5_000_000_000, Decimal(0), date(2000, 1, 1), 2030) == 0


def test_monthly_depreciation_from_the_month_of_acquisition_sums_to_cost() -> None:
    cost, rate, start = 10_000_007, Decimal(20), date(2024, 7, 20)
    assert wear.monthly_depreciation(cost, rate) == 166_667  # 10,000,007 × 20 % / 12 = 166,666.78
    first = wear.depreciation_for_year(cost, rate, start, 2024)
    assert first.wear == 6 * 166_667  # July–December
    total = sum(wear.depreciation_for_year(cost, rate, start, y).wear for y in range(2024, 2031))
    assert total == cost
    assert wear.accumulated_depreciation(cost, rate, start, date(2029, 6, 30)) == cost  # done after 60 months
    assert wear.accumulated_depreciation(cost, rate, start, date(2029, 5, 31)) == 59 * 166_667
    stopped = wear.accumulated_depreciation(cost, rate, start, date(2025, 12, 31), liquidated_on=date(2025, 3, 2))
    assert stopped == 8 * 166_667  # July 2024 – February 2025


@given(
    cost=st.integers(min_value=1, max_value=10**14),
    rate=st.decimals(min_value=Decimal("0.5"), max_value=100, places=2),
    month=st.integers(min_value=1, max_value=12),
    rule=st.sampled_from(list(FirstYear)),
)
def test_any_whole_service_life_sums_to_the_cost_exactly(cost: int, rate: Decimal, month: int, rule: FirstYear) -> None:
    rows = wear.wear_schedule(cost, rate, date(2001, month, 1), first_year=rule, max_years=1000)
    if wear.annual_wear(cost, rate) == 0:
        return  # a tiny cost whose yearly wear rounds to nothing never wears (stated in the README)
    assert sum(r.wear for r in rows) == cost
    assert all(r.wear >= 0 and r.closing <= cost for r in rows)
    assert all(a.closing == b.opening for a, b in zip(rows, rows[1:], strict=False))
