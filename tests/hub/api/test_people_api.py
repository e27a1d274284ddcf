"""REST for the org tree, employee search and import."""

from __future__ import annotations

from dataclasses import replace

import psycopg
from fastapi.testclient import TestClient

from hub.accounts.principal import Role
from hub.people.models import UnitKind
from hub.people.service import create_unit
from tests.hub.api.conftest import ADMIN_PASSWORD, Api
from tests.hub.people.workbooks import patched, workbook


def test_org_units_as_a_tree(client: TestClient) -> None:
    response = client.get("/api/v1/org-units")
    assert response.status_code == 200
    (root,) = response.json()
    assert root["code"] == "TCHQ" and root["kind"] == "general_department"
    hanoi = next(c for c in root["children"] if c["code"] == "CHQHN")
    assert hanoi["children"][0]["children"][0] == {
        "code": "DOI1",
        "name": "Đội Thủ tục hàng hóa xuất nhập khẩu",
        "kind": "team",
        "children": [],
    }
    assert [u["code"] for u in client.get("/api/v1/org-units", params={"root": "CHQHCM"}).json()] == ["CHQHCM"]
    assert client.get("/api/v1/org-units", params={"root": "NOPE"}).status_code == 404


def test_employee_search_is_diacritic_insensitive_filtered_and_paginated(client: TestClient) -> None:
    found = client.get("/api/v1/employees", params={"q": "nguyen van duc"}).json()
    assert found["total"] == 1 and found["items"][0]["full_name"] == "Nguyễn Văn Đức"
    assert client.get("/api/v1/employees", params={"q": "ĐẠT"}).json()["items"][0]["employee_code"] == "NV003"
    page = client.get("/api/v1/employees", params={"unit": "CHQHN", "limit": 1, "offset": 1}).json()
    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 1)
    assert [e["employee_code"] for e in page["items"]] == ["NV001"]
    assert client.get("/api/v1/employees", params={"unit": "NOPE"}).json() == {
        "detail": "no org unit has the code 'NOPE'"
    }
    assert client.get("/api/v1/employees", params={"limit": 0}).status_code == 422


def test_import_a_csv_upload_reports_rejected_rows(client: TestClient) -> None:
    csv = (
        "Mã nhân viên,Họ và tên,Mã đơn vị,Mã FaceID\nNV201,Phan Văn Trị,DOI1,nv-0201\nNV202,Hồ Xuân Hương,XX,nv-0202\n"
    )
    response = client.post("/api/v1/employees/import", files={"file": ("ds.csv", csv.encode(), "text/csv")})
    assert response.status_code == 200
    report = response.json()
    assert report["inserted"] == 1 and report["written"]
    assert report["rejected"] == [{"row": 3, "column": "unit_code", "reason": "unknown unit code 'XX'"}]
    strict = client.post(
        "/api/v1/employees/import",
        params={"all_or_nothing": True},
        files={"file": ("ds.csv", csv.replace("NV201", "NV203").replace("0201", "0203").encode(), "text/csv")},
    ).json()
    assert not strict["written"] and client.get("/api/v1/employees", params={"q": "NV203"}).json()["total"] == 0
    bad = client.post("/api/v1/employees/import", files={"file": ("ds.csv", b"a,b\n1,2\n", "text/csv")})
    assert bad.status_code == 422 and "required column" in bad.json()["detail"]


# --- an import changes only employees the importer may change, where they are and where they go ------


def _snapshot(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    """Everything an import could change, to compare before and after a refused one."""
    return {
        table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608 (fixed names)
        for table in ("org_units", "employees", "audit_log")
    }


def _upload(client: TestClient, name: str, data: bytes):  # -> httpx.Response
    return client.post("/api/v1/employees/import", files={"file": (name, data, "application/octet-stream")})


HEADER = "Mã nhân viên,Họ và tên,Mã đơn vị,Mã FaceID\n"


def test_hr_of_one_unit_cannot_take_over_an_employee_of_another(api: Api, org: psycopg.Connection) -> None:
    """NV003 works in CHQHCM; HR of CHQHN imports a row moving NV003 into DOI1 (their own unit)."""
    hr = api.client_as("tccb-hn", (Role.HR, "CHQHN"))
    before = _snapshot(org)
    refused = _upload(hr, "ds.csv", (HEADER + "NV003,Lê Minh Đạt,DOI1,nv-0200\n").encode())
    assert refused.status_code == 403, refused.text
    detail = refused.json()["detail"]
    assert "[2]" in detail and "NV003" in detail and " / " in detail  # Vietnamese / English
    assert _snapshot(org) == before
    # with both units in their reach, the same HR account may move them
    both = api.client_as("tccb-ca-hai", (Role.HR, "CHQHN"), (Role.HR, "CHQHCM"))
    moved = _upload(both, "ds.csv", (HEADER + "NV003,Lê Minh Đạt,DOI1,nv-0003\n").encode())
    assert moved.status_code == 200 and moved.json()["updated"] == 1


def test_a_numeric_unit_cell_is_checked_as_the_code_it_is_written_to(api: Api, org: psycopg.Connection) -> None:
    """A cell holding the number 123.0 names unit "123" (outside this HR's units): refused, nothing written."""
    create_unit(org, "123", "Đội 123", UnitKind.TEAM, "CHQHCM")
    hr = api.client_as("tccb-hn", (Role.HR, "CHQHN"))
    rows = [["employee_code", "full_name", "unit_code", "person_id"], ["NV401", "Phan Bội Châu", 123, "nv-0401"]]
    data = patched(workbook(rows), lambda xml: xml.replace("<v>123</v>", "<v>123.0</v>"))
    before = _snapshot(org)
    refused = _upload(hr, "ds.xlsx", data)
    assert refused.status_code == 403, refused.text
    assert "[2]" in refused.json()["detail"]
    assert _snapshot(org) == before
    # numeric employee codes and FaceID ids are read as the codes they show: 402.0 is "402"
    numbers = [["employee_code", "full_name", "unit_code", "person_id"], [402, "Phan Chu Trinh", "DOI1", 4020]]
    data = patched(workbook(numbers), lambda xml: xml.replace("<v>402</v>", "<v>402.0</v>"))
    assert _upload(hr, "ds.xlsx", data).json()["inserted"] == 1
    found = api.services.people.find_employees(api.admin, query="Phan Chu Trinh")[1][0]
    assert (found.employee_code, found.person_id, found.unit_code) == ("402", "4020", "DOI1")


def test_a_move_is_audited_with_before_and_after_for_both_units_admins(api: Api, org: psycopg.Connection) -> None:
    client = api.sign_in("admin", ADMIN_PASSWORD)
    moved = _upload(client, "ds.csv", (HEADER + "NV003,Lê Minh Đạt,DOI1,nv-0300\n").encode())
    assert moved.status_code == 200 and moved.json()["updated"] == 1
    for office in ("CHQHN", "CHQHCM"):  # the admins of the unit it left and of the unit it joined
        admin = api.client_as(f"qt-{office.lower()}", (Role.OFFICE_ADMIN, office))
        rows = admin.get("/api/v1/audit", params={"entity": "employee", "entity_id": "NV003"}).json()["items"]
        assert [r["action"] for r in rows] == ["employee.update"], office
        before, after = rows[0]["before"], rows[0]["after"]
        assert (before["unit_code"], before["person_id"]) == ("CHQHCM", "nv-0003")
        assert (after["unit_code"], after["person_id"]) == ("DOI1", "nv-0300")
        assert after["full_name"] == before["full_name"] == "Lê Minh Đạt"
    create_unit(org, "CHQDN", "Cục Hải quan Đà Nẵng", UnitKind.DEPARTMENT, "TCHQ")
    elsewhere = api.client_as("qt-chqdn", (Role.OFFICE_ADMIN, "CHQDN"))  # neither unit: sees nothing
    assert elsewhere.get("/api/v1/audit", params={"entity_id": "NV003"}).json()["total"] == 0


# --- a file over a limit is a clear 422, never a 500, and changes nothing --------------------------


def test_a_csv_field_over_the_csv_modules_limit_is_a_clear_422(client: TestClient, org: psycopg.Connection) -> None:
    before = _snapshot(org)
    huge = (HEADER + "NV601,A,DOI1,nv-0601,\n").replace("\n", ",Ghi chú\n", 1)
    huge = huge.replace("nv-0601,", "nv-0601," + "x" * 200_000)  # csv's own limit is 131,072 characters
    refused = _upload(client, "ds.csv", huge.encode())
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"] == "dòng 2: ô dài hơn 1,000 ký tự / row 2: a cell longer than 1,000 characters"
    quoted = _upload(client, "ds.csv", (HEADER + 'NV602,"Lê ""Bé"" Thị F",DOI1,nv-0602\n').encode())
    assert quoted.json()["inserted"] == 1
    assert client.get("/api/v1/employees", params={"q": "NV602"}).json()["items"][0]["full_name"] == 'Lê "Bé" Thị F'
    assert _snapshot(org)["org_units"] == before["org_units"]


def test_an_upload_larger_than_the_limit_is_refused_unread(api: Api, org: psycopg.Connection) -> None:
    client = api.sign_in("admin", ADMIN_PASSWORD)
    api.services.people.import_limits = replace(api.services.people.import_limits, max_file_bytes=1_000)
    before = _snapshot(org)
    data = (HEADER + "".join(f"NV7{i:02},Người {i},DOI1,nv-07{i:02}\n" for i in range(40))).encode()
    assert len(data) > 1_000
    for name in ("ds.csv", "ds.xlsx"):
        refused = _upload(client, name, data)
        assert refused.status_code == 422, refused.text
        assert "tệp lớn hơn 1,000 bytes" in refused.json()["detail"]
        assert "the file is larger than 1,000 bytes" in refused.json()["detail"]
    assert _snapshot(org) == before
