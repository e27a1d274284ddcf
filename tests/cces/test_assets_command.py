"""`cces assets …`: an XLSX register imported from the command line (good rows in, each bad row named), found,
shown with its history, and printed as a card, a wear table and a fixed-asset book; bad input is one line on
stderr with exit code 2 and changes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import psycopg
import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from cces.assets_command import STATUSES
from cces.cli import main
from hub.assets.models import STATUS_LABELS
from tests.hub.orgdata import seed_org


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã tài sản", "Tên tài sản", "Loại tài sản", "Đơn vị", "Nguyên giá", "Ngày đưa vào sử dụng",
                  "Nguồn kinh phí", "Người sử dụng"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_register_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    monkeypatch.setenv("CCES_DATA_DIR", str(tmp_path / "data"))
    assert main(["db", "migrate"]) == 0
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    sheet = _xlsx(tmp_path / "tai-san.xlsx", [
        ["CLI-1", "Máy tính xách tay Dell", "may-vi-tinh", "DOI1", 24_000_000, "15/01/2024", "Ngân sách nhà nước",
         "NV001"],
        ["CLI-2", "Máy in laser", "may-vi-tinh", "CCHQNB", "12.000.000", "2024-02-01", "", ""],
        ["CLI-3", "Tủ", "khong-co-loai", "DOI1", 5_000_000, "2024-02-01", "", ""],  # unknown category
        ["CLI-4", "Bàn", "may-vi-tinh", "DOI1", "mười triệu", "2024-02-01", "", ""],  # cost not a number
    ])  # fmt: skip
    capsys.readouterr()
    assert main(["assets", "import", str(sheet), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["created_numbers"] == ["CLI-1", "CLI-2"]
    assert sorted(e["row"] for e in report["rejected"]) == [4, 5]
    assert main(["assets", "import", str(sheet)]) == 0  # again: every row refused now (numbers taken)
    out = capsys.readouterr().out
    assert "dòng/row 2" in out and "0 assets added" in out

    assert main(["assets", "list", "dell", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 1 and listed["items"][0]["asset_number"] == "CLI-1"
    assert main(["assets", "list", "--unit", "CCHQNB"]) == 0  # the unit and the units under it
    out = capsys.readouterr().out
    assert "CLI-1" in out and "CLI-2" in out and "2 / 2" in out and "Đang sử dụng" in out

    assert main(["assets", "show", "CLI-1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["cost"] == 24_000_000 and shown["custodian"] == "NV001"
    assert 0 < shown["remaining_value"] < 24_000_000  # worn since 2024
    assert shown["history"] and shown["history"][0]["actor"] == "cli"

    card = tmp_path / "card.pdf"
    assert main(["assets", "card", "CLI-1", "--out", str(card)]) == 0
    assert "CLI-1" in "".join(p.extract_text() for p in PdfReader(card).pages)
    wear = tmp_path / "wear.xlsx"
    assert main(["assets", "wear", "2024", "--out", str(wear)]) == 0
    cells = [c for r in load_workbook(io.BytesIO(wear.read_bytes())).active.iter_rows(values_only=True) for c in r]
    assert "CLI-1" in cells and "CLI-2" in cells
    book = tmp_path / "book.pdf"
    assert main(["assets", "book", "2024", "--unit", "DOI1", "--format", "pdf", "--out", str(book)]) == 0
    text = "".join(p.extract_text() for p in PdfReader(book).pages)
    assert "CLI-1" in text and "CLI-2" not in text  # only DOI1's

    capsys.readouterr()
    assert main(["assets", "show", "KHONG-CO"]) == 2
    assert "KHONG-CO" in capsys.readouterr().err
    assert main(["assets", "wear", "2024", "--unit", "KHONGCO"]) == 2
    assert "KHONGCO" in capsys.readouterr().err
    assert main(["assets", "import", str(tmp_path / "missing.xlsx")]) == 2
    assert "missing.xlsx" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["assets", "list", "--limit", "100000"])
    assert exit_.value.code == 2


def test_the_command_offers_every_status_of_the_register() -> None:
    assert set(STATUSES) == set(STATUS_LABELS)
