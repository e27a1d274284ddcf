"""Asset movements through the REST API: check-out and return, a transfer between units with four-eyes
approval, repair and loan restoring the status, a liquidation with its decision, one open movement at a
time, history and audit of every step. Real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.accounts.principal import Role
from hub.people.importing import import_employees
from tests.hub.api.conftest import Api, make_api

UNITS = (
    {"code": "CHQ", "name": "Cục Hải quan", "kind": "customs_department", "valid_from": "2025-03-01"},
    {
        "code": "KV1",
        "name": "Chi cục Hải quan khu vực I",
        "kind": "regional_branch",
        "parent_code": "CHQ",
        "valid_from": "2025-03-01",
    },
    {
        "code": "KV2",
        "name": "Chi cục Hải quan khu vực II",
        "kind": "regional_branch",
        "parent_code": "CHQ",
        "valid_from": "2025-03-01",
    },
)
LOCATIONS = (
    {"kind": "office", "code": "TS2", "name": "Trụ sở KV II", "unit_code": "KV2"},
    {"kind": "building", "code": "TS2-A", "name": "Nhà A", "parent_code": "TS2"},
    {"kind": "floor", "code": "TS2-A1", "name": "Tầng 1", "parent_code": "TS2-A"},
    {"kind": "room", "code": "TS2-A101", "name": "Phòng 101", "parent_code": "TS2-A1"},
)


@pytest.fixture
def api(database_url: str, conn: psycopg.Connection, tmp_path: Path):
    yield from make_api(database_url, tmp_path)


@pytest.fixture
def officer(api: Api, conn: psycopg.Connection) -> TestClient:
    admin = api.sign_in("admin", "quan-tri-he-thong-1")
    for body in UNITS:
        assert admin.post("/api/v1/org-units", json=body).status_code == 201
    for body in LOCATIONS:
        assert admin.post("/api/v1/asset-locations", json=body).status_code == 201
    people = [{"employee_code": "E1", "full_name": "Nguyễn Thị Hoa", "unit_code": "KV1", "person_id": "p-1"}]
    assert import_employees(conn, people).rejected == []
    for number in ("TS-1", "TS-2", "TS-3"):
        body = {
            "asset_number": number,
            "name": "Máy tính xách tay",
            "category_code": "may-vi-tinh",
            "unit_code": "KV1",
            "cost": 20_000_000,
            "acquired_on": "2024-03-15",
            "status": "in_store",
        }
        assert admin.post("/api/v1/assets", json=body).status_code == 201
    return api.client_as("ts-kv1", (Role.ASSET_OFFICER, "KV1"))


def test_check_out_and_return_restore_custodian_and_status(api: Api, officer: TestClient) -> None:
    out = officer.post(
        "/api/v1/assets/TS-1/movements",
        json={"kind": "checkout", "employee_code": "E1", "reason": "Cấp cho cán bộ mới"},
    )
    assert out.status_code == 201, out.text
    moved = out.json()
    assert moved["status"] == "approved" and moved["employee_name"] == "Nguyễn Thị Hoa"
    asset = officer.get("/api/v1/assets/TS-1").json()
    assert asset["asset"]["custodian_code"] == "E1" and asset["asset"]["status"] == "in_use"
    again = officer.post("/api/v1/assets/TS-1/movements", json={"kind": "loan", "party": "Cục X", "reason": "Mượn"})
    assert again.status_code == 409 and " / " in again.json()["detail"]  # one open movement at a time
    back = officer.post(f"/api/v1/asset-movements/{moved['id']}/return", json={"note": "Đã nhận lại"})
    assert back.status_code == 200 and back.json()["status"] == "returned"
    asset = officer.get("/api/v1/assets/TS-1").json()
    assert asset["asset"]["custodian_code"] is None and asset["asset"]["status"] == "in_store"
    assert [h["action"] for h in asset["history"]][:2] == ["movement.return", "movement.checkout"]
    assert officer.post(f"/api/v1/asset-movements/{moved['id']}/return", json={}).status_code == 409
    unknown = officer.post(
        "/api/v1/assets/TS-2/movements", json={"kind": "checkout", "employee_code": "NOPE", "reason": "x"}
    )
    assert unknown.status_code == 422 and "no employee" in unknown.json()["detail"]
    assert officer.post("/api/v1/assets/TS-2/movements", json={"kind": "checkout", "reason": " "}).status_code == 422


def test_transfer_to_another_unit_needs_another_person_with_rights_over_both(api: Api, officer: TestClient) -> None:
    body = {"kind": "transfer", "unit_code": "KV2", "location_code": "TS2-A101", "reason": "Điều chuyển theo QĐ 12"}
    request = officer.post("/api/v1/assets/TS-2/movements", json=body)
    assert request.status_code == 201 and request.json()["status"] == "requested"
    mid = request.json()["id"]
    assert officer.get("/api/v1/assets/TS-2").json()["asset"]["unit_code"] == "KV1"  # nothing moved yet
    own = officer.post(f"/api/v1/asset-movements/{mid}/approve", json={})
    assert own.status_code == 403  # an officer of KV1 only: not over KV2 (and it is their own request)
    kv1_manager = api.client_as("ld-kv1", (Role.MANAGER, "KV1"))
    assert kv1_manager.post(f"/api/v1/asset-movements/{mid}/approve", json={}).status_code == 403  # not over KV2
    boss = api.client_as("ld-chq", (Role.MANAGER, "CHQ"))
    waiting = boss.get("/api/v1/asset-movements", params={"status": "requested"}).json()
    assert [m["id"] for m in waiting] == [mid]
    approved = boss.post(f"/api/v1/asset-movements/{mid}/approve", json={"note": "Đồng ý"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["exit_until"] is not None  # a transfer may leave through a portal for a week
    asset = boss.get("/api/v1/assets/TS-2").json()["asset"]
    assert (asset["unit_code"], asset["location_code"]) == ("KV2", "TS2-A101")
    assert boss.post(f"/api/v1/asset-movements/{mid}/reject", json={}).status_code == 409
    audit = boss.get("/api/v1/audit", params={"entity": "asset_movement", "entity_id": str(mid)})
    assert audit.status_code in (200, 403)
    admin = api.sign_in("admin", "quan-tri-he-thong-1")
    rows = admin.get("/api/v1/audit", params={"entity": "asset_movement", "entity_id": str(mid)}).json()["items"]
    assert sorted(r["action"] for r in rows) == ["asset.movement_approve", "asset.movement_request"]


def test_repair_loan_reject_cancel_and_liquidation_with_its_decision(api: Api, officer: TestClient) -> None:
    boss = api.client_as("ld-kv1", (Role.MANAGER, "KV1"))
    repair = officer.post(
        "/api/v1/assets/TS-3/movements",
        json={"kind": "repair", "party": "Công ty Tin học A", "reason": "Hỏng màn hình"},
    ).json()
    assert boss.post(f"/api/v1/asset-movements/{repair['id']}/approve", json={}).status_code == 200
    assert officer.get("/api/v1/assets/TS-3").json()["asset"]["status"] == "under_repair"
    assert officer.post(f"/api/v1/asset-movements/{repair['id']}/return", json={}).status_code == 200
    assert officer.get("/api/v1/assets/TS-3").json()["asset"]["status"] == "in_store"

    no_party = officer.post("/api/v1/assets/TS-3/movements", json={"kind": "loan", "reason": "Mượn"})
    assert no_party.status_code == 422 and "borrower" in no_party.json()["detail"]
    loan = officer.post(
        "/api/v1/assets/TS-3/movements", json={"kind": "loan", "party": "Chi cục KV II", "reason": "Hội nghị"}
    ).json()
    assert boss.post(f"/api/v1/asset-movements/{loan['id']}/reject", json={"note": "Không"}).json()["status"] == (
        "rejected"
    )
    loan = officer.post(
        "/api/v1/assets/TS-3/movements", json={"kind": "loan", "party": "Chi cục KV II", "reason": "Hội nghị"}
    ).json()
    assert officer.post(f"/api/v1/asset-movements/{loan['id']}/cancel", json={}).json()["status"] == "cancelled"

    no_decision = officer.post("/api/v1/assets/TS-3/movements", json={"kind": "liquidation", "reason": "Hỏng"})
    assert no_decision.status_code == 422
    before = officer.post(
        "/api/v1/assets/TS-3/movements",
        json={"kind": "liquidation", "reason": "Hỏng", "decision_number": "15/QĐ-KV1", "decision_date": "2024-01-01"},
    )
    assert before.status_code == 422  # before the asset was put into use
    liq = officer.post(
        "/api/v1/assets/TS-3/movements",
        json={
            "kind": "liquidation",
            "reason": "Hỏng không sửa được",
            "decision_number": "15/QĐ-KV1",
            "decision_date": "2025-06-30",
            "decision_signer": "Chi cục trưởng",
        },
    ).json()
    assert boss.post(f"/api/v1/asset-movements/{liq['id']}/approve", json={}).status_code == 200
    asset = officer.get("/api/v1/assets/TS-3").json()
    assert asset["asset"]["status"] == "liquidated" and asset["asset"]["liquidated_on"] == "2025-06-30"
    history = [h["action"] for h in asset["history"]]
    assert history[:2] == ["movement.approve", "movement.request"] and "movement.reject" in history
    listed = officer.get("/api/v1/assets/TS-3/movements").json()
    assert [m["kind"] for m in listed] == ["liquidation", "loan", "loan", "repair"]
    gone = officer.post(
        "/api/v1/assets/TS-3/movements", json={"kind": "checkout", "employee_code": "E1", "reason": "x"}
    )
    assert gone.status_code == 409
    assert officer.post("/api/v1/asset-movements/999999/approve", json={}).status_code == 404


def _inbox(client: TestClient) -> list[tuple[str, str]]:
    items = client.get("/api/v1/notifications").json()["items"]
    return [(n["category"], n["title_vi"]) for n in items]


def test_a_request_is_announced_to_those_who_may_approve_it(api: Api, officer: TestClient) -> None:
    """A repair request of a KV1 asset reaches KV1's manager and the other KV1 officer (inbox), not its requester;
    a transfer to KV2 reaches only who is over both units; a check-out (no approval) tells nobody."""
    kv1_manager = api.client_as("ld-kv1", (Role.MANAGER, "KV1"))
    other_officer = api.client_as("ts2-kv1", (Role.ASSET_OFFICER, "KV1"))
    kv2_manager = api.client_as("ld-kv2", (Role.MANAGER, "KV2"))
    boss = api.client_as("ld-chq", (Role.MANAGER, "CHQ"))
    repair = {"kind": "repair", "party": "Công ty sửa chữa A", "reason": "Hỏng màn hình"}
    assert officer.post("/api/v1/assets/TS-1/movements", json=repair).status_code == 201
    wanted = ("assets.movement_request", "Đề nghị sửa chữa tài sản TS-1 chờ duyệt")
    for client in (kv1_manager, other_officer, boss):
        assert _inbox(client) == [wanted]
    assert _inbox(officer) == [] and _inbox(kv2_manager) == []
    link = kv1_manager.get("/api/v1/notifications").json()["items"][0]["link"]
    assert link == "/assets?asset=TS-1"

    transfer = {"kind": "transfer", "unit_code": "KV2", "location_code": "TS2-A101", "reason": "Điều chuyển"}
    assert officer.post("/api/v1/assets/TS-2/movements", json=transfer).status_code == 201
    assert len(_inbox(boss)) == 2  # over KV1 and KV2
    assert len(_inbox(kv1_manager)) == 1 and _inbox(kv2_manager) == []  # each over one unit only

    checkout = {"kind": "checkout", "employee_code": "E1", "reason": "Cấp phát"}
    assert officer.post("/api/v1/assets/TS-3/movements", json=checkout).status_code == 201
    assert len(_inbox(boss)) == 2


def test_the_requester_hears_the_decision(api: Api, officer: TestClient) -> None:
    """The approval and the rejection reach the requester's inbox with the approver's note; no one else's."""
    kv1_manager = api.client_as("ld-kv1", (Role.MANAGER, "KV1"))
    repair = {"kind": "repair", "party": "Công ty sửa chữa A", "reason": "Hỏng màn hình"}
    first = officer.post("/api/v1/assets/TS-1/movements", json=repair).json()
    second = officer.post(
        "/api/v1/assets/TS-2/movements", json={"kind": "loan", "party": "Đội 2", "reason": "Mượn họp"}
    ).json()
    approved = kv1_manager.post(f"/api/v1/asset-movements/{first['id']}/approve", json={"note": "Đồng ý"})
    assert approved.status_code == 200
    assert _inbox(officer) == [("assets.movement_decision", "Đề nghị sửa chữa tài sản TS-1 được duyệt")]
    refused = kv1_manager.post(f"/api/v1/asset-movements/{second['id']}/reject", json={"note": "Không cần thiết"})
    assert refused.status_code == 200
    items = officer.get("/api/v1/notifications").json()["items"]
    assert [(n["category"], n["title_vi"]) for n in items][0] == (
        "assets.movement_decision", "Đề nghị cho mượn tài sản TS-2 bị từ chối",
    )  # fmt: skip
    assert "Không cần thiết" in items[0]["body_vi"] and items[0]["link"] == "/assets?asset=TS-2"
    assert all(c != "assets.movement_decision" for c, _ in _inbox(kv1_manager))
