"""`cces people import FILE` end to end: a real CSV into a real, migrated database (in-process `main`)."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from cces.cli import main
from tests.hub.orgdata import seed_org

CSV = (
    "Mã nhân viên,Họ và tên,Mã đơn vị,Mã FaceID,Chức vụ,Ghi chú\n"
    "NV101,Phạm Thu Hà,DOI1,nv-0101,Công chức,mới\n"
    "NV102,Hoàng Văn Nam,KHONGCO,nv-0102,,\n"  # unknown unit: rejected
    "NV103,Vũ Thị Mai,CHQHCM,nv-0103,,\n"
)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str):
    """Run `cces ARGS` against the test's database; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def employee_codes(database_url: str) -> list[str]:
    with psycopg.connect(database_url) as conn:
        return [r[0] for r in conn.execute("SELECT employee_code FROM employees ORDER BY employee_code")]


def test_import_reports_rejected_rows_and_imports_the_rest(cli, tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "nhan_vien.csv"
    path.write_text(CSV, encoding="utf-8-sig")  # Excel's "CSV UTF-8" has a BOM
    code, out, err = cli("people", "import", str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("row 3, column unit_code: ") and "KHONGCO" in lines[0]
    assert "ignored columns: Ghi chú" in lines
    assert lines[-1] == "3 rows: 2 added, 0 updated, 1 rejected (imported)"
    assert employee_codes(database_url) == ["NV001", "NV002", "NV003", "NV101", "NV103"]

    code, out, _ = cli("people", "import", str(path), "--json")  # the same file again: updates, nothing new
    report = json.loads(out)
    assert code == 0 and (report["inserted"], report["updated"], report["written"]) == (0, 2, True)
    assert [(e["row"], e["column"]) for e in report["rejected"]] == [(3, "unit_code")]
    with psycopg.connect(database_url) as conn:  # each written import is audited, as the command line's
        audited = conn.execute("SELECT actor, after->'employee_codes' FROM audit_log WHERE action = 'employee.import'")
        assert audited.fetchall() == [("cli", ["NV101", "NV103"])] * 2


def test_all_or_nothing_writes_nothing_when_a_row_is_rejected(cli, tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "nhan_vien.csv"
    path.write_text(CSV, encoding="utf-8")
    code, out, _ = cli("people", "import", str(path), "--all-or-nothing", "--json")
    report = json.loads(out)
    assert code == 0 and report["written"] is False and report["summary"].endswith("(nothing imported)")
    assert employee_codes(database_url) == ["NV001", "NV002", "NV003"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "No such file"),
        ("list.txt", b"a,b\n", "expected a .csv or .xlsx file"),
        ("latin1.csv", "Mã nhân viên,Họ và tên\n".encode("latin-1", "replace") + b"\xe9\n", "not UTF-8"),
        ("no_person.csv", "Mã nhân viên,Họ và tên,Mã đơn vị\nNV1,A,DOI1\n".encode(), "person_id"),
    ],
)
def test_an_unreadable_file_is_exit_2_with_one_line(
    cli, tmp_path: Path, database_url: str, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = cli("people", "import", str(path))
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert employee_codes(database_url) == ["NV001", "NV002", "NV003"]
