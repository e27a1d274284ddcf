"""Capturing incoming documents (issue 15 items 2 and 10) on the real database and a real content store:
files sniffed by their bytes, the size limit, a real scanner command as the virus hook, the Appendix VI
metadata, the text of a PDF (pypdf) and OCR of a Vietnamese scan (Tesseract, when installed), and the
registration deadline (same or next working day) the register shows."""

from __future__ import annotations

import io
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from hub.db import open_pool
from hub.documents.files import PDF, PNG, FileRefused, FileRules, ScannerFailed, Upload, tesseract_available
from hub.documents.jobs import read_pending_texts
from hub.documents.models import DocumentError
from hub.documents.service import DocumentsService
from hub.files import ContentStore
from hub.reports.export_pdf import PdfFonts
from hub.search.models import Query
from hub.search.service import SearchService
from tests.hub.documents.conftest import Clock, People

TEXT = "Quyết định về việc nghỉ phép năm"


def pdf_bytes(text: str = TEXT) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(PdfFonts.installed().regular))
    pdf.set_font("DejaVu", size=14)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def scan_png(text: str = TEXT) -> bytes:
    """A clean 'scan': black Vietnamese text on white at about 300 dpi."""
    font = ImageFont.truetype(str(PdfFonts.installed().regular), 48)
    image = Image.new("L", (1400, 160), 255)
    ImageDraw.Draw(image).text((40, 50), text, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "files")


@pytest.fixture
def scanner(tmp_path: Path) -> Path:
    """A real scanner command: exit 1 on the EICAR test string, 2 on the word BROKEN, else 0."""
    script = tmp_path / "scan.sh"
    script.write_text(
        '#!/bin/sh\ngrep -q "EICAR-STANDARD-ANTIVIRUS-TEST-FILE" "$1" && exit 1\n'
        'grep -q BROKEN "$1" && exit 2\nexit 0\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.fixture
def capture(
    database_url: str, people: People, clock: Clock, store: ContentStore, scanner: Path
) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-capture")
    try:
        rules = FileRules(max_bytes=200_000, scan_command=f"{scanner} {{path}}")
        yield DocumentsService(pool, clock, file_rules=rules, store=store)
    finally:
        pool.close()


def incoming(service: DocumentsService, people: People, **extra: object):  # type: ignore[no-untyped-def]
    values = {
        "type_key": "QĐ", "code_number": "15", "code_notation": "QĐ-BTC", "organ_name": "Bộ Tài chính",
        "issued_date": date(2026, 1, 2), "subject": "Về việc nghỉ phép năm",
    } | extra  # fmt: skip
    return service.register_incoming(people.clerk, "CCHQNB", **values)  # type: ignore[arg-type]


def test_files_sniffed_stored_and_read(capture: DocumentsService, people: People, store: ContentStore) -> None:
    pdf, png = pdf_bytes("Chi cục Hải quan Nội Bài kiểm tra hàng hóa"), scan_png()
    saved = incoming(
        capture, people, urgency=3, secrecy=0, signer_position="Thứ trưởng", signer_name="Nguyễn Văn A",
        page_amount=2, language="Tiếng Việt", to_places="Các Cục Hải quan", due_date=date(2026, 1, 20),
        organ_id="000.00.00.G12", files=[Upload("quyet-dinh.pdf", pdf), Upload("ban-quet.PNG", png)],
    )  # fmt: skip
    assert [(f.filename, f.content_type, f.text_status) for f in saved.files] == [
        ("quyet-dinh.pdf", PDF, "pending"),
        ("ban-quet.PNG", PNG, "pending"),
    ]
    assert store.get(saved.files[0].sha256) == pdf
    assert (saved.signer_name, saved.page_amount, saved.organ_id, saved.marks) == (
        "Nguyễn Văn A", 2, "000.00.00.G12", ["HỎA TỐC"],
    )  # fmt: skip
    got, data = capture.file(people.manager, saved.id, saved.files[1].id)
    assert (got.content_type, data) == (PNG, png)
    if not tesseract_available():
        pytest.skip(
            "tesseract with Vietnamese data is not installed (Debian: tesseract-ocr tesseract-ocr-vie;"
            " scripts/test installs them as root)"
        )
    assert read_pending_texts(capture.pool, store, capture.file_rules) == 2  # type: ignore[arg-type]
    pdf_text = capture.file_text(people.clerk, saved.id, saved.files[0].id)
    assert pdf_text is not None and "Nội Bài kiểm tra" in pdf_text
    found = SearchService(capture.pool).search(people.clerk, Query("noi bai kiem tra hang hoa"))
    assert [h.ref_id for h in found.hits] == [saved.id]  # the file's text joined the document's search entry
    ocr = capture.file_text(people.clerk, saved.id, saved.files[1].id) or ""
    assert "nghỉ phép" in ocr.lower() and "quyết định" in ocr.lower(), ocr
    assert {f.text_source for f in capture.document(people.clerk, saved.id).files} == {"pdf", "ocr"}
    assert read_pending_texts(capture.pool, store, capture.file_rules) == 0  # type: ignore[arg-type]


def test_bad_files_refused_and_nothing_registered(capture: DocumentsService, people: People, clock: Clock) -> None:
    def last_number() -> int:
        return {r.series_code: r.last_number for r in capture.registers(people.clerk, "CCHQNB", 2026)}["den"]

    cases = [
        (Upload("virus.pdf", b"MZ\x90\x00 an executable"), FileRefused, "không phải PDF"),
        (Upload("anh.pdf", scan_png()), FileRefused, "extension does not match"),
        (Upload("lon.pdf", b"%PDF-1.4\n" + b"0" * 200_001), FileRefused, "quá lớn"),
        (Upload("rong.pdf", b""), FileRefused, "rỗng"),
        (Upload("eicar.pdf", b"%PDF-1.4 EICAR-STANDARD-ANTIVIRUS-TEST-FILE"), FileRefused, "mã độc"),
        (Upload("loi.pdf", b"%PDF-1.4 BROKEN"), ScannerFailed, "failed (exit 2)"),
    ]
    for upload, error, words in cases:
        with pytest.raises(error) as refused:
            incoming(capture, people, files=[Upload("tot.pdf", pdf_bytes()), upload])
        assert words in str(refused.value) and " / " in str(refused.value)
    assert last_number() == 0
    with pytest.raises(DocumentError, match="ngày đến"):
        incoming(capture, people, arrival_date=date(2026, 1, 6))  # tomorrow
    with pytest.raises(DocumentError, match="tối đa 50"):
        incoming(capture, people, signer_name="x" * 51)
    assert last_number() == 0


def test_late_registration_is_shown(capture: DocumentsService, people: People, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # Monday 9 March 2026, 09:00 in Hà Nội
    on_time = incoming(capture, people, arrival_date=date(2026, 3, 6))  # arrived Friday: Monday is in time
    clock.now = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)  # Wednesday
    late = incoming(capture, people, arrival_date=date(2026, 3, 9), code_number="16")  # due Tuesday
    today = incoming(capture, people, code_number="17")
    assert (on_time.register_by, late.register_by) == (date(2026, 3, 9), date(2026, 3, 10))
    page = capture.register_page(people.manager, "CCHQNB", 2026, "den")
    assert [(e.number, e.registered_late) for e in page.entries] == [(1, False), (2, True), (3, False)]
    assert today.arrival_date == date(2026, 3, 11)
