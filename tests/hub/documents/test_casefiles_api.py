"""REST for case files (/api/v1/documents/file-lists, case-files, handovers) over the real app and database:
the list drafted and approved, a file opened from it, a document added and the file closed, its PDFs
downloaded, handed over and accepted, then 409 on any change; refusals in Vietnamese and English."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pypdf import PdfReader

from hub.accounts.principal import Role
from tests.hub.api.conftest import Api, make_api


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


def test_a_file_from_the_list_to_the_archive(api: Api) -> None:
    office = api.client_as("quan-tri", (Role.OFFICE_ADMIN, "CCHQNB"))
    clerk = api.client_as("van-thu", (Role.CLERK, "CCHQNB"))
    manager = api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"))
    other = api.client_as("van-thu-hcm", (Role.CLERK, "CHQHCM"))
    assert office.put("/api/v1/documents/issuers/CCHQNB", json={"notation": "HQKV2", "place": "Hà Nội"}).is_success
    doc = clerk.post(
        "/api/v1/documents/incoming",
        json={"unit_code": "CCHQNB", "type": "cong_van", "code_number": "15", "code_notation": "BTC-TCHQ",
              "organ_name": "Bộ Tài chính", "issued_date": "2025-09-30", "subject": "Về quy hoạch cán bộ"},
    ).json()  # fmt: skip
    year = doc["year"]
    base = f"/api/v1/documents/file-lists/CCHQNB/{year}"
    heading = clerk.post(f"{base}/headings", json={"title": "Tổ chức cán bộ", "code": "TCCB"})
    assert heading.status_code == 200, heading.text
    heading_id = heading.json()["headings"][0]["id"]
    listed = clerk.post(f"{base}/entries", json={"heading_id": heading_id, "title": "Hồ sơ quy hoạch",
                                                 "retention": "vinh_vien", "responsible": "van-thu"})  # fmt: skip
    assert [e["code"] for e in listed.json()["entries"]] == ["01.TCCB"]
    assert clerk.post(f"{base}/approve", json={}).status_code == 403  # the head approves
    assert other.get(base).status_code == 403
    approved = manager.post(f"{base}/approve", json={"decision": "QĐ 01/QĐ-HQKV2"})
    assert approved.status_code == 200 and approved.json()["approved"]
    late = clerk.post(f"{base}/entries", json={"heading_id": heading_id, "title": "Muộn", "retention": "10"})
    assert late.status_code == 409 and "đã được duyệt" in late.json()["detail"] and "approved" in late.json()["detail"]
    entry_id = approved.json()["entries"][0]["id"]

    opened = clerk.post("/api/v1/documents/case-files", json={"unit_code": "CCHQNB", "entry_id": entry_id})
    assert opened.status_code == 201, opened.text
    file_id = opened.json()["id"]
    added = clerk.post(f"/api/v1/documents/case-files/{file_id}/documents", json={"document_id": doc["id"]})
    assert [i["number_symbol"] for i in added.json()["items"]] == ["15/BTC-TCHQ"]
    assert other.get(f"/api/v1/documents/case-files/{file_id}").status_code == 404
    assert [f["code"] for f in clerk.get(f"/api/v1/documents/entries/{doc['id']}/case-files").json()] == ["01.TCCB"]
    closed = clerk.post(f"/api/v1/documents/case-files/{file_id}/close", json={"pages": 4})
    assert closed.status_code == 200, closed.text
    assert (closed.json()["state"], closed.json()["documents"], closed.json()["pages"]) == ("closed", 1, 4)
    pdf = manager.get(f"/api/v1/documents/case-files/{file_id}/contents.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Về quy hoạch cán bộ" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert manager.get(f"/api/v1/documents/case-files/{file_id}/cover.pdf").status_code == 200
    due = clerk.get("/api/v1/documents/units/CCHQNB/case-files/due").json()
    assert [(d["case_file"]["code"], d["status"]) for d in due] == [("01.TCCB", "not_due")]

    handover = clerk.post("/api/v1/documents/handovers", json={"unit_code": "CCHQNB", "case_file_ids": [file_id]})
    assert handover.status_code == 201, handover.text
    handover_id = handover.json()["id"]
    assert clerk.post(f"/api/v1/documents/handovers/{handover_id}/accept").status_code == 403
    listing = manager.get(f"/api/v1/documents/handovers/{handover_id}/list.xlsx")
    assert listing.status_code == 200 and listing.content[:2] == b"PK"
    accepted = manager.post(f"/api/v1/documents/handovers/{handover_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["files"][0]["state"] == "archived"
    again = clerk.post(f"/api/v1/documents/case-files/{file_id}/documents", json={"document_id": doc["id"]})
    assert again.status_code == 409 and "lưu trữ" in again.json()["detail"] and "archive" in again.json()["detail"]
    assert clerk.get(f"/api/v1/documents/entries/{doc['id']}").json()["frozen_kind"] == "archived"
    unknown = clerk.post("/api/v1/documents/case-files",
                         json={"unit_code": "CCHQNB", "code": "02.X", "title": "Lạ", "retention": "7"})  # fmt: skip
    assert unknown.status_code == 422 and "thời hạn bảo quản" in unknown.json()["detail"]


def test_reopening_a_closed_file_over_the_api(api: Api) -> None:
    """POST …/case-files/{id}/reopen: the keeper with a bounded reason; its history shows it; another unit 404;
    a file handed over and accepted into the archive: 409 in Vietnamese and English."""
    office = api.client_as("quan-tri", (Role.OFFICE_ADMIN, "CCHQNB"))
    clerk = api.client_as("van-thu", (Role.CLERK, "CCHQNB"))
    manager = api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"))
    other = api.client_as("van-thu-hcm", (Role.CLERK, "CHQHCM"))
    assert office.put("/api/v1/documents/issuers/CCHQNB", json={"notation": "HQKV2", "place": "Hà Nội"}).is_success
    doc = clerk.post(
        "/api/v1/documents/incoming",
        json={"unit_code": "CCHQNB", "type": "cong_van", "code_number": "16", "code_notation": "BTC-TCHQ",
              "organ_name": "Bộ Tài chính", "issued_date": "2025-09-30", "subject": "Về tập huấn"},
    ).json()  # fmt: skip
    fields = {"unit_code": "CCHQNB", "code": "01.TH", "title": "Hồ sơ tập huấn", "retention": "10"}
    opened = clerk.post("/api/v1/documents/case-files", json=fields)
    file_id = opened.json()["id"]
    base = f"/api/v1/documents/case-files/{file_id}"
    clerk.post(f"{base}/documents", json={"document_id": doc["id"]})
    assert clerk.post(f"{base}/close", json={}).json()["state"] == "closed"
    assert clerk.post(f"{base}/reopen", json={"reason": ""}).status_code == 422
    assert clerk.post(f"{base}/reopen", json={"reason": "x" * 501}).status_code == 422
    assert other.post(f"{base}/reopen", json={"reason": "Bổ sung"}).status_code == 404
    reopened = clerk.post(f"{base}/reopen", json={"reason": "Bổ sung tài liệu tập huấn"})  # the clerk keeps it
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["state"], reopened.json()["closed_on"]) == ("open", None)
    again = clerk.post(f"{base}/reopen", json={"reason": "Lần nữa"})
    assert again.status_code == 409 and "đang lập" in again.json()["detail"] and "not closed" in again.json()["detail"]
    history = manager.get(f"{base}/history").json()
    assert [(h["action"], h["actor"], h["reason"]) for h in history][-1] == (
        "documents.case_file_reopen", "van-thu", "Bổ sung tài liệu tập huấn",
    )  # fmt: skip
    assert other.get(f"{base}/history").status_code == 404

    clerk.post(f"{base}/close", json={})
    handover = clerk.post("/api/v1/documents/handovers", json={"unit_code": "CCHQNB", "case_file_ids": [file_id]})
    assert manager.post(f"/api/v1/documents/handovers/{handover.json()['id']}/accept").status_code == 200
    frozen = manager.post(f"{base}/reopen", json={"reason": "Bổ sung"})
    assert frozen.status_code == 409
    assert "không mở lại được" in frozen.json()["detail"] and "cannot be reopened" in frozen.json()["detail"]
