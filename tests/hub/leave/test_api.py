"""REST for leave (/api/v1/leave) over the real app and database: the issue's balance and request
contract, decisions, refusals in both languages, the team calendar, HR adjustments and access."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from hub.accounts.principal import Role
from tests.hub.api.conftest import Api, make_api


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    org.execute("UPDATE employees SET service_start = '2012-01-10'")
    yield from make_api(database_url, tmp_path)


def test_balance_request_approve_and_the_fields_the_issue_names(api: Api, org: psycopg.Connection) -> None:
    org.execute(
        "INSERT INTO document_issuers (unit_id, notation, place) SELECT id, 'HQKV2.TT', 'Hà Nội' FROM org_units"
        " WHERE code = 'DOI1'"
    )  # the team's own seal, and the place of its date line: the permit is issued on approval
    duc = api.client_as("duc", employee="NV001")
    boss = api.client_as("doi-truong", (Role.MANAGER, "DOI1"))
    balance = duc.get("/api/v1/leave/balances/NV001/2027")
    assert balance.status_code == 200, balance.text
    fields = ("base_days", "seniority_days", "entitled_days", "carried_over_days", "taken_days", "pending_days",
              "remaining_days")  # fmt: skip
    assert {k: balance.json()[k] for k in fields} == dict(zip(fields, (12, 3, 15, 0, 0, 0, 15), strict=True))
    preview = duc.get(
        "/api/v1/leave/preview",
        params={"employee_code": "NV001", "leave_type": "annual", "start": "2027-02-01", "end": "2027-02-12"},
    )
    assert preview.json()["working_days"] == 5 and len(preview.json()["skipped"]) == 7
    body = {"employee_code": "NV001", "leave_type": "annual", "start": "2027-01-11", "end": "2027-01-15",
            "reason": "Về quê", "substitute_code": "NV002"}  # fmt: skip
    created = duc.post("/api/v1/leave/requests", json=body)
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["working_days"] == 5 and request["status"] == "pending"
    assert request["steps"][0]["approver"] == "doi-truong"
    overlap = duc.post("/api/v1/leave/requests", json=body | {"start": "2027-01-15", "end": "2027-01-18"})
    assert overlap.status_code == 409 and "trùng" in overlap.json()["detail"] and "overlaps" in overlap.json()["detail"]
    too_much = duc.post("/api/v1/leave/requests", json=body | {"start": "2027-03-01", "end": "2027-03-31"})
    assert too_much.status_code == 409 and "left 10" in too_much.json()["detail"]
    assert duc.post(f"/api/v1/leave/requests/{request['id']}/approve", json={}).status_code == 403
    assert [r["id"] for r in boss.get("/api/v1/leave/inbox").json()] == [request["id"]]
    approved = boss.post(f"/api/v1/leave/requests/{request['id']}/approve", json={"comment": "OK"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["permit_number"] == "01/GNP-HQKV2.TT"
    permit = duc.get(f"/api/v1/leave/requests/{request['id']}/permit.pdf")
    assert permit.status_code == 200 and permit.content.startswith(b"%PDF")
    assert "giay-nghi-phep" in permit.headers["content-disposition"]
    stranger = api.client_as("dat", employee="NV003")
    other = stranger.get(f"/api/v1/leave/requests/{request['id']}/permit.pdf")
    assert other.status_code == 403
    after = duc.get("/api/v1/leave/balances/NV001/2027").json()
    assert (after["taken_days"], after["remaining_days"]) == (5, 10)
    team = boss.get("/api/v1/leave/calendar/DOI1/2027-01").json()
    assert team["rows"][0]["cells"][10:15] == ["P"] * 5
    # new dates for the approved leave: a new request through the chain; the old one stays until it is approved
    moved = duc.post(
        f"/api/v1/leave/requests/{request['id']}/change", json={"start": "2027-01-18", "end": "2027-01-19"}
    )
    assert moved.status_code == 201, moved.text
    assert moved.json()["status"] == "pending" and moved.json()["working_days"] == 2
    assert duc.get(f"/api/v1/leave/requests/{request['id']}").json()["status"] == "approved"
    refused = stranger.post(
        f"/api/v1/leave/requests/{request['id']}/change", json={"start": "2027-01-20", "end": "2027-01-20"}
    )
    assert refused.status_code == 403
    assert boss.post(f"/api/v1/leave/requests/{moved.json()['id']}/approve", json={}).status_code == 200
    assert duc.get(f"/api/v1/leave/requests/{request['id']}").json()["status"] == "cancelled"
    assert duc.get("/api/v1/leave/balances/NV001/2027").json()["taken_days"] == 2
    cancelled = boss.post(f"/api/v1/leave/requests/{moved.json()['id']}/cancel", json={"reason": "Đổi kế hoạch"})
    assert cancelled.json()["status"] == "cancelled"


def test_refusals_and_access(api: Api) -> None:
    duc = api.client_as("duc", employee="NV001")
    dat = api.client_as("dat", employee="NV003")
    hr = api.client_as("tccb", (Role.HR, "TCHQ"))
    bad = {"employee_code": "NV001", "leave_type": "annual", "start": "2027-01-15", "end": "2027-01-11"}
    answer = duc.post("/api/v1/leave/requests", json=bad)
    assert answer.status_code == 422 and "trước ngày bắt đầu" in answer.json()["detail"]
    unknown = duc.post("/api/v1/leave/requests", json=bad | {"leave_type": "holiday", "end": "2027-01-20"})
    assert unknown.status_code == 422
    assert dat.get("/api/v1/leave/balances/NV001/2027").status_code == 403
    assert dat.get("/api/v1/leave/calendar/DOI1/2027-01").status_code == 403
    assert duc.post("/api/v1/leave/adjustments", json={"employee_code": "NV001", "year": 2027, "days": 2,
                                                       "reason": "x"}).status_code == 403  # fmt: skip
    adjusted = hr.post("/api/v1/leave/adjustments", json={"employee_code": "NV001", "year": 2027, "days": 2,
                                                         "reason": "Bù ngày trực Tết"})  # fmt: skip
    assert adjusted.status_code == 201
    assert duc.get("/api/v1/leave/balances/NV001/2027").json()["remaining_days"] == 17
    assert duc.get("/api/v1/leave/requests/999999").status_code == 404


def test_opening_balances_from_an_xlsx_with_the_refused_rows(api: Api) -> None:
    import io

    from openpyxl import Workbook

    hr = api.client_as("tccb-cn", (Role.HR, "CHQHN"))
    book = Workbook()
    sheet = book.active
    for row in (
        ["Mã cán bộ", "Số dư đầu kỳ", "Lý do"],
        ["NV001", 4.5, "Chuyển từ hệ thống cũ"],
        ["NV002", "2,5", None],
        ["NV999", 3, None],  # nobody
        ["NV003", 3, None],  # in CHQHCM: outside this HR's units
        ["NV001", 1, None],  # NV001 on two rows: both refused
        [None, 2, None],
        ["NV004", "nhiều", None],
    ):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    files = {"file": ("so-du-2027.xlsx", data.getvalue(),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}  # fmt: skip
    answer = hr.post("/api/v1/leave/opening-balances/2027", files=files)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["rows"], report["imported"]) == (7, 1)
    refused = {r["row"]: r["column"] for r in report["rejected"]}
    assert refused == {2: "employee_code", 4: "employee_code", 5: "employee_code", 6: "employee_code",
                       7: "employee_code", 8: "days"}  # fmt: skip
    assert all(" / " in r["reason"] for r in report["rejected"])
    assert hr.get("/api/v1/leave/balances/NV002/2027").json()["adjusted_days"] == 2.5
    again = hr.post("/api/v1/leave/opening-balances/2027", files=files).json()
    assert again["imported"] == 0 and any("already has an opening balance" in r["reason"] for r in again["rejected"])


def test_reports_as_xlsx_and_pdf_with_the_official_heading(api: Api) -> None:
    import io

    from openpyxl import load_workbook

    duc = api.client_as("duc", employee="NV001")
    boss = api.client_as("doi-truong", (Role.MANAGER, "DOI1"))
    hr = api.client_as("tccb", (Role.HR, "TCHQ"))
    body = {"employee_code": "NV001", "leave_type": "annual", "start": "2027-01-11", "end": "2027-01-13"}
    first = duc.post("/api/v1/leave/requests", json=body).json()
    boss.post(f"/api/v1/leave/requests/{first['id']}/approve", json={})
    refused = duc.post("/api/v1/leave/requests", json=body | {"start": "2027-03-01", "end": "2027-03-05"}).json()
    answer = boss.post(f"/api/v1/leave/requests/{refused['id']}/reject",
                       json={"comment": "Cao điểm thông quan", "work_refusal": True})  # fmt: skip
    assert answer.status_code == 200
    xlsx = hr.get("/api/v1/leave/reports/CHQHN/2027/taken.xlsx")
    assert xlsx.status_code == 200, xlsx.text
    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True) for c in row]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Độc lập - Tự do - Hạnh phúc" in cells
    assert (
        "CỤC HẢI QUAN HÀ NỘI" in cells and "Nghỉ phép năm" in cells and "Đội Thủ tục hàng hóa xuất nhập khẩu" in cells
    )
    sheet = load_workbook(io.BytesIO(hr.get("/api/v1/leave/reports/DOI1/2027/balances.xlsx").content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[1] == "NV001"]
    assert rows and rows[0][7] == 3 and rows[0][10] == 5  # taken 3; 5 days refused for work: payable
    pdf = hr.get("/api/v1/leave/reports/DOI1/2027/balances.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert duc.get("/api/v1/leave/reports/DOI1/2027/balances.pdf").status_code == 403
    assert hr.get("/api/v1/leave/reports/DOI1/2027/other.pdf").status_code == 422


def test_hr_sees_a_check_in_on_a_day_of_approved_leave(api: Api, org: psycopg.Connection) -> None:
    from datetime import datetime

    from tests.hub.orgdata import add_event

    duc = api.client_as("duc", employee="NV001")
    hr = api.client_as("tccb", (Role.HR, "TCHQ"))
    body = {"employee_code": "NV001", "leave_type": "annual", "start": "2026-11-23", "end": "2026-11-23"}
    made = hr.post("/api/v1/leave/requests", json=body).json()
    hr.post(f"/api/v1/leave/requests/{made['id']}/override", json={"decision": "approve", "reason": "Đã xác nhận"})
    add_event(org, "nv-0001", datetime(2026, 11, 23, 8, 0), "in")
    found = hr.get("/api/v1/leave/checkins-on-leave/CHQHN/2026-11")
    assert found.status_code == 200 and found.json() == [{"employee_code": "NV001", "day": "2026-11-23"}]
    assert duc.get("/api/v1/leave/checkins-on-leave/CHQHN/2026-11").status_code == 403
