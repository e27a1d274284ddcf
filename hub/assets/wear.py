"""Wear (hao mòn) and depreciation (khấu hao) of fixed assets (DOMAIN.md §12.1, Circular 23/2023/TT-BTC).

Wear, for assets used in state work — computed once a year, as of 31 December:
- the year's wear = cost (nguyên giá) × the category's rate, in whole đồng, rounded half up;
- the last year — the one in which the service life (100 / rate years) ends — takes what remains, so that
  accumulated wear equals the cost exactly (never more: a rounded-up amount is capped at the cost);
- the first year: `FirstYear.FULL` (default) — an asset held at 31 December of the year it was put into
  use bears that year's whole wear; `MONTHS` — months in use that year / 12 of it (the month of
  acquisition counted); `NEXT` — wear starts the year after. DOMAIN.md gives no partial-year rule for
  assets ([U]), so it is a setting (CCES_ASSETS_FIRST_YEAR_WEAR), not a guess hard-coded;
- an asset liquidated during a year bears no wear for that year (it is not held at 31 December).

Depreciation, for assets used for business, lease or joint ventures — monthly, straight line:
- a month's depreciation = cost × rate / 12, whole đồng, rounded half up; the month of acquisition is the
  first month; the month the service life (1200 / rate months) ends takes what remains; none from the
  month of liquidation on.

Every amount is an integer of đồng: no float touches money.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum


class FirstYear(StrEnum):
    FULL = "full"
    MONTHS = "months"
    NEXT = "next"


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def annual_wear(cost: int, rate_pct: Decimal) -> int:
    """cost × rate, whole đồng (half up)."""
    return _round(Decimal(cost) * Decimal(rate_pct) / 100)


def monthly_depreciation(cost: int, rate_pct: Decimal) -> int:
    return _round(Decimal(cost) * Decimal(rate_pct) / 1200)


@dataclass(frozen=True, slots=True)
class WearYear:
    year: int
    opening: int  # accumulated wear at 1 January
    wear: int  # this year's
    closing: int  # accumulated at 31 December
    remaining: int  # cost − closing (giá trị còn lại)


def _first_amount(cost: int, rate_pct: Decimal, acquired_on: date, first_year: FirstYear) -> tuple[int, int]:
    """(the first wear year, its amount)."""
    annual = annual_wear(cost, rate_pct)
    if first_year is FirstYear.NEXT:
        return acquired_on.year + 1, annual
    if first_year is FirstYear.MONTHS:
        months = 13 - acquired_on.month
        return acquired_on.year, _round(Decimal(cost) * Decimal(rate_pct) * months / 1200)
    return acquired_on.year, annual


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def _final_year_index(rate_pct: Decimal, acquired_on: date, first_year: FirstYear) -> int:
    """Which wear year (1 = the first) the service life (100 / rate years) ends in."""
    life_months = Decimal(1200) / Decimal(rate_pct)
    if first_year is FirstYear.MONTHS:
        first_months = 13 - acquired_on.month
        if life_months <= first_months:
            return 1
        return 1 + _ceil((life_months - first_months) / 12)
    return _ceil(life_months / 12)


def accumulated_wear(
    cost: int,
    rate_pct: Decimal,
    acquired_on: date,
    year: int,
    *,
    first_year: FirstYear = FirstYear.FULL,
    liquidated_on: date | None = None,
) -> int:
    """Accumulated wear at 31 December of `year` (O(1): the 200,000-asset table needs no loop per year)."""
    if rate_pct <= 0 or cost <= 0:
        return 0
    if liquidated_on is not None and liquidated_on.year <= year:
        year = liquidated_on.year - 1  # the wear stops with the last 31 December it was held
    start, first = _first_amount(cost, rate_pct, acquired_on, first_year)
    if year < start:
        return 0
    if year - start + 1 >= _final_year_index(rate_pct, acquired_on, first_year):
        return cost  # the year the service life ends takes what remains
    annual = annual_wear(cost, rate_pct)
    return min(cost, first + annual * (year - start))


def wear_for_year(
    cost: int,
    rate_pct: Decimal,
    acquired_on: date,
    year: int,
    *,
    first_year: FirstYear = FirstYear.FULL,
    liquidated_on: date | None = None,
) -> WearYear:
    kw = {"first_year": first_year, "liquidated_on": liquidated_on}
    opening = accumulated_wear(cost, rate_pct, acquired_on, year - 1, **kw)  # type: ignore[arg-type]
    closing = accumulated_wear(cost, rate_pct, acquired_on, year, **kw)  # type: ignore[arg-type]
    return WearYear(year, opening, closing - opening, closing, cost - closing)


def wear_schedule(
    cost: int,
    rate_pct: Decimal,
    acquired_on: date,
    *,
    first_year: FirstYear = FirstYear.FULL,
    liquidated_on: date | None = None,
    max_years: int = 200,
) -> list[WearYear]:
    """Every year from acquisition until the wear is complete (or the asset liquidated)."""
    rows: list[WearYear] = []
    if rate_pct <= 0 or annual_wear(cost, rate_pct) == 0:
        return rows  # no wear, or a cost so small that a year's wear rounds to nothing
    start, _ = _first_amount(cost, rate_pct, acquired_on, first_year)
    for year in range(start, acquired_on.year + max_years):
        row = wear_for_year(cost, rate_pct, acquired_on, year, first_year=first_year, liquidated_on=liquidated_on)
        if row.opening >= cost or (liquidated_on is not None and year >= liquidated_on.year):
            break
        rows.append(row)
    return rows


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def accumulated_depreciation(
    cost: int, rate_pct: Decimal, acquired_on: date, through: date, *, liquidated_on: date | None = None
) -> int:
    """Depreciation to the end of the month of `through` (months from the acquisition month on)."""
    if rate_pct <= 0:
        return 0
    last = _month_index(through)
    if liquidated_on is not None:
        last = min(last, _month_index(liquidated_on) - 1)
    months = last - _month_index(acquired_on) + 1
    if months <= 0:
        return 0
    if months >= _ceil(Decimal(1200) / Decimal(rate_pct)):
        return cost  # the month the service life ends takes what remains
    return min(cost, monthly_depreciation(cost, rate_pct) * months)


def depreciation_for_year(
    cost: int, rate_pct: Decimal, acquired_on: date, year: int, *, liquidated_on: date | None = None
) -> WearYear:
    opening = accumulated_depreciation(cost, rate_pct, acquired_on, date(year - 1, 12, 31), liquidated_on=liquidated_on)
    closing = accumulated_depreciation(cost, rate_pct, acquired_on, date(year, 12, 31), liquidated_on=liquidated_on)
    return WearYear(year, opening, closing - opening, closing, cost - closing)
