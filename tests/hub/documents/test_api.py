"""REST for registers and numbers (/api/v1/documents) over the real app and database: registering
incoming and outgoing documents, reading a register, configuring series, refusals in both languages."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from hub.accounts.principal import Role
from tests.hub.api.conftest import Api, make_api


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


def test_register_and_read(api: Api) -> None:
    office = api.client_as("quan-tri", (Role.OFFICE_ADMIN, "CCHQNB"))
    clerk = api.client_as("van-thu", (Role.CLERK, "CCHQNB"))
    manager = api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"))
    types = clerk.get("/api/v1/documents/types").json()
    assert len([t for t in types if t["category"] == "document"]) == 29
    issuer = office.put("/api/v1/documents/issuers/CCHQNB", json={"notation": "HQKV2", "place": "Hà Nội"})
    assert issuer.status_code == 200, issuer.text
    out = clerk.post(
        "/api/v1/documents/outgoing",
        json={"unit_code": "CCHQNB", "type": "cong_van", "subject": "Về việc kiểm tra", "drafter": "VP"},
    )
    assert out.status_code == 201, out.text
    doc = out.json()
    assert (doc["number_text"], doc["number_line"], doc["series_code"]) == ("01", "Số: 01/HQKV2-VP", "di")
    assert doc["date_line"].startswith("Hà Nội, ngày ")
    decision = clerk.post("/api/v1/documents/outgoing", json={"unit_code": "CCHQNB", "type": "QĐ", "subject": "QĐ"})
    assert decision.json()["number_line"] == "Số: 02/QĐ-HQKV2"
    incoming = clerk.post(
        "/api/v1/documents/incoming",
        json={"unit_code": "CCHQNB", "type": "cong_van", "code_number": "7816", "code_notation": "VPCP-TTĐT",
              "organ_name": "Văn phòng Chính phủ", "issued_date": "2025-09-30", "subject": "Về việc triển khai"},
    )  # fmt: skip
    assert incoming.status_code == 201, incoming.text
    assert (incoming.json()["number"], incoming.json()["series_code"]) == (1, "den")
    year = doc["year"]
    books = {
        r["series_code"]: r["last_number"] for r in manager.get(f"/api/v1/documents/registers/CCHQNB/{year}").json()
    }
    assert books == {"den": 1, "di": 2, "mat": 0, "sao": 0}
    page = manager.get(f"/api/v1/documents/registers/CCHQNB/{year}/di", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and [e["number_line"] for e in page["entries"]] == ["Số: 02/QĐ-HQKV2"]
    assert page["book"]["last_number"] == 2
    assert manager.get(f"/api/v1/documents/entries/{doc['id']}").json()["subject"] == "Về việc kiểm tra"
    # configuring: the unit's own series
    own = office.put(
        "/api/v1/documents/series",
        json={"unit_code": "CCHQNB", "code": "di", "kind": "administrative", "name_vi": "Sổ đi",
              "name_en": "Outgoing", "notation_typed": "{type}-{issuer}-{drafter}"},
    )  # fmt: skip
    assert own.status_code == 200, own.text
    third = clerk.post(
        "/api/v1/documents/outgoing", json={"unit_code": "CCHQNB", "type": "KH", "subject": "KH", "drafter": "TCCB"}
    )
    assert third.json()["number_line"] == "Số: 03/KH-HQKV2-TCCB"


def test_refusals_in_vietnamese_and_english(api: Api) -> None:
    clerk = api.client_as("van-thu", (Role.CLERK, "CCHQNB"))
    other = api.client_as("van-thu-hcm", (Role.CLERK, "CHQHCM"))
    manager = api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"))
    office = api.client_as("quan-tri", (Role.OFFICE_ADMIN, "CCHQNB"))
    assert office.put("/api/v1/documents/issuers/CCHQNB", json={"notation": "HQKV2", "place": "Hà Nội"}).is_success
    body = {"unit_code": "CCHQNB", "type": "QĐ", "subject": "Quyết định"}
    unknown = clerk.post("/api/v1/documents/outgoing", json=body | {"type": "qđ"})
    assert unknown.status_code == 422
    assert "không có loại văn bản" in unknown.json()["detail"] and "no document type" in unknown.json()["detail"]
    empty = clerk.post("/api/v1/documents/outgoing", json=body | {"subject": ""})
    assert empty.status_code == 422 and "subject" in empty.text
    long = clerk.post("/api/v1/documents/outgoing", json=body | {"subject": "x" * 501})
    assert long.status_code == 422 and "x" * 501 not in long.text
    bad_drafter = clerk.post("/api/v1/documents/outgoing", json=body | {"drafter": "V/P"})
    assert bad_drafter.status_code == 422 and "drafting unit" in bad_drafter.json()["detail"]
    assert clerk.post("/api/v1/documents/outgoing", json=body | {"unit_code": "NOPE"}).status_code == 404
    denied = other.post("/api/v1/documents/outgoing", json=body)
    assert denied.status_code == 403 and "not allowed" in denied.json()["detail"]
    assert manager.post("/api/v1/documents/outgoing", json=body).status_code == 403
    assert other.get("/api/v1/documents/registers/CCHQNB/2026").status_code == 403
    assert clerk.put(
        "/api/v1/documents/series",
        json={"code": "di", "kind": "administrative", "name_vi": "X", "name_en": "X"},
    ).status_code == 403  # fmt: skip
    pattern = office.put(
        "/api/v1/documents/series",
        json={"unit_code": "CCHQNB", "code": "x", "kind": "other", "name_vi": "X", "name_en": "X",
              "notation_typed": "{type} {issuer}"},
    )  # fmt: skip
    assert pattern.status_code == 422 and "mẫu ký hiệu không hợp lệ" in pattern.json()["detail"]
    books = clerk.get("/api/v1/documents/registers/CCHQNB/2026").json()
    assert all(b["last_number"] == 0 for b in books)


def test_incoming_with_a_file_and_its_preview(api: Api, tmp_path: Path) -> None:
    import base64

    from hub.documents.files import FileRules
    from hub.files import ContentStore

    api.services.documents.file_rules = FileRules(max_bytes=100_000)
    api.services.documents.store = ContentStore(tmp_path / "files")
    clerk = api.client_as("van-thu", (Role.CLERK, "CCHQNB"))
    manager = api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"))
    stranger = api.client_as("nguoi-khac", (Role.CLERK, "CHQHCM"))
    pdf = b"%PDF-1.4\n% a tiny file\n"
    body = {
        "unit_code": "CCHQNB", "type": "cong_van", "code_number": "7816", "code_notation": "VPCP-TTĐT",
        "organ_name": "Văn phòng Chính phủ", "issued_date": "2025-09-30", "subject": "Về việc triển khai",
        "urgency": 1, "signer_name": "Trần Văn B", "page_amount": 1,
        "files": [{"name": "cv.pdf", "data_base64": base64.b64encode(pdf).decode()}],
    }  # fmt: skip
    made = clerk.post("/api/v1/documents/incoming", json=body)
    assert made.status_code == 201, made.text
    doc = made.json()
    assert (doc["marks"], doc["signer_name"], doc["registered_late"]) == (["KHẨN"], "Trần Văn B", False)
    [file] = doc["files"]
    assert (file["content_type"], file["text_status"]) == ("application/pdf", "pending")
    shown = manager.get(file["url"])
    assert shown.status_code == 200 and shown.content == pdf
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline")
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert manager.get(file["url"], params={"download": "true"}).headers["content-disposition"].startswith("attachment")
    assert stranger.get(file["url"]).status_code == 403
    assert manager.get(f"/api/v1/documents/entries/{doc['id']}/files/999999").status_code == 404
    fake = clerk.post(
        "/api/v1/documents/incoming", json=body | {"files": [{"name": "x.pdf", "data_base64": "TVqQAA=="}]}
    )
    assert fake.status_code == 422 and "data_base64" in fake.text and "ảnh quét" in fake.text and "a scan" in fake.text
    same = body["files"][0]["data_base64"]
    renamed = clerk.post(
        "/api/v1/documents/incoming", json=body | {"files": [{"name": "cv.docx", "data_base64": same}]}
    )
    assert renamed.status_code == 422 and "phần mở rộng" in renamed.json()["detail"]
    bad64 = clerk.post("/api/v1/documents/incoming", json=body | {"files": [{"name": "x.pdf", "data_base64": "!!"}]})
    assert bad64.status_code == 422 and "base64" in bad64.text


def test_an_outgoing_draft_through_its_chain_and_revoked_over_the_api(api: Api, tmp_path: Path) -> None:
    """Drafting, the approval inbox, release with a PAdES signature and revocation over HTTP (issue 15 item 3)."""
    from hub.documents.files import FileRules
    from hub.documents.signatures import AgencySigner
    from hub.files import ContentStore
    from tests.hub.documents.pki import make_pki
    from tests.hub.documents.test_outgoing import pdf_bytes

    pki = make_pki(tmp_path / "pki")
    documents = api.services.documents
    documents.store, documents.file_rules = ContentStore(tmp_path / "files"), FileRules(trust_roots=pki.ca_cert)
    api.services.outgoing.signer = AgencySigner(pki.key, pki.cert)
    office = api.client_as("quan-tri", (Role.OFFICE_ADMIN, "CCHQNB"))
    assert office.put("/api/v1/documents/issuers/CCHQNB", json={"notation": "HQKV2", "place": "Hà Nội"}).is_success
    drafter = api.client_as("chuyen-vien", (Role.EMPLOYEE, "CCHQNB"))
    leader = api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"))
    clerk = api.client_as("van-thu", (Role.CLERK, "CCHQNB"))
    labels = [p["label"] for p in drafter.get("/api/v1/documents/signing-prefixes").json()]
    assert labels == ["TM.", "KT.", "TL.", "TUQ.", "Q."]
    created = drafter.post(
        "/api/v1/documents/drafts",
        json={"unit_code": "CCHQNB", "type": "TB", "subject": "Thông báo lịch trực Tết", "signer": "lanh-dao",
              "signer_position": "CHI CỤC TRƯỞNG", "signer_name": "Trần Thị Lan", "drafter_notation": "VP",
              "recipients": [{"unit_code": "CHQHCM"}, {"organ_name": "Bộ Tài chính"}],
              "file": {"name": "tb.pdf", "data_base64": base64.b64encode(pdf_bytes("Thông báo")).decode()}},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["state"] == "drafting" and draft["versions"][0]["version"] == 1
    assert drafter.post(f"/api/v1/documents/drafts/{draft['id']}/submit", json={}).json()["state"] == "signing"
    assert [i["waiting_for"] for i in leader.get("/api/v1/documents/drafts").json()] == ["sign"]
    refused = clerk.post(f"/api/v1/documents/drafts/{draft['id']}/release", json={})
    assert refused.status_code == 409 and " / " in refused.json()["detail"]
    assert leader.post(f"/api/v1/documents/drafts/{draft['id']}/approve", json={}).json()["state"] == "approved"
    released = clerk.post(f"/api/v1/documents/drafts/{draft['id']}/release", json={})
    assert released.status_code == 201, released.text
    doc = released.json()
    assert doc["number_line"] == "Số: 01/TB-HQKV2"
    listed = drafter.get("/api/v1/documents/drafts/released").json()  # the drafter's released list, with the number
    assert [(x["number_line"], x["draft"]["id"], x["draft"]["state"]) for x in listed] == [
        ("Số: 01/TB-HQKV2", draft["id"], "released")
    ]
    assert drafter.get("/api/v1/documents/drafts").json() == []  # out of the inbox
    assert [(s["signer_name"], s["intact"], s["trusted"]) for s in doc["files"][0]["signatures"]] == [
        ("Chi cục Hải quan khu vực II", True, True)
    ]
    revoked = clerk.post(f"/api/v1/documents/entries/{doc['id']}/revocation", json={"reason": "Sai nội dung"})
    assert revoked.status_code == 201, revoked.text
    again = leader.post(f"/api/v1/documents/entries/{doc['id']}/revocation", json={"reason": "Lần nữa"})
    assert again.status_code == 409
    assert again.json()["detail"].endswith("has been revoked, so it can no longer be changed")
    assert clerk.get(f"/api/v1/documents/entries/{doc['id']}").json()["frozen_kind"] == "revoked"
    assert [x["kind"] for x in clerk.get(f"/api/v1/documents/entries/{doc['id']}/links").json()] == ["revokes"]
