"""Biên bản giao nhận hồ sơ, tài liệu (issue 15 item 7) on a real PostgreSQL: the record of a hand-over batch
as a PDF in the Decree 30 layout — Quốc hiệu, tiêu ngữ, the agency lines, the number and date lines, the two
parties, which files, how many files, documents and pages, their retention, the period of the documents and
the two signature blocks —, dated the submission while the archive has not accepted and the acceptance after;
the route gives it to the unit and refuses another unit."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest
from pypdf import PdfReader

from hub.access import AccessDenied
from hub.db import open_pool
from hub.documents.casefiles.models import UnknownCaseFile
from hub.documents.service import DocumentsService
from tests.hub.api.conftest import Api, make_api
from tests.hub.documents.casefile_api_data import one_document_file
from tests.hub.documents.conftest import Clock, People


@pytest.fixture
def service(database_url: str, people: People, clock: Clock) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-casefile-record")
    try:
        found = DocumentsService(pool, clock)
        found.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        yield found
    finally:
        pool.close()


def _text(data: bytes) -> str:
    """The PDF's text with its line breaks folded (a long paragraph wraps where the page ends)."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _closed(service: DocumentsService, people: People, code: str, retention: str, issued: date, pages: int) -> int:
    doc = service.register_incoming(
        people.clerk, "CCHQNB", type_key="cong_van", code_number=code.split(".")[0], code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=issued, subject=f"Văn bản của hồ sơ {code}",
    )  # fmt: skip
    cf = service.casefiles
    opened = cf.open_file(people.clerk, "CCHQNB", code=code, title=f"Hồ sơ {code}", retention=retention)
    cf.add_document(people.clerk, opened.id, doc.id)
    return cf.close(people.clerk, opened.id, closed_on=date(2026, 1, 5), pages=pages).id


def test_the_record_of_a_hand_over_names_the_files_the_counts_and_both_parties(
    service: DocumentsService, people: People, clock: Clock
) -> None:
    cf = service.casefiles
    first = _closed(service, people, "01.TCCB", "vinh_vien", date(2025, 10, 1), 12)
    second = _closed(service, people, "02.TCCB", "10", date(2026, 1, 2), 3)
    handover = cf.submit(people.clerk, "CCHQNB", [first, second], "Nộp lưu năm 2025")

    found = cf.handover_record_pdf(people.manager, handover.id)
    assert found.media_type == "application/pdf" and found.filename == f"bien-ban-giao-nhan-cchqnb-{handover.id}.pdf"
    text = _text(found.content)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",  # Quốc hiệu, tiêu ngữ
        "CHI CỤC HẢI QUAN", "Số: /BB-HQKV2", "Hà Nội, ngày 05 tháng 01 năm 2026",  # agency, number, date
        "BIÊN BẢN", "Giao nhận hồ sơ, tài liệu nộp lưu vào Lưu trữ cơ quan", "Luật Lưu trữ số 33/2024/QH15",
        "BÊN GIAO:", "Ông (bà): van-thu", "BÊN NHẬN: Lưu trữ cơ quan",
        f"lần nộp lưu số {handover.id}", "từ ngày 01/10/2025 đến ngày 02/01/2026",
        "2 hồ sơ, gồm 2 văn bản, 15 tờ/trang", "10 năm: 1 hồ sơ", "Vĩnh viễn: 1 hồ sơ",
        "1. 01.TCCB — Hồ sơ 01.TCCB (Vĩnh viễn)", "2. 02.TCCB — Hồ sơ 02.TCCB (10 năm)",
        "chờ lưu trữ cơ quan nhận", "lập thành hai bản", "ĐẠI DIỆN BÊN GIAO", "ĐẠI DIỆN BÊN NHẬN",
        "(Ký, ghi rõ họ tên)",
    ):  # fmt: skip
        assert expected in text, expected
    assert "lanh-dao" not in text  # nobody has accepted yet: the receiver's line is blank

    clock.now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    cf.accept(people.manager, handover.id)
    accepted = _text(cf.handover_record_pdf(people.clerk, handover.id).content)
    assert "Hà Nội, ngày 02 tháng 3 năm 2026" in accepted and "Hôm nay, ngày 02 tháng 3 năm 2026" in accepted
    assert "Ông (bà): lanh-dao" in accepted and "lưu trữ cơ quan đã nhận" in accepted

    with pytest.raises(AccessDenied):  # another unit's văn thư
        cf.handover_record_pdf(people.other_clerk, handover.id)
    with pytest.raises(UnknownCaseFile, match="không có lần nộp lưu"):
        cf.handover_record_pdf(people.manager, handover.id + 1000)


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


def test_the_record_over_the_api(api: Api) -> None:
    office, clerk, other, doc, file_id = one_document_file(
        api,
        number="17",
        issued="2025-09-30",
        subject="Về kiểm tra sau thông quan",
        code="03.KTSTQ",
        title="Hồ sơ kiểm tra",
        retention="20",
    )
    assert clerk.post(f"/api/v1/documents/case-files/{file_id}/close", json={"pages": 4}).status_code == 200
    handover = clerk.post("/api/v1/documents/handovers", json={"unit_code": "CCHQNB", "case_file_ids": [file_id]})
    url = f"/api/v1/documents/handovers/{handover.json()['id']}/record.pdf"
    got = clerk.get(url)
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert "bien-ban-giao-nhan-cchqnb" in got.headers["content-disposition"]
    assert "03.KTSTQ — Hồ sơ kiểm tra (20 năm)" in _text(got.content)
    assert other.get(url).status_code == 403
    assert clerk.get("/api/v1/documents/handovers/0/record.pdf").status_code == 422
