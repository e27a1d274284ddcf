"""`cces documents register print`: a register printed as its book from the command line (PDF and XLSX read
back), and an unknown unit as one line on stderr with exit code 2."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import psycopg
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cces.cli import main
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.documents.service import DocumentsService
from hub.services import utc_now
from tests.hub.orgdata import seed_org


def test_print_a_register(tmp_path: Path, monkeypatch, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    monkeypatch.setenv("CCES_DATA_DIR", str(tmp_path / "data"))
    assert main(["db", "migrate"]) == 0
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    pool = open_pool(database_url, 2, name="cces-register-cli-test")
    try:
        documents = DocumentsService(pool, utc_now)
        tool = Principal.tool("test", "Test")
        documents.register_incoming(
            tool, "CCHQNB", type_key="cong_van", code_number="15", code_notation="BTC-TCHQ",
            organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject="Về việc in sổ đăng ký",
        )  # fmt: skip
        year = documents.today().year
    finally:
        pool.close()
    capsys.readouterr()
    pdf = tmp_path / "so.pdf"
    assert main(["documents", "register", "print", "CCHQNB", str(year), "--out", str(pdf)]) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text and "15/BTC-TCHQ" in text and "Về việc in sổ đăng ký" in text
    xlsx = tmp_path / "so.xlsx"
    assert main(["documents", "register", "print", "CCHQNB", str(year), "den", "--format", "xlsx",
                 "--out", str(xlsx)]) == 0  # fmt: skip
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes())).active
    assert sheet is not None and any(r[3] == "15/BTC-TCHQ" for r in sheet.iter_rows(values_only=True))
    capsys.readouterr()
    assert main(["documents", "register", "print", "KHONGCO", str(year)]) == 2
    assert "KHONGCO" in capsys.readouterr().err
