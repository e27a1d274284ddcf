"""A case file exported as one package (issue 15 item 7) on a real PostgreSQL: a ZIP of one PDF — the cover, the
Mục lục văn bản and each document's PDF the caller may open, merged in the file's order — and the XML of its
metadata (Decree 30 Appendix VI), read back here; a secret document the caller may not open is listed by its
place, its content and metadata left out, while a cleared reader gets it (stamped, the opening audited); another
unit gets nothing; a package past the size limit is refused in Vietnamese and English."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from pypdf import PdfReader

from hub.db import open_pool
from hub.documents.casefiles.models import UnknownCaseFile
from hub.documents.casefiles.package import MAX_PACKAGE_BYTES, PackageTooLarge
from hub.documents.files import FileRules, Upload
from hub.documents.service import DocumentsService
from hub.files import ContentStore
from tests.hub.api.conftest import Api, make_api
from tests.hub.documents.casefile_api_data import one_document_file
from tests.hub.documents.conftest import Clock, People, make_user
from tests.hub.documents.test_capture import pdf_bytes


@pytest.fixture
def service(database_url: str, people: People, clock: Clock, tmp_path: Path) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-casefile-export")
    try:
        found = DocumentsService(pool, clock, file_rules=FileRules(max_bytes=200_000), store=ContentStore(tmp_path))
        found.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        yield found
    finally:
        pool.close()


def _unzip(data: bytes) -> tuple[list[str], PdfReader, ET.Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        pdf = PdfReader(io.BytesIO(archive.read(next(n for n in names if n.endswith(".pdf")))))
        xml = ET.fromstring(archive.read(next(n for n in names if n.endswith(".xml"))))
    return names, pdf, xml


def _text(pdf: PdfReader) -> str:
    return " ".join(" ".join(p.extract_text() for p in pdf.pages).split())


def _incoming(service: DocumentsService, who, number: str, day: date, subject: str, **kw):  # noqa: ANN001, ANN202
    return service.register_incoming(
        who, "CCHQNB", type_key="cong_van", code_number=number, code_notation="BTC-TCHQ", organ_name="Bộ Tài chính",
        issued_date=day, subject=subject, **kw,
    )  # fmt: skip


def test_a_file_goes_out_as_one_pdf_and_its_metadata_with_secrets_left_out(
    service: DocumentsService, people: People, org: psycopg.Connection
) -> None:
    cf = service.casefiles
    cleared = make_user(org, "van-thu-mat", (("clerk", "CCHQNB"),))
    service.secrecy.set_clearance(people.admin, "van-thu-mat", 1)
    secret = _incoming(service, cleared, "7", date(2026, 1, 2), "Kế hoạch kiểm soát chống buôn lậu", secrecy=1,
                       files=[Upload("mat.pdf", pdf_bytes("Noi dung mat cua ke hoach"))])  # fmt: skip
    plain = _incoming(service, people.clerk, "8", date(2026, 1, 3), "Kế hoạch tập huấn", page_amount=2,
                      files=[Upload("tap-huan.pdf", pdf_bytes("Noi dung ke hoach tap huan"))])  # fmt: skip
    bare = _incoming(service, people.clerk, "9", date(2026, 1, 4), "Thông báo lịch tập huấn")  # no file
    opened = cf.open_file(cleared, "CCHQNB", code="05.KS", title="Hồ sơ kiểm soát", retention="10")
    for doc in (secret, plain, bare):
        cf.add_document(cleared, opened.id, doc.id)
    cf.add_other(cleared, opened.id, Upload("bien-ban.pdf", pdf_bytes("Bien ban hop tap huan")),
                 "Biên bản họp tập huấn", date(2026, 1, 5), pages=1)  # fmt: skip
    cf.close(cleared, opened.id, closed_on=date(2026, 1, 5))

    found = cf.package(people.clerk, opened.id)  # a văn thư not cleared for the secret one
    assert (found.filename, found.media_type) == ("ho-so-05-ks-2026.zip", "application/zip")
    names, pdf, xml = _unzip(found.content)
    assert names == ["ho-so-05-ks-2026.pdf", "ho-so-05-ks-2026.xml"]
    text = _text(pdf)
    assert "HỒ SƠ" in text and "MỤC LỤC VĂN BẢN" in text  # the cover and the table of contents first
    assert "Noi dung ke hoach tap huan" in text and "Bien ban hop tap huan" in text
    assert "Noi dung mat" not in text and "chống buôn lậu" not in text
    assert [o.title for o in pdf.outline][:2] == ["Bìa hồ sơ", "Mục lục văn bản"]

    assert xml.tag == "HoSo"
    assert [xml.findtext(f"FileCode/{t}") for t in ("OrganId", "FileCatalog", "FileNotation")] == [
        "CCHQNB", "2026", "05.KS",
    ]  # fmt: skip
    assert (xml.findtext("Title"), xml.findtext("Maintenance"), xml.findtext("Creator")) == (
        "Hồ sơ kiểm soát", "10 năm", "van-thu-mat",
    )  # fmt: skip
    assert (xml.findtext("StartDate"), xml.findtext("EndDate"), xml.findtext("DocTotal")) == (
        "2026-01-02", "2026-01-05", "4",
    )  # fmt: skip
    assert (xml.findtext("Rights"), xml.findtext("Language"), xml.findtext("ClosedDate")) == (
        "Hạn chế", "Tiếng Việt", "2026-01-05",
    )  # fmt: skip
    docs = xml.findall("Documents/Document")
    assert [d.findtext("DocOrdinal") for d in docs] == ["1", "2", "3", "4"]
    hidden, shown, no_file, other = docs
    assert hidden.get("Secret") == "true" and hidden.find("Subject") is None and hidden.find("CodeNumber") is None
    assert hidden.find("Content").attrib == {"Included": "false", "Reason": "secret"}
    assert [shown.findtext(t) for t in ("CodeNumber", "CodeNotation", "IssuedDate", "OrganName", "Subject",
                                        "PageAmount", "TypeName")] == [
        "8", "BTC-TCHQ", "2026-01-03", "Bộ Tài chính", "Kế hoạch tập huấn", "2", "Công văn",
    ]  # fmt: skip
    content = shown.find("Content")
    assert content.get("Included") == "true" and content.get("File") == "ho-so-05-ks-2026.pdf"
    start = int(content.get("StartPage"))
    assert "Noi dung ke hoach tap huan" in pdf.pages[start - 1].extract_text()  # where the XML says it starts
    assert no_file.findtext("Subject") == "Thông báo lịch tập huấn"
    assert no_file.find("Content").attrib == {"Included": "false", "Reason": "no_pdf"}
    assert other.get("Kind") == "other" and other.findtext("FileName") == "bien-ban.pdf"
    assert other.find("Content").get("Included") == "true"
    for element in xml.iter():  # every field within its Appendix VI length
        limit = {"Title": 500, "Subject": 500, "Maintenance": 30, "Rights": 30, "Creator": 30, "CodeNumber": 11,
                 "CodeNotation": 30, "OrganName": 200, "FileNotation": 20, "OrganId": 13}.get(element.tag)  # fmt: skip
        assert limit is None or len(element.text or "") <= limit, element.tag

    opened_before = org.execute("SELECT count(*) FROM audit_log WHERE action = 'documents.secret_open'").fetchone()
    _, pdf, xml = _unzip(cf.package(cleared, opened.id).content)  # cleared and involved: the secret one is in
    first = xml.findall("Documents/Document")[0]
    page = pdf.pages[int(first.find("Content").get("StartPage")) - 1].extract_text()
    assert "Noi dung mat cua ke hoach" in page and "Người xem:" in page and "(van-thu-mat)" in page  # stamped
    assert first.get("Secret") is None and first.findtext("Subject") == "Kế hoạch kiểm soát chống buôn lậu"
    assert first.find("Content").get("Included") == "true"
    opened_after = org.execute("SELECT count(*) FROM audit_log WHERE action = 'documents.secret_open'").fetchone()
    assert opened_after[0] > opened_before[0]  # the opening is audited

    with pytest.raises(UnknownCaseFile):  # another unit does not even see the file
        cf.package(people.other_clerk, opened.id)
    assert MAX_PACKAGE_BYTES >= 50 * 1024 * 1024
    cf.package_limit = 3000
    with pytest.raises(PackageTooLarge) as large:
        cf.package(people.clerk, opened.id)
    assert "vượt quá" in str(large.value) and "passes" in str(large.value)


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


def test_the_package_over_the_api(api: Api) -> None:
    office, clerk, other, doc, file_id = one_document_file(
        api,
        number="21",
        issued="2025-09-30",
        subject="Về thi đua khen thưởng",
        code="04.TĐKT",
        title="Hồ sơ thi đua",
        retention="20",
    )
    got = clerk.get(f"/api/v1/documents/case-files/{file_id}/package.zip")
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    _, pdf, xml = _unzip(got.content)
    assert xml.findtext("FileCode/FileNotation") == "04.TĐKT" and xml.findtext("ClosedDate") == ""
    assert xml.findtext("Documents/Document/Subject") == "Về thi đua khen thưởng" and "Về thi đua" in _text(pdf)
    assert other.get(f"/api/v1/documents/case-files/{file_id}/package.zip").status_code == 404
