"""Inventory sessions through the REST API over a real database: fixed readers' rfid.read events stored by
ingest's own code and a handheld's codes (EPC hex, a QR code's EPC URI, an asset number) reconcile per room to
found, missing, moved and unknown; each difference is resolved (move, mark missing, register the unknown tag);
closing freezes the counts, the minutes and the difference report come out as PDF; the yearly stocktake shows
its progress per office."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from hub.accounts.principal import Principal, Role, RoleGrant
from hub.assets.repository import unit_row
from hub.ingest.classify import AcceptedEvent
from hub.ingest.repository import store_batch
from hub.ingest.rows import build_rows
from protocol.envelope import RfidReadData, RfidReadEvent
from protocol.epc import AssetEpcPolicy, asset_epc
from tests.hub.api.conftest import Api, make_api

POLICY = AssetEpcPolicy(company_prefix="8934567")
LOCATIONS = (
    {"kind": "office", "code": "TS1", "name": "Trụ sở KV I", "unit_code": "KV1"},
    {"kind": "building", "code": "TS1-A", "name": "Nhà A", "parent_code": "TS1"},
    {"kind": "floor", "code": "TS1-A1", "name": "Tầng 1", "parent_code": "TS1-A"},
    {"kind": "room", "code": "R101", "name": "Phòng 101", "parent_code": "TS1-A1"},
    {"kind": "room", "code": "R102", "name": "Phòng 102", "parent_code": "TS1-A1"},
)
ROOMS = {"A-1": "R101", "A-2": "R101", "A-3": "R101", "A-4": "R102", "A-5": "R102"}


@pytest.fixture
def api(database_url: str, conn: psycopg.Connection, tmp_path: Path):
    yield from make_api(database_url, tmp_path)


@pytest.fixture
def officer(api: Api) -> TestClient:
    admin = api.sign_in("admin", "quan-tri-he-thong-1")
    for unit in (
        {"code": "CHQ", "name": "Cục Hải quan", "kind": "customs_department", "valid_from": "2025-03-01"},
        {"code": "KV1", "name": "Chi cục Hải quan khu vực I", "kind": "regional_branch", "parent_code": "CHQ",
         "valid_from": "2025-03-01"},
    ):  # fmt: skip
        assert admin.post("/api/v1/org-units", json=unit).status_code == 201
    for body in LOCATIONS:
        assert admin.post("/api/v1/asset-locations", json=body).status_code == 201
    api.services.assets.policy = POLICY
    for number, room in ROOMS.items():
        body = {
            "asset_number": number,
            "name": f"Bàn làm việc {number}",
            "category_code": "may-vi-tinh",
            "unit_code": "KV1",
            "cost": 12_000_000,
            "acquired_on": "2024-03-15",
            "location_code": room,
        }
        assert admin.post("/api/v1/assets", json=body).status_code == 201
    return api.client_as("ts-kv1", (Role.ASSET_OFFICER, "KV1"))


def _store_reads(database_url: str, device: str, epcs: list[str], tmp_path: Path) -> None:
    """rfid.read events as the hub's ingest stores them (its row builder and batch writer)."""
    now = datetime.now(UTC)
    events = [
        AcceptedEvent(
            RfidReadEvent(
                id=uuid.uuid4(),
                device_id=device,
                ts=now,
                seq=i,
                data=RfidReadData(epc=epc, antenna=1, rssi=-50.0, first_seen=now, last_seen=now),
            )
        )
        for i, epc in enumerate(epcs)
    ]
    rows, _ = build_rows(events, None)  # type: ignore[arg-type]  # rfid.read events carry no snapshot
    with psycopg.connect(database_url) as conn, conn.transaction():
        store_batch(conn, "test", rows)


def _epc(number: str) -> str:
    return asset_epc(number, POLICY).hex


def test_a_floor_inventory_found_missing_moved_unknown_resolved_closed_and_printed(
    api: Api, officer: TestClient, database_url: str, tmp_path: Path
) -> None:
    assert officer.put("/api/v1/asset-readers/rfid-r101/0", json={"room_code": "R101"}).status_code == 204
    assert officer.put("/api/v1/asset-readers/rfid-r101/0", json={"room_code": "NOPE"}).status_code == 422
    started = officer.post(
        "/api/v1/asset-inventories", json={"location_code": "TS1-A1", "title": "Kiểm kê tầng 1", "stocktake_year": 2026}
    )
    assert started.status_code == 201, started.text
    sid = started.json()["id"]
    assert officer.post("/api/v1/asset-inventories", json={"title": "Toàn ngành"}).status_code == 422  # not theirs

    unknown_tag = asset_epc("Z-99", POLICY).hex  # a tag of the agency's scheme that no asset carries
    _store_reads(database_url, "rfid-r101", [_epc("A-1"), _epc("A-2"), _epc("A-4").lower(), unknown_tag], tmp_path)
    _store_reads(database_url, "rfid-other", [_epc("A-3")], tmp_path)  # a reader in no room of the session
    live = officer.get(f"/api/v1/asset-inventories/{sid}").json()
    rooms = {r["code"]: r for r in live["rooms"]}
    assert rooms["R101"]["counts"] == {"expected": 3, "found": 2, "missing": 1, "moved": 1, "unknown": 1}
    assert rooms["R102"]["counts"] == {"expected": 2, "found": 0, "missing": 1, "moved": 0, "unknown": 0}
    moved = [x for x in rooms["R101"]["lines"] if x["state"] == "moved"]
    assert [(x["asset_number"], x["registered_code"]) for x in moved] == [("A-4", "R102")]

    # a handheld in R102: A-5 by its QR code's EPC URI, then A-3 typed by its number (found in the wrong room)
    qr = asset_epc("A-5", POLICY).pure_uri
    reads = officer.post(f"/api/v1/asset-inventories/{sid}/reads", json={"room_code": "R102", "codes": [qr, "A-3"]})
    assert reads.json() == {"taken": 2, "unknown": 0}
    outside = officer.post(f"/api/v1/asset-inventories/{sid}/reads", json={"room_code": "TS1", "codes": ["A-1"]})
    assert outside.status_code == 422 and " / " in outside.json()["detail"]
    live = officer.get(f"/api/v1/asset-inventories/{sid}").json()
    assert live["totals"] == {"expected": 5, "found": 3, "missing": 0, "moved": 2, "unknown": 1}
    assert live["unresolved"] == 3

    url = f"/api/v1/asset-inventories/{sid}/resolve"
    assert officer.post(url, json={"outcome": "missing", "asset_number": "A-1"}).status_code == 409  # it was found
    assert officer.post(url, json={"outcome": "moved", "asset_number": "A-4", "note": "Để ở 101"}).status_code == 204
    assert officer.post(url, json={"outcome": "moved", "asset_number": "A-4"}).status_code == 409  # done already
    assert officer.post(url, json={"outcome": "moved", "asset_number": "A-3"}).status_code == 204
    new = {
        "asset_number": "Z-99",
        "name": "Máy in Canon",
        "category_code": "may-vi-tinh",
        "unit_code": "KV1",
        "cost": 11_000_000,
        "acquired_on": "2025-01-10",
    }
    registered = officer.post(url, json={"outcome": "registered", "tag": unknown_tag, "asset": new})
    assert registered.status_code == 204, registered.text
    detail = officer.get("/api/v1/assets/A-4").json()
    assert detail["asset"]["location_code"] == "R101" and detail["history"][0]["action"] == "inventory.move"
    z = officer.get("/api/v1/assets/Z-99").json()["asset"]
    assert (z["location_code"], z["epc_hex"]) == ("R101", unknown_tag)
    live = officer.get(f"/api/v1/asset-inventories/{sid}").json()
    assert live["unresolved"] == 0

    assert officer.get(f"/api/v1/asset-inventories/{sid}/minutes.pdf").status_code == 409  # still open
    closed = officer.post(f"/api/v1/asset-inventories/{sid}/close")
    assert closed.status_code == 200 and closed.json()["summary"]["unresolved"] == 0
    assert officer.post(f"/api/v1/asset-inventories/{sid}/reads", json={"codes": ["A-1"]}).status_code == 409
    for paper in ("minutes", "differences"):
        pdf = officer.get(f"/api/v1/asset-inventories/{sid}/{paper}.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        text = _pdf_text(pdf.content)
        assert ("BIÊN BẢN KIỂM KÊ TÀI SẢN" if paper == "minutes" else "Sai vị trí") in text
    progress = officer.get("/api/v1/asset-stocktake/2026").json()
    assert progress == [
        {
            "office_code": "TS1",
            "office_name": "Trụ sở KV I",
            "assets": 6,
            "found": 6,
            "resolved": 3,
            "sessions_open": 0,
            "sessions_closed": 1,
        }
    ]
    manager = api.client_as("ld-kv1", (Role.MANAGER, "KV1"))
    assert manager.get(f"/api/v1/asset-inventories/{sid}").status_code == 200
    assert manager.post("/api/v1/asset-inventories", json={"location_code": "R101", "title": "x"}).status_code == 403


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_lookup_by_a_scanned_code_names_the_asset_or_an_unknown_tag(
    api: Api, officer: TestClient, database_url: str
) -> None:
    """A handheld's or a phone camera's code: the EPC hex, a label's QR text (the EPC pure URI), the asset
    number; a tag no asset has comes back without one; another unit's asset is refused (403)."""
    for code in (_epc("A-1"), asset_epc("A-1", POLICY).pure_uri, "A-1"):
        found = officer.get("/api/v1/asset-lookup", params={"code": code})
        assert found.status_code == 200, found.text
        assert found.json()["asset"]["asset_number"] == "A-1"
        assert found.json()["asset"]["location_code"] == "R101"
    unknown = officer.get("/api/v1/asset-lookup", params={"code": "E2801160600002084B1C4A2F"}).json()
    assert unknown == {"code": "E2801160600002084B1C4A2F", "tag": "E2801160600002084B1C4A2F", "asset": None}

    admin = api.sign_in("admin", "quan-tri-he-thong-1")
    kv2 = {"code": "KV2", "name": "Chi cục Hải quan khu vực II", "kind": "regional_branch", "parent_code": "CHQ",
           "valid_from": "2025-03-01"}  # fmt: skip
    assert admin.post("/api/v1/org-units", json=kv2).status_code == 201
    other = api.client_as("ts-kv2", (Role.ASSET_OFFICER, "KV2"))
    refused = other.get("/api/v1/asset-lookup", params={"code": "A-1"})
    assert refused.status_code == 403, refused.text
    assert "đơn vị khác" in refused.json()["detail"]
    # in a batch (the handheld page), another unit's asset is hidden, not named
    with psycopg.connect(database_url) as conn:
        kv2_path = unit_row(conn, "KV2")[1]
    principal = Principal(99, "ts-kv2", "TS KV2", None, None, (RoleGrant(Role.ASSET_OFFICER, kv2_path),))
    scanned = api.services.asset_inventory.scan(principal, ["A-1", "E2801160600002084B1C4A2F"])
    assert [(s.hidden, s.asset) for s in scanned] == [(True, None), (False, None)]
