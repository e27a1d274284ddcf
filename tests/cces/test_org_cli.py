"""`cces org import FILE` and `cces org list` end to end, and `cces people import --create-units-under`."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from cces.cli import main

UNITS = (
    "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Hiệu lực từ\n"
    "CHQ,Cục Hải quan,Cục Hải quan,,01/03/2025\n"
    "KV1,Chi cục Hải quan khu vực I,regional_branch,CHQ,01/03/2025\n"
    "NB,Hải quan cửa khẩu Sân bay quốc tế Nội Bài,border_gate,KV1,01/03/2025\n"
    "SAI,Hải quan cửa khẩu đặt sai chỗ,border_gate,CHQ,\n"  # a border gate belongs to a regional branch
)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str):
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_org_import_reports_rejected_rows_and_list_shows_the_tree(cli, tmp_path: Path, database_url: str) -> None:
    code, out, _ = cli("org", "list")
    assert code == 0 and "no units yet" in out
    path = tmp_path / "don_vi.csv"
    path.write_text(UNITS, encoding="utf-8-sig")
    code, out, err = cli("org", "import", str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("dòng/row 5, cột/column ") and "cannot sit under" in lines[0]
    assert lines[-1].endswith("4 rows: 3 created, 0 already there, 1 rejected")
    code, out, _ = cli("org", "list")
    assert out.splitlines() == [
        "CHQ  Cục Hải quan — Cục Hải quan [dấu/seal] [trụ sở/office]  · 0 cán bộ/staff",
        "  KV1  Chi cục Hải quan khu vực I — Chi cục Hải quan khu vực [dấu/seal] [trụ sở/office]  · 0 cán bộ/staff",
        "    NB  Hải quan cửa khẩu Sân bay quốc tế Nội Bài — Hải quan cửa khẩu / ngoài cửa khẩu [dấu/seal]"
        " [trụ sở/office]  · 0 cán bộ/staff",
    ]
    code, out, _ = cli("org", "import", str(path), "--json")
    assert json.loads(out)["unchanged"] == 3
    with psycopg.connect(database_url) as conn:
        actors = conn.execute("SELECT DISTINCT actor FROM audit_log WHERE action LIKE 'org_unit.%%'").fetchall()
    assert actors == [("cli",)]

    bad = tmp_path / "x.txt"
    bad.write_bytes(b"\xff\xfe")
    code, _, err = cli("org", "import", str(bad))
    assert code == 2 and "cannot read" in err

    staff = tmp_path / "nhan_vien.csv"
    staff.write_text(
        "Mã nhân viên,Họ và tên,Mã đơn vị,Tên đơn vị,Mã FaceID\nNV1,Ngô Thị Lan,DOI9,Đội Giám sát,p-1\n", "utf-8"
    )
    code, out, _ = cli("people", "import", str(staff))
    assert "units that do not exist: DOI9" in out and "--create-units-under CODE" in out
    code, out, _ = cli("people", "import", str(staff), "--create-units-under", "KV1", "--json")
    report = json.loads(out)
    assert report["created_units"] == ["DOI9"] and report["inserted"] == 1
    code, out, _ = cli("org", "list", "--json")
    doi9 = next(u for u in json.loads(out) if u["code"] == "DOI9")
    assert (doi9["name"], doi9["kind"], doi9["parent_code"], doi9["employees"]) == ("Đội Giám sát", "team", "KV1", 1)
