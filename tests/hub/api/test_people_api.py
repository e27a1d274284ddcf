"""REST for the org tree, employee search and import."""

from __future__ import annotations

from fastapi.testclient import TestClient


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
