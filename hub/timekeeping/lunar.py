"""The Vietnamese lunisolar calendar (âm lịch), computed for UTC+7.

Vietnam's calendar follows the same astronomical rules as the Chinese one but counts days at
UTC+7 (official since 1968) instead of UTC+8. A new moon shortly after 16:00 UTC falls on one
day in Hanoi and on the next in Beijing, which moves whole months: mùng 1 Tết 1985 is
1985-01-21 in Vietnam and 1985-02-20 in China; in 2007 it is 2007-02-17 against 2007-02-18.
A table copied from a Chinese almanac is therefore wrong for Vietnam in some years.

This is Hồ Ngọc Đức's algorithm (the reference used by Vietnamese calendar software): new moons
and solar terms from Jean Meeus' "Astronomical Algorithms" series, a month begins on the local
day of its new moon, month 11 contains the winter solstice, and in a 13-month year the first
month without a major solar term (trung khí) is the leap month. Its accuracy is ample for
1900–2100; the tests compare it with the `holidays` package's Vietnamese tables over that span.

Stdlib only: `math` and `datetime`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

#: Vietnam's time zone for calendar purposes (hours east of UTC)
VIETNAM_UTC_OFFSET_HOURS = 7.0

# Julian day number of a date = its proleptic Gregorian ordinal + this constant.
_JDN_OFFSET = 1721425
_SYNODIC_MONTH = 29.530588853
_K0_EPOCH = 2415021.076998695  # new moon of 1900-01-01, Meeus' k = 0


@dataclass(frozen=True, slots=True)
class LunarDate:
    """A day of the Vietnamese lunar calendar; `leap` marks the intercalary month (tháng nhuận)."""

    year: int
    month: int
    day: int
    leap: bool = False


def _jdn(d: date) -> int:
    return d.toordinal() + _JDN_OFFSET


def _from_jdn(jdn: int) -> date:
    return date.fromordinal(jdn - _JDN_OFFSET)


def _new_moon(k: int) -> float:
    """Julian date (UT) of the k-th new moon after 1900-01-01 (Meeus, chapter 47 abridged)."""
    t = k / 1236.85
    t2 = t * t
    t3 = t2 * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  # sun's mean anomaly
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  # moon's mean anomaly
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  # moon's argument of latitude
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 -= 0.4068 * math.sin(mpr * dr) - 0.0161 * math.sin(dr * 2 * mpr)
    c1 -= 0.0004 * math.sin(dr * 3 * mpr)
    c1 += 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 -= 0.0074 * math.sin(dr * (m - mpr)) - 0.0004 * math.sin(dr * (2 * f + m))
    c1 -= 0.0004 * math.sin(dr * (2 * f - m)) + 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 += 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _new_moon_day(k: int, tz: float) -> int:
    """Julian day number of the local day on which the k-th new moon falls."""
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _sun_longitude_sector(jdn: int, tz: float) -> int:
    """Which 30° sector (0..11) of ecliptic longitude the sun is in at the local midnight starting `jdn`."""
    t = (jdn - 0.5 - tz / 24 - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (l0 + dl) * dr
    longitude -= 2 * math.pi * math.floor(longitude / (2 * math.pi))
    return math.floor(longitude / math.pi * 6)


@lru_cache(maxsize=512)
def _month_11_start(year: int, tz: float) -> int:
    """Julian day number of the first day of lunar month 11 (the one with the winter solstice) of `year`."""
    off = _jdn(date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC_MONTH)
    start = _new_moon_day(k, tz)
    if _sun_longitude_sector(start, tz) >= 9:
        start = _new_moon_day(k - 1, tz)
    return start


def _leap_month_offset(a11: int, tz: float) -> int:
    """Months after month 11 of the leap month, in a 13-month lunar year starting at `a11`."""
    k = math.floor((a11 - _K0_EPOCH) / _SYNODIC_MONTH + 0.5)
    i = 1
    arc = _sun_longitude_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_longitude_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            return i - 1


def from_lunar(year: int, month: int, day: int, leap: bool = False, *, tz: float = VIETNAM_UTC_OFFSET_HOURS) -> date:
    """The solar (Gregorian) date of a lunar date. Raises ValueError for a leap month that does not exist.

    `day` is not checked against the month's length (29 or 30): day 30 of a 29-day month is
    the next month's first day, as in the reference algorithm.
    """
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar date {day}/{month}/{year}")
    if month < 11:
        a11, b11 = _month_11_start(year - 1, tz), _month_11_start(year, tz)
    else:
        a11, b11 = _month_11_start(year, tz), _month_11_start(year + 1, tz)
    k = math.floor(0.5 + (a11 - _K0_EPOCH) / _SYNODIC_MONTH)
    off = (month - 11) % 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11, tz)
        leap_month = (leap_off - 2) % 12
        if leap and month != leap_month:
            raise ValueError(f"lunar year {year} has no leap month {month}")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError(f"lunar year {year} has no leap month")
    return _from_jdn(_new_moon_day(k + off, tz) + day - 1)


def to_lunar(d: date, *, tz: float = VIETNAM_UTC_OFFSET_HOURS) -> LunarDate:
    """The lunar date of a solar date."""
    jdn = _jdn(d)
    k = math.floor((jdn - 2415021.076998695) / _SYNODIC_MONTH)
    k += 1
    month_start = _new_moon_day(k, tz)
    while month_start > jdn:  # the mean-motion estimate of k can be ahead of the true new moon
        k -= 1
        month_start = _new_moon_day(k, tz)
    a11 = _month_11_start(d.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = d.year
        a11 = _month_11_start(d.year - 1, tz)
    else:
        lunar_year = d.year + 1
        b11 = _month_11_start(d.year + 1, tz)
    lunar_day = jdn - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, lunar_month, lunar_day, leap)


def lunar_new_year(year: int, *, tz: float = VIETNAM_UTC_OFFSET_HOURS) -> date:
    """Mùng 1 Tết: the first day of the lunar year that begins in solar `year`."""
    return from_lunar(year, 1, 1, tz=tz)
