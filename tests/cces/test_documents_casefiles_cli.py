"""`cces documents casefiles …`: a file list imported from XLSX and printed back from the command line, the due
list, and an unknown unit as one line on stderr with exit code 2."""

from __future__ import annotations

import io
from pathlib import Path

import psycopg
import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from cces.cli import main
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
