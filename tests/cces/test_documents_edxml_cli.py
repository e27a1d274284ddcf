"""`cces documents edxml show|import|status` end to end: show prints exactly the issue's keys without a
database, a file that is not edXML is one line on stderr and exit code 2, import registers, status answers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import psycopg
import pytest

from cces.cli import main
from hub.documents.edxml import parse
from hub.documents.edxml_write import write_edoc
from tests.hub.documents.test_edxml import SHOW_KEYS, _edoc
from tests.hub.orgdata import seed_org


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_show_prints_the_issue_keys_and_refuses_what_is_not_edxml(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CCES_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")  # show never connects
    path = tmp_path / "vb.xml"
    path.write_bytes(write_edoc(_edoc(code_number="123456789012")))
    code, out, err = cli("documents", "edxml", "show", str(path), "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert list(shown) == SHOW_KEYS and shown["code_number"] == "123456789012"
    assert [w["field"] for w in shown["warnings"]] == ["CodeNumber"]
    code, out, _ = cli("documents", "edxml", "show", str(path))
    assert code == 0 and "code_notation: QĐ-HQKV2" in out and "quyet-dinh.pdf (application/pdf" in out
    for name, content in (("cut.xml", path.read_bytes()[:400]), ("other.xml", b"<html/>")):
        bad = tmp_path / name
        bad.write_bytes(content)
        code, out, err = cli("documents", "edxml", "show", str(bad), "--json")
        assert (code, out) == (2, "") and err.count("\n") == 1 and " / " in err
    code, _, err = cli("documents", "edxml", "show", str(tmp_path / "missing.xml"))
    assert code == 2 and "cannot read" in err


def test_import_then_status_through_the_command(cli, tmp_path: Path, monkeypatch, database_url: str) -> None:
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    monkeypatch.setenv("CCES_DATA_DIR", str(tmp_path / "data"))
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    path = tmp_path / "vb.xml"
    path.write_bytes(write_edoc(_edoc(promulgation_date=date(2025, 12, 30))))
    code, out, err = cli("documents", "edxml", "import", str(path), "--unit", "CCHQNB", "--json")
    assert code == 0, err
    done = json.loads(out)
    assert (done["number"], done["series"], done["attachments"], done["code_notation"]) == (1, "den", 2, "QĐ-HQKV2")
    status = tmp_path / "status.xml"
    code, _, err = cli("documents", "edxml", "status", str(done["id"]), "04", "--from-organ-id", "000.00.15.H51",
                       "--out", str(status))  # fmt: skip
    assert code == 0, err
    assert parse(status.read_bytes()).as_show()["status_code"] == "04"
    code, _, err = cli("documents", "edxml", "import", str(path), "--unit", "KHONGCO")
    assert code == 2 and "KHONGCO" in err
