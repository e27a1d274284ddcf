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
