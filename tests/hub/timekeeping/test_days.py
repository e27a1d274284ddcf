"""The day-results cache on a real database: same results as the engine, reused while nothing changed,
computed again after each kind of change to a month's inputs (migration 0060's change counters)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import psycopg
import pytest

from hub.reports.compute import absences, day_presence, lateness
from hub.timekeeping.calendar import CalendarAdjustments
from hub.timekeeping.days import DayResultsCache
from hub.timekeeping.engine import AbsenceKind, DayStatus
from hub.timekeeping.service import approve_absence, record_correction, save_calendar, unit_day, unit_timesheet
from tests.hub.orgdata import HANOI, add_event

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # October is over; November is open from the 22nd
OCT_FIRST, OCT_LAST = date(2026, 10, 1), date(2026, 10, 31)
MON, TUE = date(2026, 10, 5), date(2026, 10, 6)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def worked(conn: psycopg.Connection, person: str, day: date, arrive: int = 0) -> None:
    add_event(conn, person, local(day, 8, arrive), "in")
    add_event(conn, person, local(day, 17, 0), "out")


def sheets_agree(
    conn: psycopg.Connection, cache: DayResultsCache, year: int = 2026, month: int = 10, now: datetime = NOW
) -> None:
    cached = unit_timesheet(conn, "TCHQ", year, month, now=now, cache=cache).sheet
    assert cached == unit_timesheet(conn, "TCHQ", year, month, now=now).sheet


def test_the_cache_gives_the_engines_results_and_serves_a_repeat(org: psycopg.Connection) -> None:
    worked(org, "nv-0001", MON)
    worked(org, "nv-0002", MON, arrive=25)
    approve_absence(org, "NV003", AbsenceKind.LEAVE, TUE, TUE, "tp")
    cache = DayResultsCache()
    first = lateness(org, "TCHQ", OCT_FIRST, OCT_LAST, NOW, cache=cache)
    assert (cache.computed, cache.hits) == (3, 0)
    assert first == lateness(org, "TCHQ", OCT_FIRST, OCT_LAST, NOW)
    assert [(r.employee_code, r.late_minutes) for r in first.rows] == [("NV002", 25)]
    # the other reports of the month, a sub-unit, a day of it, the sheet: all from the cache, all equal
    assert absences(org, "CHQHN", OCT_FIRST, OCT_LAST, NOW, cache=cache) == absences(
        org, "CHQHN", OCT_FIRST, OCT_LAST, NOW
    )
    assert day_presence(org, "TCHQ", MON, NOW, cache=cache) == day_presence(org, "TCHQ", MON, NOW)
    sheets_agree(org, cache)
    assert cache.computed == 3 and cache.hits == 2 + 3 + 3


SWAP = CalendarAdjustments(
    year=2026, days_off={date(2026, 10, 9): "Hoán đổi"}, working_days={date(2026, 10, 10): "Làm bù cho 9/10"}
)
CHANGES: dict[str, Callable[[psycopg.Connection], None]] = {
    "a new event in the month": lambda c: worked(c, "nv-0003", TUE, arrive=40),
    "a correction": lambda c: record_correction(
        c, "NV002", day=MON, reason="Kẹt xe, có xác nhận", author="tp", status=DayStatus.PRESENT, today=NOW.date()
    ),
    "an approved leave": lambda c: approve_absence(
        c, "NV001", AbsenceKind.LEAVE, date(2026, 10, 7), date(2026, 10, 8), "tp"
    ),
    "a calendar decision": lambda c: save_calendar(c, SWAP, "admin"),
    "an employee leaving": lambda c: c.execute(
        "UPDATE employees SET active_to = %s WHERE employee_code = 'NV001'", (date(2026, 10, 15),)
    ),
}  # fmt: skip


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_kind_of_change_makes_the_month_computed_again(org: psycopg.Connection, change: str) -> None:
    worked(org, "nv-0001", MON)
    worked(org, "nv-0002", MON, arrive=25)
    cache = DayResultsCache()
    before = unit_timesheet(org, "TCHQ", 2026, 10, now=NOW, cache=cache).sheet
    unit_timesheet(org, "TCHQ", 2026, 10, now=NOW, cache=cache)
    assert (cache.computed, cache.hits) == (3, 3)
    CHANGES[change](org)
    after = unit_timesheet(org, "TCHQ", 2026, 10, now=NOW, cache=cache).sheet
    assert cache.computed == 6, "the month was not computed again"
    assert after == unit_timesheet(org, "TCHQ", 2026, 10, now=NOW).sheet
    assert after != before, "the change should show on the sheet"
    unit_timesheet(org, "TCHQ", 2026, 10, now=NOW, cache=cache)
    assert (cache.computed, cache.hits) == (6, 6)  # and is reused again


def test_a_change_in_another_month_keeps_the_month(org: psycopg.Connection) -> None:
    worked(org, "nv-0001", MON)
    cache = DayResultsCache()
    unit_timesheet(org, "TCHQ", 2026, 10, now=NOW, cache=cache)
    worked(org, "nv-0002", date(2026, 11, 3))
    approve_absence(org, "NV003", AbsenceKind.LEAVE, date(2026, 11, 5), date(2026, 11, 6), "tp")
    # the evening before the month and the night after it: outside every day shift's windows of October
    add_event(org, "nv-0003", local(date(2026, 9, 30), 23, 0), "in")
    add_event(org, "nv-0003", local(date(2026, 11, 1), 0, 30), "out")
    sheets_agree(org, cache)
    assert (cache.computed, cache.hits) == (3, 3)


def test_the_open_days_of_this_month_are_computed_with_now(org: psycopg.Connection) -> None:
    """Closed days come from the cache; today (and yesterday, for night shifts) follow `now`, and today's
    events do not throw the closed days away; an event arriving late for a closed day does."""
    today = date(2026, 11, 23)
    cache = DayResultsCache()
    early = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 in Hanoi
    first = unit_timesheet(org, "TCHQ", 2026, 11, now=early, cache=cache).sheet
    assert first == unit_timesheet(org, "TCHQ", 2026, 11, now=early).sheet
    assert (cache.computed, cache.hits) == (3, 0)  # the 1st–21st of three people
    duc = next(r for r in first.rows if r.person_id == "nv-0001")
    assert duc.days[today.day - 1].status is DayStatus.PENDING and duc.days[today.day - 1].first_in is None
    worked(org, "nv-0001", today, arrive=30)  # today's events: the closed days stay valid
    evening = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # 19:00
    later = unit_timesheet(org, "TCHQ", 2026, 11, now=evening, cache=cache).sheet
    assert later == unit_timesheet(org, "TCHQ", 2026, 11, now=evening).sheet
    duc = next(r for r in later.rows if r.person_id == "nv-0001")
    assert duc.days[today.day - 1].late_minutes == 30
    assert (cache.computed, cache.hits) == (3, 3)
    worked(org, "nv-0002", date(2026, 11, 20), arrive=45)  # a door's backlog, replayed after an outage
    replayed = unit_timesheet(org, "TCHQ", 2026, 11, now=evening, cache=cache).sheet
    assert replayed == unit_timesheet(org, "TCHQ", 2026, 11, now=evening).sheet
    assert (cache.computed, cache.hits) == (6, 3)
    lan = next(r for r in replayed.rows if r.person_id == "nv-0002")
    assert lan.days[19].late_minutes == 45
    # the next day, the 22nd has closed too: the month's closed days are computed again, once
    tomorrow = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert (
        unit_timesheet(org, "TCHQ", 2026, 11, now=tomorrow, cache=cache).sheet
        == unit_timesheet(org, "TCHQ", 2026, 11, now=tomorrow).sheet
    )
    unit_timesheet(org, "TCHQ", 2026, 11, now=tomorrow, cache=cache)
    assert (cache.computed, cache.hits) == (9, 6)


def test_only_a_few_months_are_kept(org: psycopg.Connection) -> None:
    cache = DayResultsCache(max_months=2)
    for month in (8, 9, 10):
        unit_timesheet(org, "TCHQ", 2026, month, now=NOW, cache=cache)
    assert cache.computed == 9
    unit_timesheet(org, "TCHQ", 2026, 8, now=NOW, cache=cache)  # the least recently used went first
    assert (cache.computed, cache.hits) == (12, 0)


def test_a_cached_month_does_not_answer_for_an_earlier_now(org: psycopg.Connection) -> None:
    """Days closed for the cache may still be open at the `now` asked about: those are computed with it."""
    worked(org, "nv-0001", TUE)
    cache = DayResultsCache()
    lateness(org, "TCHQ", OCT_FIRST, OCT_LAST, NOW, cache=cache)
    morning = datetime(2026, 10, 6, 1, 30, tzinfo=UTC)  # 08:30 in Hanoi on Tuesday the 6th
    day = day_presence(org, "TCHQ", TUE, morning, cache=cache)
    assert day == day_presence(org, "TCHQ", TUE, morning)
    assert {p.employee_code: p.status.value for p in day.people} == {
        "NV001": "present",
        "NV002": "absent",
        "NV003": "absent",
    }
    month = unit_timesheet(org, "TCHQ", 2026, 10, now=morning, cache=cache).sheet
    assert month == unit_timesheet(org, "TCHQ", 2026, 10, now=morning).sheet
    assert month.rows[0].days[TUE.day - 1].status is DayStatus.PENDING


def test_the_open_days_are_computed_again_only_for_the_people_whose_inputs_changed(org: psycopg.Connection) -> None:
    """At 8 a.m. arrivals change today for a few people: only their open days are computed again; the
    sheet stays equal to the engine's at every step, and a `now` passing a window bound recomputes all."""
    today = date(2026, 11, 23)
    cache = DayResultsCache()

    def sheets(now: datetime) -> tuple[object, object]:
        return (
            unit_timesheet(org, "TCHQ", 2026, 11, now=now, cache=cache).sheet,
            unit_timesheet(org, "TCHQ", 2026, 11, now=now).sheet,
        )

    cached, fresh = sheets(datetime(2026, 11, 22, 21, 30, tzinfo=UTC))  # 04:30 in Hanoi: before check-in opens
    assert cached == fresh and (cache.open_computed, cache.open_reused) == (3, 0)
    cached, fresh = sheets(datetime(2026, 11, 22, 21, 35, tzinfo=UTC))  # five minutes later, nothing new
    assert cached == fresh and (cache.open_computed, cache.open_reused) == (3, 3)
    cached, fresh = sheets(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # 08:00: today's check-in window opened
    assert cached == fresh and (cache.open_computed, cache.open_reused) == (6, 3)
    add_event(org, "nv-0002", local(today, 8, 7), "in")  # one arrival
    later = datetime(2026, 11, 23, 1, 10, tzinfo=UTC)
    cached, fresh = sheets(later)
    assert cached == fresh and (cache.open_computed, cache.open_reused) == (7, 5)
    lan = next(r for r in cached.rows if r.person_id == "nv-0002")  # type: ignore[attr-defined]
    assert lan.days[today.day - 1].first_in == datetime(2026, 11, 23, 1, 7, tzinfo=UTC)
    record_correction(  # a correction of today for another person
        org, "NV003", day=today, reason="Đi công tác đột xuất", author="tp", status=DayStatus.PRESENT, today=today
    )
    cached, fresh = sheets(later)
    assert cached == fresh and (cache.open_computed, cache.open_reused) == (8, 7)
    assert cache.ahead_computed == 6  # the 24th–30th, for the three of them: at 04:30 and when the 23rd began
    approve_absence(org, "NV001", AbsenceKind.LEAVE, date(2026, 11, 25), date(2026, 11, 25), "tp")  # leave ahead
    cached, fresh = sheets(later)
    assert cached == fresh and (cache.open_computed, cache.open_reused) == (8, 10)  # today's stay
    assert cache.ahead_computed == 9, "the days ahead were not computed again after a leave ahead was approved"
    duc = next(r for r in cached.rows if r.person_id == "nv-0001")  # type: ignore[attr-defined]
    assert duc.days[24].status is DayStatus.ON_LEAVE
    assert cache.computed == 3, "the closed days were never computed again"
    # the other reports of the month slice the same open days
    assert lateness(org, "TCHQ", date(2026, 11, 1), today, later, cache=cache) == lateness(
        org, "TCHQ", date(2026, 11, 1), today, later
    )
    assert absences(org, "TCHQ", date(2026, 11, 1), date(2026, 11, 30), later, cache=cache) == absences(
        org, "TCHQ", date(2026, 11, 1), date(2026, 11, 30), later
    )
    assert (cache.open_computed, cache.open_reused) == (8, 16) and cache.ahead_computed == 9


# --- every hour of a day, and the first of a month -----------------------------------------------

DEC = [date(2026, 12, d) for d in range(1, 32)]
#: the hub's clock as it moves through the first days of December (local times), in order: before any
#: check-in window opens, arrivals, the night shift of the day before still open, midday, evening, after
#: the day shift's check-out window closed; on the 1st (no day of the month over yet) and on the 4th
MOMENTS = [
    datetime(2026, 12, 1, 4, 30), datetime(2026, 12, 1, 8, 0), datetime(2026, 12, 1, 21, 50),
    datetime(2026, 12, 1, 23, 30), datetime(2026, 12, 2, 9, 0), datetime(2026, 12, 2, 12, 0),
    datetime(2026, 12, 4, 4, 30), datetime(2026, 12, 4, 7, 0), datetime(2026, 12, 4, 8, 0),
    datetime(2026, 12, 4, 12, 0), datetime(2026, 12, 4, 21, 50), datetime(2026, 12, 4, 23, 30),
]  # fmt: skip


def night_shift_for_nv003(conn: psycopg.Connection) -> None:
    """NV003 works nights (22:00–06:00, check-in from 20:00, check-out until 10:00 the next morning)."""
    conn.execute(
        "INSERT INTO work_schedules (code, name, start_time, end_time, lunch_start, lunch_end, check_in_opens,"
        " check_in_closes, check_out_opens, check_out_closes) VALUES"
        " ('CD', 'Ca đêm', '22:00', '06:00', '02:00', '02:30', '20:00', '02:00', '23:00', '10:00')"
    )
    conn.execute("UPDATE employees SET schedule_code = 'CD' WHERE employee_code = 'NV003'")


def december(conn: psycopg.Connection) -> None:
    """A few days of December: on time, late, a missing check-out, night shifts over midnight, a correction,
    a leave ahead, and an event on a day ahead (a door whose clock runs fast)."""
    night_shift_for_nv003(conn)
    for day in DEC[:4]:
        worked(conn, "nv-0001", day, arrive=10 * (day.day == 1))
        add_event(conn, "nv-0003", local(day, 21, 55), "in")
        add_event(conn, "nv-0003", datetime(day.year, day.month, day.day + 1, 6, 5), "out")
    add_event(conn, "nv-0002", local(DEC[1], 8, 20), "in")  # no check-out on the 2nd
    add_event(conn, "nv-0002", local(DEC[3], 7, 50), "in")
    add_event(conn, "nv-0002", local(DEC[9], 8, 0), "in")  # the 10th, ahead
    record_correction(
        conn, "NV002", day=DEC[1], reason="Quên chấm công ra", author="tp", status=DayStatus.PRESENT, today=DEC[3]
    )
    approve_absence(conn, "NV001", AbsenceKind.LEAVE, DEC[7], DEC[8], "tp")


def test_the_first_of_a_month_is_served_from_the_cache(org: psycopg.Connection) -> None:
    """On the 1st no day of the month is over, so nothing was cached and every report computed the whole
    month again (~2 s for 10,000 people): the month's open days are cached like any other day's."""
    december(org)
    cache = DayResultsCache()
    for moment in MOMENTS[:4]:
        now = moment.replace(tzinfo=HANOI)
        first = unit_timesheet(org, "TCHQ", 2026, 12, now=now, cache=cache).sheet
        counts = (cache.computed, cache.open_computed, cache.ahead_computed)
        assert unit_timesheet(org, "TCHQ", 2026, 12, now=now, cache=cache).sheet == first
        assert (cache.computed, cache.open_computed, cache.ahead_computed) == counts, f"computed again at {moment}"
        assert first == unit_timesheet(org, "TCHQ", 2026, 12, now=now).sheet
    assert cache.open_reused == 4 * 3, "the repeats were not served from the cache"


def test_the_days_ahead_are_kept_until_one_begins_or_their_inputs_change(org: psycopg.Connection) -> None:
    """The days whose check-in window has not opened are the same at every moment before it does: computed
    once, not read again on each request; computed again when the first of them begins, or a leave, an
    event or a calendar decision lands on them."""
    december(org)
    cache = DayResultsCache()
    noon = datetime(2026, 12, 4, 12, 0, tzinfo=HANOI)
    sheets_agree(org, cache, 2026, 12, noon)
    assert cache.ahead_computed == 3  # the 5th–31st, for three people
    sheets_agree(org, cache, 2026, 12, datetime(2026, 12, 4, 21, 50, tzinfo=HANOI))
    assert cache.ahead_computed == 3
    approve_absence(org, "NV002", AbsenceKind.BUSINESS_TRIP, DEC[14], DEC[15], "tp")
    sheets_agree(org, cache, 2026, 12, noon)
    assert cache.ahead_computed == 6
    add_event(org, "nv-0003", local(DEC[19], 21, 58), "in")  # a day ahead
    sheets_agree(org, cache, 2026, 12, noon)
    assert cache.ahead_computed == 9
    sheets_agree(org, cache, 2026, 12, datetime(2026, 12, 5, 5, 0, tzinfo=HANOI))  # the 5th's check-in opened
    assert cache.ahead_computed == 12
    sheet = unit_timesheet(org, "TCHQ", 2026, 12, now=noon, cache=cache).sheet
    lan = next(r for r in sheet.rows if r.person_id == "nv-0002")
    assert lan.days[14].status is DayStatus.BUSINESS_TRIP and lan.days[9].first_in is not None


def reports_agree(conn: psycopg.Connection, cache: DayResultsCache, now: datetime) -> None:
    """The sheet, the lateness and absence reports of December and today's presence: cached = engine."""
    sheets_agree(conn, cache, 2026, 12, now)
    first, last = DEC[0], DEC[-1]
    assert lateness(conn, "TCHQ", first, last, now, cache=cache) == lateness(conn, "TCHQ", first, last, now)
    assert absences(conn, "TCHQ", first, last, now, cache=cache) == absences(conn, "TCHQ", first, last, now)
    today = now.astimezone(HANOI).date()
    assert day_presence(conn, "TCHQ", today, now, cache=cache) == day_presence(conn, "TCHQ", today, now)
    assert unit_day(conn, "TCHQ", today, now, cache=cache) == unit_day(conn, "TCHQ", today, now)


@pytest.mark.parametrize("ordered", [True, False], ids=["hours in order", "hours out of order"])
def test_at_every_hour_the_cached_reports_are_the_engines(org: psycopg.Connection, ordered: bool) -> None:
    """Before work, arrivals, midday, evening, after the day closed, on the 1st and on the 4th, with a
    night shift still open in the morning: the sheet and the reports equal the uncached engine's (also
    with the clock going back, as a report for an earlier moment asks); a repeat computes nothing again."""
    december(org)
    cache = DayResultsCache()
    for moment in MOMENTS if ordered else MOMENTS[::-1]:
        now = moment.replace(tzinfo=HANOI)
        reports_agree(org, cache, now)
        counts = (cache.computed, cache.open_computed, cache.ahead_computed)
        reports_agree(org, cache, now)
        if ordered:
            assert (cache.computed, cache.open_computed, cache.ahead_computed) == counts, f"computed again at {moment}"


def test_the_live_day_is_read_again_only_after_its_inputs_changed(org: psycopg.Connection) -> None:
    """Today's events are read once per change, not on every report: a quiet evening reads nothing; an
    arrival (anyone's) makes everyone's today be read and compared, and only the arrival's computed again."""
    december(org)
    cache = DayResultsCache()
    noon = datetime(2026, 12, 4, 12, 0, tzinfo=HANOI)
    sheets_agree(org, cache, 2026, 12, noon)
    assert (cache.open_read, cache.open_computed) == (3, 3)
    sheets_agree(org, cache, 2026, 12, datetime(2026, 12, 4, 12, 30, tzinfo=HANOI))
    assert (cache.open_read, cache.open_computed) == (3, 3), "today was read again though nothing changed"
    add_event(org, "nv-0002", local(DEC[3], 12, 40), "out")
    later = datetime(2026, 12, 4, 12, 45, tzinfo=HANOI)
    sheets_agree(org, cache, 2026, 12, later)
    assert (cache.open_read, cache.open_computed) == (6, 4)
    lan = next(
        r for r in unit_timesheet(org, "TCHQ", 2026, 12, now=later, cache=cache).sheet.rows if r.person_id == "nv-0002"
    )
    assert lan.days[3].last_out == datetime(2026, 12, 4, 5, 40, tzinfo=UTC)
    # today's presence (the dashboard) is the same live day: from the cache, not one more read of today
    reused = cache.open_reused
    assert day_presence(org, "TCHQ", DEC[3], later, cache=cache) == day_presence(org, "TCHQ", DEC[3], later)
    assert (cache.open_read, cache.open_reused) == (6, reused + 3)
