"""`cces documents casefiles …`: a file list imported from XLSX and printed back from the command line, the due
list, a hand-over's record, a case file's package and the review past retention, and an unknown unit or file as
one line on stderr with exit code 2."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import psycopg
import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from cces.cli import main
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.documents.files import FileRules, Upload
from hub.documents.service import DocumentsService
from hub.files import ContentStore
from hub.services import utc_now
from hub.settings import HubSettings
from tests.hub.documents.test_capture import TEXT, pdf_bytes
from tests.hub.orgdata import seed_org


def test_import_and_print_a_file_list(
    tmp_path: Path, monkeypatch, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:  # noqa: ANN001
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    monkeypatch.setenv("CCES_DATA_DIR", str(tmp_path / "data"))
    assert main(["db", "migrate"]) == 0
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    book = Workbook()
    ws = book.active
    ws.append(["Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản", "Người lập hồ sơ", "Ghi chú"])
    ws.append(["I. TCCB", "Tổ chức cán bộ"])
    ws.append(["01.TCCB", "Hồ sơ quy hoạch cán bộ", "Vĩnh viễn", "van-thu", None])
    ws.append(["02.TCCB", "Hồ sơ nâng lương", 20, None, None])
    sheet = tmp_path / "danh-muc.xlsx"
    book.save(sheet)
    capsys.readouterr()
    assert main(["documents", "casefiles", "import", "CCHQNB", "2026", str(sheet)]) == 0
    assert "CCHQNB 2026: 1 headings, 2 files" in capsys.readouterr().out
    pdf = tmp_path / "dm.pdf"
    assert main(["documents", "casefiles", "list", "CCHQNB", "2026", "--out", str(pdf)]) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "DANH MỤC HỒ SƠ NĂM 2026" in text and "02.TCCB" in text and "Hồ sơ nâng lương" in text
    xlsx = tmp_path / "dm.xlsx"
    assert main(["documents", "casefiles", "list", "CCHQNB", "2026", "--format", "xlsx", "--out", str(xlsx)]) == 0
    cells = [c for r in load_workbook(io.BytesIO(xlsx.read_bytes())).active.iter_rows(values_only=True) for c in r]
    assert "01.TCCB" in cells and "Vĩnh viễn" in cells
    capsys.readouterr()
    assert main(["documents", "casefiles", "due", "CCHQNB", "--all"]) == 0
    assert capsys.readouterr().out == ""  # no closed file yet
    assert main(["documents", "casefiles", "list", "KHONGCO", "2026"]) == 2
    assert "KHONGCO" in capsys.readouterr().err


def test_the_record_package_and_review_from_the_command_line(
    tmp_path: Path, monkeypatch, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:  # noqa: ANN001
    """`record`, `package` and `review` give what the API gives: they go through the hub's own services, with the
    content store of the settings (so the package holds the document's PDF)."""
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    monkeypatch.setenv("CCES_DATA_DIR", str(tmp_path / "data"))
    assert main(["db", "migrate"]) == 0
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    admin = Principal.tool("test", "Test")
    pool = open_pool(database_url, 2, name="cces-test-casefiles-cli")
    try:
        store = ContentStore(HubSettings.load(None).files_dir)  # the hub's store, as the command opens it
        docs = DocumentsService(pool, utc_now, file_rules=FileRules(max_bytes=1_000_000), store=store)
        docs.set_issuer(admin, "CCHQNB", "HQKV2", "Hà Nội")
        doc = docs.register_incoming(
            admin, "CCHQNB", type_key="cong_van", code_number="12", code_notation="BTC-TCHQ", organ_name="Bộ Tài chính",
            issued_date=date(2021, 3, 2), subject="Về kế hoạch kiểm tra", files=[Upload("ke-hoach.pdf", pdf_bytes())],
        )  # fmt: skip
        cf = docs.casefiles
        opened = cf.open_file(admin, "CCHQNB", code="01.KT", title="Hồ sơ kiểm tra 2021", retention="2",
                              opened_on=date(2021, 3, 2))  # fmt: skip
        cf.add_document(admin, opened.id, doc.id)
        cf.close(admin, opened.id, closed_on=date(2021, 6, 30))  # kept two years: past its retention since 2024
        handover = cf.submit(admin, "CCHQNB", [opened.id])
    finally:
        pool.close()
    record = tmp_path / "bb.pdf"
    assert main(["documents", "casefiles", "record", str(handover.id), "--out", str(record)]) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(record).pages)
    assert "BIÊN BẢN" in text.upper() and "01.KT" in text
    package = tmp_path / "goi.zip"
    assert main(["documents", "casefiles", "package", str(opened.id), "--out", str(package)]) == 0
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        merged = PdfReader(io.BytesIO(archive.read(next(n for n in names if n.endswith(".pdf")))))
        xml = archive.read(next(n for n in names if n.endswith(".xml"))).decode()
    assert "Về kế hoạch kiểm tra" in xml
    assert TEXT in "\n".join(p.extract_text() for p in merged.pages)  # the document's own PDF is inside
    review = tmp_path / "het-han.xlsx"
    assert main(["documents", "casefiles", "review", "CCHQNB", "--out", str(review)]) == 0
    cells = [c for r in load_workbook(review).active.iter_rows(values_only=True) for c in r]
    assert "01.KT" in cells and "Hồ sơ kiểm tra 2021" in cells
    capsys.readouterr()
    assert main(["documents", "casefiles", "package", "999999"]) == 2
    assert "999999" in capsys.readouterr().err


def test_reopen_a_closed_file_from_the_command_line(
    tmp_path: Path, monkeypatch, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:  # noqa: ANN001
    """`reopen FILE_ID --reason TEXT` reopens a closed file through the service (audited with its reason); an
    unknown file, an empty or over-long reason, a file still open or handed over: one bilingual line on stderr,
    exit code 2, nothing changed."""
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    monkeypatch.setenv("CCES_DATA_DIR", str(tmp_path / "data"))
    assert main(["db", "migrate"]) == 0
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    admin = Principal.tool("test", "Test")
    pool = open_pool(database_url, 2, name="cces-test-casefiles-reopen")
    try:
        docs = DocumentsService(pool, utc_now, file_rules=FileRules(max_bytes=1_000_000))
        docs.set_issuer(admin, "CCHQNB", "HQKV2", "Hà Nội")
        cf = docs.casefiles

        def filled(opened):  # noqa: ANN001, ANN202
            doc = docs.register_incoming(
                admin, "CCHQNB", type_key="cong_van", code_number=str(opened.id), code_notation="BTC-TCHQ",
                organ_name="Bộ Tài chính", issued_date=date(2025, 3, 2), subject=f"Về {opened.title}",
            )  # fmt: skip
            cf.add_document(admin, opened.id, doc.id)
            return opened

        closed = filled(cf.open_file(admin, "CCHQNB", code="01.KT", title="Hồ sơ kiểm tra", retention="5",
                                     opened_on=date(2025, 3, 2)))  # fmt: skip
        cf.close(admin, closed.id, closed_on=date(2025, 6, 30))
        still_open = cf.open_file(admin, "CCHQNB", code="02.KT", title="Hồ sơ đang lập", retention="5",
                                  opened_on=date(2025, 3, 2))  # fmt: skip
        handed = filled(cf.open_file(admin, "CCHQNB", code="03.KT", title="Hồ sơ đã nộp lưu", retention="5",
                                     opened_on=date(2025, 3, 2)))  # fmt: skip
        cf.close(admin, handed.id, closed_on=date(2025, 6, 30))
        cf.submit(admin, "CCHQNB", [handed.id])

        def refused(argv: list[str], vi: str, en: str) -> None:
            capsys.readouterr()
            assert main(["documents", "casefiles", "reopen", *argv]) == 2
            captured = capsys.readouterr()
            assert vi in captured.err and en in captured.err and captured.out == ""

        refused(["999999", "--reason", "Bổ sung văn bản"], "không có hồ sơ 999999", "no case file 999999")
        refused([str(closed.id), "--reason", "   "], "thiếu lý do mở lại hồ sơ", "the reason to reopen the file is")
        refused([str(closed.id), "--reason", "x" * 501], "tối đa 500 ký tự", "longer than 500 characters")
        refused([str(still_open.id), "--reason", "Bổ sung"], "đang lập, chưa kết thúc", "is open, not closed")
        refused([str(handed.id), "--reason", "Bổ sung"], "đã nộp lưu", "cannot be reopened")
        assert cf.case_file(admin, closed.id).state.value == "closed"  # nothing changed
        assert cf.case_file(admin, handed.id).state.value == "submitted"
        assert [h.action for h in cf.history(admin, closed.id)].count("documents.case_file_reopen") == 0

        capsys.readouterr()
        assert main(["documents", "casefiles", "reopen", str(closed.id), "--reason", "Bổ sung biên bản kiểm tra"]) == 0
        assert "01.KT" in capsys.readouterr().out
        reopened = cf.case_file(admin, closed.id)
        assert reopened.state.value == "open" and reopened.closed_on is None
        [step] = [h for h in cf.history(admin, closed.id) if h.action == "documents.case_file_reopen"]
        assert (step.actor, step.reason) == ("cli", "Bổ sung biên bản kiểm tra")
        refused([str(closed.id), "--reason", "Lần nữa"], "đang lập, chưa kết thúc", "is open, not closed")
    finally:
        pool.close()
