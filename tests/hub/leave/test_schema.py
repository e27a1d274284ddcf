"""Migration 0300: leave requests replace the `approved absences` table timekeeping read; the old name
is a view over approved requests, and writing to it records an approved request."""

from __future__ import annotations

from datetime import date

import psycopg

from hub.timekeeping.engine import AbsenceKind, DayPart
from hub.timekeeping.service import approve_absence


def rows(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT kind, first_day, last_day, part, code FROM approved_absences ORDER BY first_day, part"
    ).fetchall()


def test_approve_absence_records_an_approved_request_of_the_matching_type(org: psycopg.Connection) -> None:
    approve_absence(org, "NV001", AbsenceKind.LEAVE, date(2026, 11, 3), date(2026, 11, 3), "tp", reference="DN-1")
    approve_absence(org, "NV001", AbsenceKind.LEAVE, date(2026, 11, 4), date(2026, 11, 4), "tp", code="Ô")
    approve_absence(org, "NV001", AbsenceKind.BUSINESS_TRIP, date(2026, 11, 5), date(2026, 11, 9), "ct")
    approve_absence(org, "NV001", AbsenceKind.LEAVE, date(2026, 11, 10), date(2026, 11, 10), "tp", part=DayPart.MORNING)
    found = org.execute(
        "SELECT r.leave_type, r.status, r.reference, u.code FROM leave_requests r JOIN org_units u ON u.id = r.unit_id"
        " ORDER BY r.first_day"
    ).fetchall()
    assert found == [
        ("annual", "approved", "DN-1", "DOI1"),
        ("sick", "approved", None, "DOI1"),
        ("business_trip", "approved", None, "DOI1"),
        ("annual", "approved", None, "DOI1"),
    ]
    assert rows(org) == [
        ("leave", date(2026, 11, 3), date(2026, 11, 3), "full", "P"),
        ("leave", date(2026, 11, 4), date(2026, 11, 4), "full", "Ô"),
        ("business_trip", date(2026, 11, 5), date(2026, 11, 9), "full", "CT"),
        ("leave", date(2026, 11, 10), date(2026, 11, 10), "morning", "P"),
    ]


def test_the_view_splits_half_first_and_last_days_and_hides_other_states(org: psycopg.Connection) -> None:
    employee, unit = org.execute("SELECT id, unit_id FROM employees WHERE employee_code = 'NV002'").fetchone()
    insert = (
        "INSERT INTO leave_requests (employee_id, unit_id, leave_type, first_day, last_day, first_day_part,"
        " last_day_part, status, requested_by) VALUES (%s, %s, 'annual', %s, %s, %s, %s, %s, 'x')"
    )
    org.execute(insert, (employee, unit, date(2026, 12, 1), date(2026, 12, 4), "afternoon", "morning", "approved"))
    org.execute(insert, (employee, unit, date(2026, 12, 7), date(2026, 12, 8), "full", "full", "pending"))
    org.execute(insert, (employee, unit, date(2026, 12, 9), date(2026, 12, 9), "full", "full", "cancelled"))
    org.execute(insert, (employee, unit, date(2026, 12, 10), date(2026, 12, 11), "afternoon", "full", "approved"))
    assert rows(org) == [
        ("leave", date(2026, 12, 1), date(2026, 12, 1), "afternoon", "P"),
        ("leave", date(2026, 12, 2), date(2026, 12, 3), "full", "P"),
        ("leave", date(2026, 12, 4), date(2026, 12, 4), "morning", "P"),
        ("leave", date(2026, 12, 10), date(2026, 12, 10), "afternoon", "P"),
        ("leave", date(2026, 12, 11), date(2026, 12, 11), "full", "P"),
    ]
