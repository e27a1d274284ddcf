"""REST for the asset register: status codes, bilingual errors, scope by unit, history, wear, the import."""

from __future__ import annotations

import io
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from hub.accounts.principal import Role
from hub.people.importing import import_employees
from protocol.epc import AssetEpcPolicy
from tests.hub.api.conftest import Api, make_api

UNITS = (
    {"code": "CHQ", "name": "Cục Hải quan", "kind": "customs_department", "valid_from": "2025-03-01"},
    {"code": "KV1", "name": "Chi cục Hải quan khu vực I", "kind": "regional_branch", "parent_code": "CHQ",
     "valid_from": "2025-03-01"},
    {"code": "KV2", "name": "Chi cục Hải quan khu vực II", "kind": "regional_branch", "parent_code": "CHQ",
     "valid_from": "2025-03-01"},
    {"code": "DOIA", "name": "Đội Kiểm soát", "kind": "team", "parent_code": "KV1", "valid_from": "2025-03-01"},
)  # fmt: skip


@pytest.fixture
def api(database_url: str, conn: psycopg.Connection, tmp_path: Path):
    yield from make_api(database_url, tmp_path)


@pytest.fixture
def admin(api: Api, conn: psycopg.Connection) -> TestClient:
    client = api.sign_in("admin", "quan-tri-he-thong-1")
    for body in UNITS:
        assert client.post("/api/v1/org-units", json=body).status_code == 201
    report = import_employees(conn, [{"employee_code": "E1", "full_name": "Nguyễn Thị Hoa", "unit_code": "DOIA",
                                      "person_id": "p-1"}])  # fmt: skip
    assert report.rejected == []
    api.services.assets.policy = AssetEpcPolicy(company_prefix="8934567")
    return client


def _asset(number: str, unit: str = "DOIA", **extra: object) -> dict:
    return {"asset_number": number, "name": "Máy tính xách tay Dell", "category_code": "may-vi-tinh",
            "unit_code": unit, "cost": 25_000_000, "acquired_on": "2024-03-15", **extra}  # fmt: skip


def test_categories_are_data_with_their_basis_and_only_the_system_admin_loads_more(api: Api, admin: TestClient) -> None:
    shipped = admin.get("/api/v1/asset-categories").json()
    assert [(c["code"], c["wear_rate_pct"], c["confirmed"]) for c in shipped] == [("may-vi-tinh", "20.000", False)]
    assert "23/2023" in shipped[0]["legal_basis"]
    body = {"name_vi": "Ô tô", "name_en": "Cars", "service_life_years": 10, "wear_rate_pct": 10,
            "legal_basis": "TT 23/2023/TT-BTC Phụ lục I (thử / test)"}  # fmt: skip
    assert admin.put("/api/v1/asset-categories/o-to", json=body).status_code == 200
    officer = api.client_as("ts-kv1", (Role.ASSET_OFFICER, "KV1"))
    assert officer.put("/api/v1/asset-categories/o-to", json=body).status_code == 403
    assert admin.put("/api/v1/asset-categories/x", json={**body, "legal_basis": ""}).status_code == 422


def test_create_update_history_and_codes(admin: TestClient) -> None:
    created = admin.post("/api/v1/assets", json=_asset("HQ1-2024-0001", custodian_code="E1"))
    assert created.status_code == 201, created.text
    out = created.json()
    assert out["status"] == "in_use" and out["custodian_name"] == "Nguyễn Thị Hoa"
    assert out["epc_hex"] is not None and len(out["epc_hex"]) == 52  # GIAI-202: 202 bits → 208 in hex
    numeric = admin.post("/api/v1/assets", json=_asset("12345")).json()
    assert numeric["epc_hex"].startswith("34")  # GIAI-96
    taken = admin.post("/api/v1/assets", json=_asset("HQ1-2024-0001"))
    assert taken.status_code == 409 and taken.json()["detail"].startswith("mã tài sản HQ1-2024-0001 đã được dùng / ")
    unknown = admin.post("/api/v1/assets", json=_asset("X1", category_code="khong-co"))
    assert unknown.status_code == 422 and "no asset category" in unknown.json()["detail"]
    assert admin.post("/api/v1/assets", json=_asset("X2", cost=0)).status_code == 422
    assert admin.post("/api/v1/assets", json=_asset("X3", acquired_on="2099-01-01")).status_code == 422
    assert admin.post("/api/v1/assets", json=_asset("X4", custodian_code="NOPE")).status_code == 422
    assert admin.post("/api/v1/assets", json={**_asset("X5"), "extra": 1}).status_code == 422
    assert admin.get("/api/v1/assets/NOPE").status_code == 404

    moved = admin.patch("/api/v1/assets/HQ1-2024-0001", json={"status": "under_repair", "cost": 26_000_000})
    assert moved.status_code == 200 and moved.json()["status"] == "under_repair"
    gone = admin.patch("/api/v1/assets/HQ1-2024-0001", json={"status": "liquidated", "liquidated_on": "2023-01-01"})
    assert gone.status_code == 422  # before it was acquired
    detail = admin.get("/api/v1/assets/HQ1-2024-0001").json()
    assert [h["action"] for h in detail["history"]] == ["update", "create"]
    assert detail["history"][0]["changes"]["cost"] == [25_000_000, 26_000_000]
    assert detail["method"] == "wear"
    assert [y["wear"] for y in detail["schedule"]] == [5_200_000] * 5
    assert sum(y["wear"] for y in detail["schedule"]) == 26_000_000
    audit = admin.get("/api/v1/audit", params={"entity": "asset", "entity_id": "HQ1-2024-0001"}).json()
    assert sorted(row["action"] for row in audit["items"]) == ["asset.create", "asset.update"]


def test_search_without_marks_and_scope_by_unit(api: Api, admin: TestClient) -> None:
    assert admin.post("/api/v1/assets", json=_asset("A-1", name="Bàn làm việc gỗ")).status_code == 201
    assert admin.post("/api/v1/assets", json=_asset("A-2", unit="KV2", name="Máy chiếu Epson")).status_code == 201
    found = admin.get("/api/v1/assets", params={"q": "ban lam VIEC"}).json()
    assert found["total"] == 1 and found["items"][0]["asset_number"] == "A-1"
    officer = api.client_as("ts-kv1", (Role.ASSET_OFFICER, "KV1"))
    assert [a["asset_number"] for a in officer.get("/api/v1/assets").json()["items"]] == ["A-1"]
    assert officer.get("/api/v1/assets/A-2").status_code == 403
    assert officer.post("/api/v1/assets", json=_asset("B-1", unit="KV2")).status_code == 403
    assert officer.post("/api/v1/assets", json=_asset("B-2", unit="KV1")).status_code == 201
    assert officer.patch("/api/v1/assets/B-2", json={"unit_code": "KV2"}).status_code == 403  # not into KV2
    assert officer.get("/api/v1/assets/wear/2025", params={"unit": "KV2"}).status_code == 403
    manager = api.client_as("ld-kv2", (Role.MANAGER, "KV2"))
    assert [a["asset_number"] for a in manager.get("/api/v1/assets").json()["items"]] == ["A-2"]
    assert manager.post("/api/v1/assets", json=_asset("C-1", unit="KV2")).status_code == 403
    employee = api.client_as("cb", (Role.EMPLOYEE, "KV1"))
    assert employee.get("/api/v1/assets").status_code == 403


def test_locations_office_building_floor_room(admin: TestClient) -> None:
    for body in (
        {"kind": "office", "code": "TS-KV1", "name": "Trụ sở Chi cục KV I", "unit_code": "KV1"},
        {"kind": "building", "code": "KV1-A", "name": "Nhà A", "parent_code": "TS-KV1"},
        {"kind": "floor", "code": "KV1-A2", "name": "Tầng 2", "parent_code": "KV1-A"},
        {"kind": "room", "code": "KV1-A204", "name": "Phòng 204", "parent_code": "KV1-A2"},
    ):
        response = admin.post("/api/v1/asset-locations", json=body)
        assert response.status_code == 201, response.text
    wrong = admin.post(
        "/api/v1/asset-locations", json={"kind": "room", "code": "R", "name": "R", "parent_code": "KV1-A"}
    )
    assert wrong.status_code == 422 and "must be inside a floor" in wrong.json()["detail"]
    rooms = [loc for loc in admin.get("/api/v1/asset-locations").json() if loc["kind"] == "room"]
    assert rooms[0]["path_name"] == "Trụ sở Chi cục KV I › Nhà A › Tầng 2 › Phòng 204"
    placed = admin.post("/api/v1/assets", json=_asset("L-1", location_code="KV1-A204"))
    assert placed.status_code == 201 and placed.json()["location_code"] == "KV1-A204"
    elsewhere = admin.post("/api/v1/assets", json=_asset("L-2", unit="KV2", location_code="KV1-A204"))
    assert elsewhere.status_code == 422 and "another unit" in elsewhere.json()["detail"]


def test_wear_table_totals_and_xlsx(admin: TestClient) -> None:
    admin.post("/api/v1/assets", json=_asset("W-1", cost=15_000_001, acquired_on="2021-05-01"))
    admin.post("/api/v1/assets", json=_asset("W-2", cost=10_000_000, acquired_on="2025-02-01", business_use=True))
    admin.post("/api/v1/assets", json=_asset("W-3", cost=10_000_000, acquired_on="2020-01-01"))  # worn out in 2024
    table = admin.get("/api/v1/assets/wear/2025").json()
    # W-1: 5th year takes 3,000,001; W-2: 11 months × 166,667; W-3: nothing left
    assert table["wear"] == 3_000_001 + 11 * 166_667
    assert table["assets"] == 3 and table["closing"] == 15_000_001 + 11 * 166_667 + 10_000_000
    xlsx = admin.get("/api/v1/assets/wear/2025/xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0].startswith("Mã tài sản / Asset number")
    assert [r[0] for r in rows[3:6]] == ["W-1", "W-2", "W-3"]
    assert rows[3][8] == 3_000_001 and rows[3][10] == 0
    assert rows[-1][0] == "Cộng / Total (3)" and rows[-1][8] == table["wear"]
    assert admin.get("/api/v1/assets/wear/1800").status_code == 422


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã tài sản", "Tên tài sản", "Loại tài sản", "Đơn vị", "Nguyên giá", "Ngày đưa vào sử dụng",
                  "Nguồn kinh phí", "Người sử dụng"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_xlsx_writes_good_rows_and_reports_each_rejected_one(api: Api, admin: TestClient) -> None:
    admin.post("/api/v1/assets", json=_asset("OLD-1"))
    data = _xlsx([
        ["I-1", "Máy tính để bàn HP", "Máy vi tính (để bàn, xách tay)", "DOIA", 18_500_000, "15/01/2024",
         "Ngân sách nhà nước", "E1"],
        ["I-2", "Máy in", "may-vi-tinh", "KV2", "12.000.000", "2024-02-01", "", ""],
        ["I-3", "Tủ", "tu-sat", "DOIA", 5_000_000, "2024-02-01", "", ""],  # unknown category
        ["I-4", "Bàn", "may-vi-tinh", "DOIA", "mười triệu", "2024-02-01", "", ""],  # cost not a number
        ["OLD-1", "Trùng", "may-vi-tinh", "DOIA", 1_000_000, "2024-02-01", "", ""],  # number taken
        ["I-1", "Lặp", "may-vi-tinh", "DOIA", 1_000_000, "2024-02-01", "", ""],  # repeats in the file
        ["I-5", "Ghế", "may-vi-tinh", "DOIA", 1_000_000, "31/02/2024", "", ""],  # not a date
        ["I-6", "", "may-vi-tinh", "DOIA", 1_000_000, "2024-02-01", "", ""],  # no name
        ["I-7", "Máy", "may-vi-tinh", "DOIA", 1_000_000, "2024-02-01", "ngân sách xã", ""],  # funding unknown
    ])  # fmt: skip
    officer = api.client_as("ts-kv1", (Role.ASSET_OFFICER, "KV1"))
    response = officer.post("/api/v1/assets/import", files={"file": ("tai-san.xlsx", data)})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["created_numbers"] == ["I-1"]
    rejected = {e["row"]: e for e in report["rejected"]}
    assert sorted(rejected) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "không có quyền" in rejected[3]["reason"]  # KV2 is outside the officer's units
    assert "no asset category 'tu-sat'" in rejected[4]["reason"]
    assert rejected[5]["column"] == "cost" and rejected[8]["column"] == "acquired_on"
    assert "is taken" in rejected[6]["reason"] and "repeats in the file" in rejected[7]["reason"]
    assert report["summary"].startswith("9 dòng: đã thêm 1 tài sản, từ chối 8 dòng / ")
    first = admin.get("/api/v1/assets/I-1").json()
    assert first["asset"]["cost"] == 18_500_000 and first["asset"]["custodian_code"] == "E1"
    assert first["history"][0]["action"] == "import"
    assert admin.get("/api/v1/assets/I-2").status_code == 404  # nothing of a rejected row
    bad_file = officer.post("/api/v1/assets/import", files={"file": ("x.xlsx", b"not a workbook")})
    assert bad_file.status_code in (400, 422)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_asset_card_wear_table_and_fixed_asset_book_as_pdf_and_xlsx(api: Api, admin: TestClient) -> None:
    """The papers read back: the asset card (thẻ TSCĐ) with its particulars, every wear year and its history;
    the wear table and the fixed-asset book of 2025 with their lines and totals; another unit's officer is
    refused the card."""
    admin.post("/api/v1/assets", json=_asset("W-1", cost=15_000_001, acquired_on="2021-05-01", serial_number="SN-9"))
    admin.post("/api/v1/assets", json=_asset("W-3", cost=10_000_000, acquired_on="2020-01-01"))
    admin.patch("/api/v1/assets/W-1", json={"custodian_code": "E1"})

    card = admin.get("/api/v1/assets/W-1/card.pdf")
    assert card.status_code == 200 and card.headers["content-type"] == "application/pdf"
    text = _pdf_text(card.content)
    for shown in ("THẺ TÀI SẢN CỐ ĐỊNH", "W-1", "Máy tính xách tay Dell", "SN-9", "15.000.001", "Nguyễn Thị Hoa",
                  "01/05/2021", "Ghi tăng tài sản", "Cập nhật (người sử dụng)", "3.000.001"):  # fmt: skip
        assert shown in text, shown
    for year in range(2021, 2026):  # five years at 20 %, the last taking what remains
        assert str(year) in text
    assert admin.get("/api/v1/assets/NOPE/card.pdf").status_code == 404

    wear = _pdf_text(admin.get("/api/v1/assets/wear/2025/pdf").content)
    assert "BẢNG TÍNH HAO MÒN TÀI SẢN CỐ ĐỊNH NĂM 2025" in wear and "2 tài sản" in wear and "3.000.001" in wear

    book = admin.get("/api/v1/assets/book/2025/pdf")
    assert book.status_code == 200
    text = _pdf_text(book.content)
    assert "SỔ TÀI SẢN CỐ ĐỊNH NĂM 2025" in text and "W-1" in text and "W-3" in text
    sheet = load_workbook(io.BytesIO(admin.get("/api/v1/assets/book/2025/xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0].startswith("STT")
    assert [r[2] for r in rows[3:5]] == ["W-1", "W-3"]
    assert rows[3][8] == 3_000_001 and rows[3][10] == 0 and rows[4][8] == 0
    assert rows[-1][1] == "Cộng / Total (2)" and rows[-1][6] == 25_000_001
    assert admin.get("/api/v1/assets/book/2025/csv").status_code == 422

    outsider = api.client_as("ts-ngoai", (Role.ASSET_OFFICER, "KV2"))
    assert outsider.get("/api/v1/assets/W-1/card.pdf").status_code == 403


def test_files_kept_with_an_asset_record(api: Api, admin: TestClient, conn: psycopg.Connection, tmp_path: Path) -> None:
    """An invoice (PDF) and a photo kept with the record, read back byte for byte; a file whose bytes are not
    what its name says, or an empty one, is refused and nothing is kept; a manager may read but not add; an
    officer of another unit may not read; the history and the audit log say who added what."""
    from hub.files import ContentStore

    api.services.assets.attachments.store = ContentStore(tmp_path / "files")
    assert admin.post("/api/v1/assets", json=_asset("F-1", unit="KV1")).status_code == 201
    invoice = b"%PDF-1.4\n% hoa don mua may tinh\n"
    added = admin.post("/api/v1/assets/F-1/attachments", params={"note": "Hóa đơn GTGT số 0012345"},
                       files={"file": ("hóa đơn.pdf", invoice, "application/octet-stream")})  # fmt: skip
    assert added.status_code == 201, added.text
    got = added.json()
    assert (got["filename"], got["content_type"], got["size_bytes"]) == ("hóa đơn.pdf", "application/pdf", len(invoice))
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert admin.post("/api/v1/assets/F-1/attachments", files={"file": ("anh.png", photo)}).status_code == 201
    bad = admin.post("/api/v1/assets/F-1/attachments", files={"file": ("virus.pdf", b"MZ\x90\x00 not a pdf")})
    assert bad.status_code == 422 and "phần mở rộng" in bad.json()["detail"] and "extension" in bad.json()["detail"]
    assert admin.post("/api/v1/assets/F-1/attachments", files={"file": ("rong.pdf", b"")}).status_code == 422

    detail = admin.get("/api/v1/assets/F-1").json()
    assert [(a["filename"], a["note"]) for a in detail["attachments"]] == [
        ("hóa đơn.pdf", "Hóa đơn GTGT số 0012345"), ("anh.png", None),
    ]  # fmt: skip
    assert detail["history"][0]["action"] == "attachment.add"
    back = admin.get(f"/api/v1/assets/F-1/attachments/{got['id']}")
    assert back.status_code == 200 and back.content == invoice and back.headers["content-type"] == "application/pdf"
    assert admin.get("/api/v1/assets/F-1/attachments/999999").status_code == 404

    manager = api.client_as("ld-kv1", (Role.MANAGER, "KV1"))
    assert manager.get(f"/api/v1/assets/F-1/attachments/{got['id']}").content == invoice
    assert manager.post("/api/v1/assets/F-1/attachments", files={"file": ("x.pdf", invoice)}).status_code == 403
    stranger = api.client_as("ts-kv2", (Role.ASSET_OFFICER, "KV2"))
    assert stranger.get(f"/api/v1/assets/F-1/attachments/{got['id']}").status_code == 403
    assert len(admin.get("/api/v1/assets/F-1").json()["attachments"]) == 2  # the refusals kept nothing
    rows = conn.execute("SELECT action FROM audit_log WHERE action = 'asset.attachment_add'").fetchall()
    assert len(rows) == 2
