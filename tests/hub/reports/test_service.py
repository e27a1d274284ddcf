"""Reports from a real database: presence on a day, lateness and absences over a range, device uptime."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from hub.devices.repository import register_device, set_status
from hub.people.service import UnknownUnit
from hub.reports.compute import absences, dashboard, day_presence, device_uptime, lateness, month_period
from hub.reports.models import InvalidPeriod, PresenceStatus
from hub.timekeeping.engine import AbsenceKind, DayPart, DayStatus
from hub.timekeeping.service import approve_absence, record_correction
from tests.hub.orgdata import HANOI, add_event

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MON, TUE, WED = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def test_presence_of_a_past_day_by_person_and_by_sub_unit(org: psycopg.Connection) -> None:
    add_event(org, "nv-0001", local(MON, 7, 55), "in")
    add_event(org, "nv-0001", local(MON, 17, 5), "out")
    add_event(org, "nv-0002", local(MON, 8, 20), "in")  # 20 minutes late (grace 5)
    add_event(org, "nv-0002", local(MON, 17, 0), "out")
    # nv-0003 (Cục Hải quan TP. Hồ Chí Minh) never came
    day = day_presence(org, "TCHQ", MON, NOW)
    statuses = {p.employee_code: (p.status, p.late_minutes) for p in day.people}
    assert statuses == {
        "NV001": (PresenceStatus.PRESENT, 0),
        "NV002": (PresenceStatus.LATE, 20),
        "NV003": (PresenceStatus.ABSENT, 0),
    }
    assert (day.counts.total, day.counts.present, day.counts.late, day.counts.absent) == (3, 1, 1, 1)
    by_unit = {u.unit_code: (u.unit_name, u.counts.total, u.counts.at_work) for u in day.by_unit}
    assert by_unit == {"CHQHN": ("Cục Hải quan Hà Nội", 2, 2), "CHQHCM": ("Cục Hải quan TP. Hồ Chí Minh", 1, 0)}
    assert [p.employee_code for p in day.late_arrivals] == ["NV002"]
    nhung = next(p for p in day.people if p.employee_code == "NV002")
    assert nhung.first_in == local(MON, 8, 20).replace(tzinfo=HANOI) and nhung.unit_code == "CCHQNB"
    # a branch: its team below it, then its own staff
    branch = day_presence(org, "CCHQNB", MON, NOW)
    assert [(u.unit_code, u.direct_only, u.counts.total) for u in branch.by_unit] == [
        ("DOI1", False, 1),
        ("CCHQNB", True, 1),
    ]
    with pytest.raises(UnknownUnit):
        day_presence(org, "NOPE", MON, NOW)


def test_presence_today_not_yet_then_absent_late_and_on_leave(org: psycopg.Connection) -> None:
    approve_absence(org, "NV003", AbsenceKind.BUSINESS_TRIP, WED, WED, "cuc-truong")
    early = local(WED, 7, 30).replace(tzinfo=HANOI)
    day = day_presence(org, "TCHQ", WED, early)
    assert {p.employee_code: p.status for p in day.people} == {
        "NV001": PresenceStatus.NOT_YET,
        "NV002": PresenceStatus.NOT_YET,
        "NV003": PresenceStatus.BUSINESS_TRIP,
    }
    add_event(org, "nv-0001", local(WED, 7, 50), "in")
    at_0820 = day_presence(org, "TCHQ", WED, local(WED, 8, 20).replace(tzinfo=HANOI))
    assert {p.employee_code: p.status for p in at_0820.people} == {
        "NV001": PresenceStatus.PRESENT,  # still at work: the day is pending, the arrival counts
        "NV002": PresenceStatus.ABSENT,  # past 08:05 and not in: absent so far
        "NV003": PresenceStatus.BUSINESS_TRIP,
    }
    add_event(org, "nv-0002", local(WED, 8, 40), "in")
    later = dashboard(org, "TCHQ", local(WED, 9, 0).replace(tzinfo=HANOI))
    statuses = {p.employee_code: p.status for p in later.presence.people}
    assert statuses["NV002"] is PresenceStatus.LATE and statuses["NV001"] is PresenceStatus.PRESENT
    assert [(p.employee_code, p.late_minutes) for p in later.late_arrivals] == [("NV002", 40)]
    assert later.presence.counts.business_trip == 1 and later.presence.counts.not_yet == 0


def test_someone_not_in_after_the_grace_is_absent_so_far(org: psycopg.Connection) -> None:
    approve_absence(org, "NV002", AbsenceKind.LEAVE, WED, WED, "tp", part=DayPart.MORNING)
    day = day_presence(org, "CHQHN", WED, local(WED, 8, 6).replace(tzinfo=HANOI))
    statuses = {p.employee_code: p.status for p in day.people}
    assert statuses == {"NV001": PresenceStatus.ABSENT, "NV002": PresenceStatus.ON_LEAVE}
    weekend = day_presence(org, "CHQHN", date(2026, 11, 7), NOW)
    assert weekend.counts.day_off == 2 and weekend.day_kind.value == "weekend"


def test_lateness_ranking_counts_as_the_sheet_and_follows_corrections(org: psycopg.Connection) -> None:
    for day, minute in ((MON, 30), (TUE, 10), (WED, 3)):  # WED within the grace
        add_event(org, "nv-0002", local(day, 8, minute), "in")
        add_event(org, "nv-0002", local(day, 17, 0), "out")
    add_event(org, "nv-0001", local(MON, 9, 0), "in")
    add_event(org, "nv-0001", local(MON, 16, 0), "out")  # and left an hour early
    add_event(org, "nv-0003", local(TUE, 8, 15), "in")
    add_event(org, "nv-0003", local(TUE, 17, 0), "out")
    report = lateness(org, "TCHQ", MON, date(2026, 11, 6), NOW)
    assert report.staff_count == 3
    assert [(r.rank, r.employee_code, r.late_count, r.late_minutes) for r in report.rows] == [
        (1, "NV002", 2, 40),
        (2, "NV001", 1, 60),
        (3, "NV003", 1, 15),
    ]
    duc = report.rows[1]
    assert duc.full_name == "Nguyễn Văn Đức" and duc.late_days == (MON,)
    assert (duc.early_leave_count, duc.early_leave_minutes) == (1, 60)
    # the manager excuses Monday's lateness (traffic accident report): it leaves the ranking
    record_correction(
        org, "NV001", day=MON, reason="Tai nạn giao thông, có biên bản", author="tp", status=DayStatus.PRESENT
    )
    again = lateness(org, "CHQHN", MON, date(2026, 11, 6), NOW, limit=5)
    assert [(r.employee_code, r.late_count) for r in again.rows] == [("NV002", 2)]
    assert lateness(org, "TCHQ", MON, date(2026, 11, 6), NOW, limit=1).rows[0].employee_code == "NV002"


def test_absence_report_over_a_range(org: psycopg.Connection) -> None:
    approve_absence(org, "NV001", AbsenceKind.LEAVE, TUE, TUE, "tp")
    approve_absence(org, "NV001", AbsenceKind.BUSINESS_TRIP, WED, date(2026, 11, 5), "tp")
    add_event(org, "nv-0002", local(MON, 8, 0), "in")  # no departure: missing check-out
    first, last = MON, date(2026, 11, 6)
    report = absences(org, "CHQHN", first, last, NOW)
    assert report.working_days == 5 and report.staff_count == 2
    rows = {r.employee_code: r for r in report.rows}
    assert (rows["NV001"].leave_days, rows["NV001"].trip_days) == (1.0, 2.0)
    assert rows["NV001"].absent_dates == (MON, date(2026, 11, 6))  # no event, no leave on those days
    assert rows["NV002"].absent_days == 4 and rows["NV002"].missing_punch_days == 1
    assert [r.employee_code for r in report.rows] == ["NV002", "NV001"]  # most absent first


def test_periods_are_checked(org: psycopg.Connection) -> None:
    assert month_period(2026, 2) == (date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(InvalidPeriod):
        month_period(2026, 13)
    with pytest.raises(InvalidPeriod):
        lateness(org, "TCHQ", TUE, MON, NOW)
    with pytest.raises(InvalidPeriod):
        absences(org, "TCHQ", date(2026, 1, 1), date(2026, 12, 31), NOW)


def test_status_history_is_recorded_where_status_is_applied(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        register_device(conn, "door-hq-01", "door-hq-01", "x", kind="faceid", site="HQ")
        register_device(conn, "door-hq-02", "door-hq-02", "x", kind="faceid", site="HQ")
        set_status(conn, "door-hq-01", True, "0.1.0")
        set_status(conn, "door-hq-01", True, None)  # a repeated status is no change
        set_status(conn, "door-hq-01", False, None)
        history = conn.execute(
            "SELECT online FROM device_status_changes WHERE device_id = 'door-hq-01' ORDER BY at"
        ).fetchall()
        assert history == [(True,), (False,)]


def test_device_uptime_from_the_history(database_url: str) -> None:
    start = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
    with psycopg.connect(database_url, autocommit=True) as conn:
        for device in ("door-a", "door-b", "door-c", "door-new"):
            register_device(conn, device, device, "x", kind="faceid", site="HQ" if device != "door-c" else "HCM")
        history = [
            ("door-a", start - timedelta(days=3), True),  # online from before the period …
            ("door-a", start + timedelta(hours=18), False),  # … down for 6 hours …
            ("door-a", start + timedelta(hours=24), True),  # … and back: 42 of 48 hours
            ("door-b", start + timedelta(hours=12), True),  # first seen mid-period: 36 of 36 known hours
            ("door-c", start - timedelta(days=1), False),  # down all along
        ]
        conn.execute(
            "INSERT INTO device_status_changes (device_id, at, online) SELECT * FROM unnest(%s::text[],"
            " %s::timestamptz[], %s::boolean[])",
            [list(c) for c in zip(*history, strict=True)],
        )
        report = device_uptime(conn, start, start + timedelta(hours=48), NOW)
        rows = {r.device_id: r for r in report.rows}
        assert rows["door-a"].uptime == pytest.approx(42 / 48) and rows["door-a"].changes == 2
        assert rows["door-b"].uptime == 1.0 and rows["door-b"].known_seconds == 36 * 3600
        assert rows["door-c"].uptime == 0.0
        assert rows["door-new"].uptime is None  # nothing known
        assert [r.device_id for r in report.rows] == ["door-c", "door-a", "door-b", "door-new"]
        assert [r.device_id for r in device_uptime(conn, start, start + timedelta(hours=48), NOW, "HCM").rows] == [
            "door-c"
        ]
        # a period reaching past now ends now
        running = device_uptime(conn, NOW - timedelta(hours=1), NOW + timedelta(days=1), NOW)
        assert running.end == NOW and {r.device_id: r.uptime for r in running.rows}["door-a"] == 1.0
        with pytest.raises(InvalidPeriod):
            device_uptime(conn, NOW + timedelta(days=1), NOW + timedelta(days=2), NOW)


def test_dashboard_lists_devices_offline_now(org: psycopg.Connection) -> None:
    register_device(org, "door-hq-01", "door-hq-01", "x", kind="faceid", site="HQ")
    register_device(org, "door-hq-02", "door-hq-02", "x", kind="faceid", site="HQ")
    register_device(org, "door-hq-03", "door-hq-03", "x", kind="faceid", site="HQ")
    set_status(org, "door-hq-01", True, None)
    set_status(org, "door-hq-02", True, None)
    set_status(org, "door-hq-02", False, None)  # went offline
    board = dashboard(org, "TCHQ", NOW)
    assert (board.devices_total, board.devices_online) == (3, 1)
    assert [(d.device_id, d.since is None) for d in board.offline_devices] == [
        ("door-hq-03", True),  # never seen online
        ("door-hq-02", False),
    ]
