"""REST for timekeeping against the real database: sheets, days, corrections, the calendar."""

from __future__ import annotations

from datetime import datetime

import psycopg
from fastapi.testclient import TestClient

from tests.hub.orgdata import add_event


def test_a_person_month_shows_0807_as_7_minutes_late(client: TestClient, org: psycopg.Connection) -> None:
    add_event(org, "nv-0001", datetime(2025, 11, 3, 8, 7), "in")
    add_event(org, "nv-0001", datetime(2025, 11, 3, 17, 2), "out")
    response = client.get("/api/v1/employees/NV001/timekeeping/2025-11")
    assert response.status_code == 200
    month = response.json()
    monday = month["days"][2]
    assert monday["day"] == "2025-11-03" and monday["status"] == "late" and monday["late_minutes"] == 7
    assert monday["symbol"] == "M" and monday["first_in"] == "2025-11-03T01:07:00Z"
    assert month["employee"]["person_id"] == "nv-0001" and month["totals"]["late_count"] == 1
    assert client.get("/api/v1/employees/NV999/timekeeping/2025-11").status_code == 404
    assert client.get("/api/v1/employees/NV001/timekeeping/2025-13").status_code == 422


def test_a_correction_is_posted_shown_with_its_reason_and_the_raw_events_stay(
    client: TestClient, org: psycopg.Connection
) -> None:
    add_event(org, "nv-0001", datetime(2025, 11, 4, 7, 55), "in")  # no check-out
    raw = org.execute("SELECT * FROM attendance_events").fetchall()
    body = {"day": "2025-11-04", "status": "present", "reason": "Quên chấm công ra, đã xác minh"}
    response = client.post("/api/v1/employees/NV001/corrections", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["author"] == "admin" and created["reason"] == body["reason"] and created["id"] > 0
    day = client.get("/api/v1/employees/NV001/timekeeping/2025-11").json()["days"][3]
    assert day["status"] == "present" and day["computed_status"] == "missing_checkout"
    assert day["symbol"] == "+*" and day["correction"]["reason"] == body["reason"]
    assert org.execute("SELECT * FROM attendance_events").fetchall() == raw


def test_bad_corrections_get_a_clear_422_and_change_nothing(client: TestClient, org: psycopg.Connection) -> None:
    url = "/api/v1/employees/NV001/corrections"
    no_reason = client.post(url, json={"day": "2025-11-04", "status": "present"})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"] == ["body", "reason"]
    blank = client.post(url, json={"day": "2025-11-04", "status": "present", "reason": "   "})
    assert blank.status_code == 422 and blank.json()["detail"][0]["msg"] == "must not be blank"
    holiday = client.post(url, json={"day": "2025-11-04", "status": "holiday", "reason": "x"})
    assert holiday.status_code == 422 and "comes from the calendar" in holiday.json()["detail"][0]["msg"]
    nothing = client.post(url, json={"day": "2025-11-04", "reason": "x"})
    assert nothing.status_code == 422 and "gives a status" in nothing.json()["detail"][0]["msg"]
    naive = client.post(url, json={"day": "2025-11-04", "first_in": "2025-11-04T08:00:00", "reason": "x"})
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"] == ["body", "first_in"]
    future = client.post(url, json={"day": "2099-01-01", "status": "present", "reason": "x"})
    assert future.status_code == 422 and "has not begun" in future.json()["detail"]
    assert client.post("/api/v1/employees/NV999/corrections", json={**{"day": "2025-11-04"}, "status": "present",
                                                                    "reason": "x"}).status_code == 404  # fmt: skip
    assert org.execute("SELECT count(*) FROM timekeeping_corrections").fetchone() == (0,)


def test_a_unit_day_lists_its_subtree_with_a_status_filter(client: TestClient, org: psycopg.Connection) -> None:
    add_event(org, "nv-0001", datetime(2025, 11, 3, 8, 30), "in")
    add_event(org, "nv-0001", datetime(2025, 11, 3, 17, 0), "out")
    day = client.get("/api/v1/units/CHQHN/days/2025-11-03").json()
    assert day["day_kind"] == "workday" and day["total"] == 2
    assert {r["employee"]["employee_code"]: r["result"]["status"] for r in day["items"]} == {
        "NV001": "late",
        "NV002": "absent",
    }
    late = client.get("/api/v1/units/CHQHN/days/2025-11-03", params={"status": "late"}).json()
    assert [r["employee"]["employee_code"] for r in late["items"]] == ["NV001"]
    assert late["items"][0]["result"]["late_minutes"] == 30
    assert client.get("/api/v1/units/TCHQ/days/2025-09-02").json()["day_name"] == "Quốc khánh"


def test_the_unit_timesheet_marks_tet_2026_as_holidays(client: TestClient) -> None:
    response = client.get("/api/v1/timesheets/TCHQ/2026-02")
    assert response.status_code == 200
    sheet = response.json()
    assert sheet["total"] == 3 and sheet["working_days"] == 15 and len(sheet["days"]) == 28
    for row in sheet["rows"]:
        assert row["symbols"][15:20] == ["L"] * 5 and row["totals"]["holiday_days"] == 5
    page = client.get("/api/v1/timesheets/TCHQ/2026-02", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 3 and [r["employee"]["employee_code"] for r in page["rows"]] == ["NV003"]
    assert client.get("/api/v1/timesheets/NOPE/2026-02").status_code == 404
    assert client.get("/api/v1/timesheets/TCHQ/2026-2").status_code == 422


def test_calendar_decisions_get_and_put_per_year(client: TestClient) -> None:
    default = client.get("/api/v1/calendar/2026").json()
    assert default["version"] is None and default["decisions"] is None
    assert {"day": "2026-02-17", "kind": "holiday", "name": "Tết Âm lịch (mùng 1)"} in default["special_days"]
    body = {"days_off": {"2026-01-02": "Hoán đổi"}, "working_days": {"2026-01-10": "Làm bù cho 2/1"}}
    saved = client.put("/api/v1/calendar/2026", json=body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1 and saved.json()["author"] == "admin"
    assert {"day": "2026-01-10", "kind": "make_up_day", "name": "Làm bù cho 2/1"} in saved.json()["special_days"]
    sheet = client.get("/api/v1/timesheets/DOI1/2026-01").json()
    assert sheet["working_days"] == 21  # 22 weekdays − 1/1 − 2/1 + Saturday 10/1
    clash = client.put("/api/v1/calendar/2026", json={"working_days": {"2026-04-30": "sai"}})
    assert clash.status_code == 422 and "public holiday" in clash.text
    blank = client.put("/api/v1/calendar/2026", json={"days_off": {"2026-03-02": " "}})
    assert blank.status_code == 422
    assert client.get("/api/v1/calendar/2026").json()["version"] == 1
