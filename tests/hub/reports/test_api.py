"""The reports API over a real database and real sign-ins: scoped to the caller's units, JSON and downloads."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hub.accounts.principal import Role
from tests.hub.api.conftest import Api, make_api
from tests.hub.orgdata import add_event


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    add_event(org, "nv-0001", datetime(2026, 11, 2, 8, 30), "in")
    add_event(org, "nv-0001", datetime(2026, 11, 2, 17, 0), "out")
    add_event(org, "nv-0003", datetime(2026, 11, 3, 8, 12), "in")
    add_event(org, "nv-0003", datetime(2026, 11, 3, 17, 0), "out")
    yield from make_api(database_url, tmp_path)


def test_reports_are_scoped_to_the_callers_units(api: Api) -> None:
    hanoi = api.client_as("tp-hanoi", (Role.MANAGER, "CHQHN"))
    ok = hanoi.get("/api/v1/reports/lateness/CHQHN", params={"period": "2026-11"})
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["unit_name"] == "Cục Hải quan Hà Nội" and body["staff_count"] == 2
    assert [(r["employee_code"], r["late_count"], r["late_minutes"]) for r in body["rows"]] == [("NV001", 1, 30)]
    assert hanoi.get("/api/v1/reports/lateness/CHQHCM", params={"period": "2026-11"}).status_code == 403
    assert hanoi.get("/api/v1/reports/lateness/TCHQ", params={"period": "2026-11"}).status_code == 403
    assert hanoi.get("/api/v1/reports/dashboard/CCHQNB").status_code == 200  # a unit below theirs
    plain = api.client_as("nhan-vien", employee="NV001")
    assert plain.get("/api/v1/reports/dashboard/DOI1").status_code == 403
    admin = api.sign_in("admin", "quan-tri-he-thong-1")
    everyone = admin.get("/api/v1/reports/lateness/TCHQ", params={"from": "2026-11-01", "to": "2026-11-06"})
    assert [r["employee_code"] for r in everyone.json()["rows"]] == ["NV001", "NV003"]


def test_dashboard_and_presence_as_json(api: Api) -> None:
    hr = api.client_as("tccb", (Role.HR, "TCHQ"))
    board = hr.get("/api/v1/reports/dashboard/TCHQ")
    assert board.status_code == 200, board.text
    data = board.json()
    assert data["presence"]["counts"]["total"] == 3 and {u["unit_code"] for u in data["presence"]["by_unit"]} == {
        "CHQHN",
        "CHQHCM",
    }
    monday = hr.get("/api/v1/reports/presence/CHQHN", params={"day": "2026-11-02"}).json()
    assert {p["employee_code"]: p["status"] for p in monday["people"]} == {"NV002": "absent", "NV001": "late"}
    absences = hr.get("/api/v1/reports/absences/TCHQ", params={"from": "2026-11-02", "to": "2026-11-03"}).json()
    assert {r["employee_code"]: r["absent_days"] for r in absences["rows"]} == {"NV002": 2, "NV001": 1, "NV003": 1}


def test_downloads_keep_vietnamese(api: Api) -> None:
    hr = api.client_as("tccb", (Role.HR, "CHQHN"))
    sheet = hr.get("/api/v1/reports/timesheets/CHQHN/2026-11/export", params={"format": "xlsx"})
    assert sheet.status_code == 200, sheet.text
    assert 'filename="bang-cham-cong_CHQHN_2026-11.xlsx"' in sheet.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(sheet.content)).active
    names = {row[2] for row in ws.iter_rows(min_row=7, max_row=8, values_only=True)}
    assert names == {"Nguyễn Văn Đức", "Trần Thị Lan"}
    pdf = hr.get("/api/v1/reports/timesheets/CHQHN/2026-11/export", params={"format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Nguyễn Văn Đức" in text and "Cục Hải quan Hà Nội" in text
    late = hr.get("/api/v1/reports/lateness/CHQHN", params={"period": "2026-11", "format": "pdf"})
    assert late.status_code == 200 and late.content.startswith(b"%PDF")
    assert hr.get("/api/v1/reports/timesheets/CHQHCM/2026-11/export").status_code == 403


def test_bad_periods_are_422_and_change_nothing(api: Api) -> None:
    admin = api.sign_in("admin", "quan-tri-he-thong-1")
    bad = [
        {"period": "2026-13"},
        {"from": "2026-11-05", "to": "2026-11-01"},
        {},
        {"from": "2026-01-01", "to": "2026-12-31"},
        {"period": "2026-11", "from": "2026-11-01"},
    ]
    for params in bad:
        response = admin.get("/api/v1/reports/lateness/TCHQ", params=params)
        assert response.status_code == 422, (params, response.text)
    assert admin.get("/api/v1/reports/devices/uptime", params={"from": "2026-11-02T00:00:00"}).status_code == 422
    offline = admin.get("/api/v1/reports/devices/offline")
    assert offline.status_code == 200 and offline.json() == []
    uptime = admin.get(
        "/api/v1/reports/devices/uptime",
        params={"from": "2026-11-01T00:00:00+07:00", "to": "2026-11-02T00:00:00+07:00"},
    )
    assert uptime.status_code == 200 and uptime.json()["rows"] == []
    assert date.fromisoformat(uptime.json()["start"][:10]) == date(2026, 10, 31)  # UTC
