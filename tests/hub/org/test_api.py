"""REST for the organisation: status codes, bilingual errors, who may, the import and its rejected rows."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.accounts.principal import Role
from tests.hub.api.conftest import Api, make_api


@pytest.fixture
def api(database_url: str, conn: psycopg.Connection, tmp_path: Path):  # an empty hub: no units yet
    yield from make_api(database_url, tmp_path)


@pytest.fixture
def client(api: Api):
    return api.sign_in("admin", "quan-tri-he-thong-1")


def _tree(client: TestClient) -> None:
    for body in (
        {"code": "CHQ", "name": "Cục Hải quan", "kind": "customs_department", "valid_from": "2025-03-01"},
        {"code": "KV1", "name": "Chi cục Hải quan khu vực I", "kind": "regional_branch", "parent_code": "CHQ",
         "valid_from": "2025-03-01"},
        {"code": "KV2", "name": "Chi cục Hải quan khu vực II", "kind": "regional_branch", "parent_code": "CHQ",
         "valid_from": "2025-03-01"},
        {"code": "DOIA", "name": "Đội Kiểm soát", "kind": "team", "parent_code": "KV1", "valid_from": "2025-03-01"},
        {"code": "DOIB", "name": "Đội Thủ tục", "kind": "team", "parent_code": "KV1", "valid_from": "2025-03-01"},
    ):  # fmt: skip
        response = client.post("/api/v1/org-units", json=body)
        assert response.status_code == 201, response.text


def test_operations_answer_201_200_404_409_422(client: TestClient) -> None:
    _tree(client)
    created = client.post("/api/v1/org-units", json={"code": "DOIC", "name": "Đội C", "kind": "team",
                                                      "parent_code": "KV2"})  # fmt: skip
    assert created.status_code == 201 and created.json()["unit"]["has_seal"] is True
    taken = client.post("/api/v1/org-units", json={"code": "DOIC", "name": "X", "kind": "team", "parent_code": "KV2"})
    assert taken.status_code == 409 and taken.json()["detail"].startswith("mã đơn vị DOIC đã được dùng / ")
    misplaced = client.post("/api/v1/org-units", json={"code": "X", "name": "X", "kind": "border_gate",
                                                        "parent_code": "CHQ"})  # fmt: skip
    assert misplaced.status_code == 422 and "cannot sit under" in misplaced.json()["detail"]
    assert (
        client.post("/api/v1/org-units", json={"code": "Y", "name": "Y", "kind": "team", "extra": 1}).status_code == 422
    )

    renamed = client.post("/api/v1/org-units/DOIA/rename", json={"name": "Đội Kiểm soát số 1"})
    assert renamed.status_code == 200 and renamed.json()["unit"]["name"] == "Đội Kiểm soát số 1"
    assert client.post("/api/v1/org-units/NOPE/rename", json={"name": "X"}).status_code == 404
    assert client.post("/api/v1/org-units/DOIC/move", json={"parent_code": "KV1"}).status_code == 200
    assert client.post("/api/v1/org-units/KV1/move", json={"parent_code": "DOIC"}).status_code == 422
    busy = client.post("/api/v1/org-units/KV1/close", json={})
    assert busy.status_code == 409 and "still has sub-units" in busy.json()["detail"]
    merged = client.post("/api/v1/org-units/DOIA/merge", json={"into": "DOIB"})
    assert merged.status_code == 200 and merged.json()["unit"]["successor_code"] == "DOIB"
    again = client.post("/api/v1/org-units/DOIA/rename", json={"name": "Z"})
    assert again.status_code == 409 and "đã giải thể" in again.json()["detail"]
    future = client.post("/api/v1/org-units/DOIB/rename", json={"name": "Z", "effective": "2099-01-01"})
    assert future.status_code == 422

    detail = client.get("/api/v1/org-units/DOIA").json()
    # renamed and merged on the same day: the new name never held, the history ends with the old one
    assert [(v["name"], v["valid_to"]) for v in detail["versions"]] == [("Đội Kiểm soát", merged.json()["effective"])]
    assert detail["unit"]["valid_to"] is not None
    assert [p["code"] for p in client.get("/api/v1/org-units/DOIB").json()["predecessors"]] == ["DOIA"]
    kinds = {k["code"]: k for k in client.get("/api/v1/org-unit-kinds").json()}
    assert kinds["regional_branch"]["name_vi"] == "Chi cục Hải quan khu vực" and kinds["regional_branch"]["has_seal"]
    tree = client.get("/api/v1/org-units").json()
    assert tree[0]["code"] == "CHQ" and "DOIA" not in str(tree)


def test_an_office_admin_works_below_their_unit_and_others_not_at_all(api: Api, client: TestClient) -> None:
    _tree(client)
    office = api.client_as("qt-kv1", (Role.OFFICE_ADMIN, "KV1"))
    assert office.post("/api/v1/org-units", json={"code": "DOID", "name": "Đội D", "kind": "team",
                                                   "parent_code": "KV1"}).status_code == 201  # fmt: skip
    outside = office.post("/api/v1/org-units", json={"code": "DOIE", "name": "Đội E", "kind": "team",
                                                      "parent_code": "KV2"})  # fmt: skip
    assert outside.status_code == 403 and "không có quyền" in outside.json()["detail"]
    assert office.post("/api/v1/org-units/KV1/rename", json={"name": "X"}).status_code == 403
    assert office.get("/api/v1/org-units/KV2").status_code == 403
    hr = api.client_as("hr-kv1", (Role.HR, "KV1"))
    assert hr.post("/api/v1/org-units/DOID/rename", json={"name": "X"}).status_code == 403
    assert hr.get("/api/v1/org-units/DOID").status_code == 200


CSV = """Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Hiệu lực từ
KV3,Chi cục Hải quan khu vực III,Chi cục Hải quan khu vực,CHQ,01/03/2025
HP,Hải quan cửa khẩu cảng Hải Phòng,border_gate,KV3,2025-03-01
BAD1,Đội lạc chỗ,team,NOPE,
BAD2,,team,KV3,
BAD3,Hải quan cửa khẩu sai chỗ,border_gate,CHQ,
DOIX,Đội X,đội,KV3,31/02/2025
KV1,Chi cục khác,regional_branch,CHQ,
DOIY,Đội Y,team,KV4,
KV4,Chi cục Hải quan khu vực IV,regional_branch,CHQ,
"""


def test_import_reports_each_rejected_row_and_applies_nothing_of_it(
    client: TestClient, conn: psycopg.Connection
) -> None:
    _tree(client)
    response = client.post("/api/v1/org-units/import", files={"file": ("dv.csv", CSV.encode(), "text/csv")})
    assert response.status_code == 200, response.text
    report = response.json()
    assert sorted(report["created_codes"]) == ["DOIY", "HP", "KV3", "KV4"], report  # DOIY: parent later
    rejected = {(e["row"], e["column"]) for e in report["rejected"]}
    assert {r for r, _ in rejected} == {4, 5, 6, 7, 8}
    reasons = " ".join(e["reason"] for e in report["rejected"])
    assert "NOPE" in reasons and "cannot sit under" in reasons and "is not a date" in reasons and "taken" in reasons
    assert conn.execute("SELECT count(*) FROM org_units WHERE code LIKE 'BAD%%'").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM audit_log WHERE entity_id LIKE 'BAD%%'").fetchone() == (0,)
    # the same file again changes nothing
    again = client.post("/api/v1/org-units/import", files={"file": ("dv.csv", CSV.encode(), "text/csv")}).json()
    assert again["created"] == 0 and again["unchanged"] == 4
    unreadable = client.post("/api/v1/org-units/import", files={"file": ("dv.csv", b"a,b\n1,2\n", "text/csv")})
    assert unreadable.status_code == 422 and "required column" in unreadable.json()["detail"]


def test_staff_naming_missing_units_are_told_which_and_may_create_them(client: TestClient) -> None:
    _tree(client)
    staff = (
        "Mã nhân viên,Họ và tên,Mã đơn vị,Tên đơn vị,Mã FaceID\n"
        "NV1,Đỗ Minh Khoa,DOIA,,p-1\nNV2,Vũ Thị Mai,DOIN,Đội Nghiệp vụ,p-2\nNV3,Bùi Văn Nam,DOIM,,p-3\n"
    )
    first = client.post("/api/v1/employees/import", files={"file": ("ds.csv", staff.encode(), "text/csv")}).json()
    assert first["unknown_units"] == ["DOIN", "DOIM"] and first["inserted"] == 1
    assert "đơn vị chưa có: DOIN, DOIM" in first["unknown_units_hint"]
    created = client.post(
        "/api/v1/employees/import",
        params={"create_units_under": "KV2"},
        files={"file": ("ds.csv", staff.encode(), "text/csv")},
    ).json()
    assert created["created_units"] == ["DOIN", "DOIM"] and created["inserted"] == 2 and created["rejected"] == []
    unit = client.get("/api/v1/org-units/DOIN").json()["unit"]
    assert (unit["name"], unit["kind"], unit["parent_code"]) == ("Đội Nghiệp vụ", "team", "KV2")
    assert client.get("/api/v1/org-units/DOIM").json()["unit"]["name"] == "DOIM"
    wrong = client.post(
        "/api/v1/employees/import",
        params={"create_units_under": "NOPE"},
        files={"file": ("ds.csv", staff.replace("DOIM", "DOIZ").encode(), "text/csv")},
    )
    assert wrong.status_code == 404
    history = client.get("/api/v1/employees/NV2/units").json()
    assert [h["unit_code"] for h in history] == ["DOIN"]
