"""The consolidated report and a unit's report as DOCX, XLSX and PDF (issue 18 item 4), opened with
python-docx, openpyxl and pypdf: the official heading (Quốc hiệu, tiêu ngữ, agency lines, number and date
line through the documents module), the indicators' names, the totals, and the chart."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from cces.cli import main
from hub.access import AccessDenied
from hub.accounts.principal import Principal
from hub.documents.service import DocumentsService
from hub.reporting.export import number
from hub.reporting.models import NothingToExport, ReportingError
from hub.reporting.service import ReportingService
from tests.hub.reporting.conftest import REPORTERS, TEMPLATE, Clock, People

REGIME = "hoat-dong-thang"
HEADING = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def nfc(text: str) -> str:
    """Composed, with every run of spaces and line breaks (a wrapped line) as one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def xlsx_cells(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def pdf_text(data: bytes) -> str:
    return nfc("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def sent(org: psycopg.Connection, people: People, reporting: ReportingService, clock: Clock) -> dict:
    """DOI1 and CCHQNB report for 2026-03 (DOI1 also for 2026-02 and 2025-03); CCHQNB has its notation and place."""
    reporting.define(
        people.office, REGIME, valid_from=date(2025, 1, 1), name_vi="Báo cáo tình hình hoạt động hằng tháng",
        name_en="Monthly activity report", basis="Nghị định 09/2019/NĐ-CP", frequency_name="monthly",
        deadline_days=2, owner_unit="CHQHN", template=TEMPLATE, reporters=REPORTERS,
    )  # fmt: skip
    DocumentsService(reporting.pool, clock).set_issuer(Principal.tool("test", "Test"), "CCHQNB", "HQNB", "Hà Nội")
    for when, key in ((datetime(2025, 3, 16, 2, tzinfo=UTC), "2025-03"), (datetime(2026, 2, 16, 2, tzinfo=UTC),
                      "2026-02"), (datetime(2026, 3, 16, 2, tzinfo=UTC), "2026-03")):  # fmt: skip
        clock.now = when
        reporting.open_period(people.office, REGIME, key)
    clock.now = datetime(2026, 3, 17, 2, tzinfo=UTC)
    ids = {(r.unit_code, r.period_key): r.id for r in reporting.reports(people.office)}
    for key, cases, staff in (("2026-03", [{"kind": "Buôn lậu", "count": 3}, {"kind": "Gian lận", "count": 4}], 12),
                              ("2026-02", [{"kind": "Buôn lậu", "count": 1}], 10),
                              ("2025-03", [{"kind": "Buôn lậu", "count": 2}], 8)):  # fmt: skip
        reporting.save(people.doi_clerk, ids[("DOI1", key)],
                       {"summary": f"Tình hình ổn định kỳ {key}", "cases": cases, "staff": staff, "late": 6},
                       {"staff": "Số liệu nhân sự", "late": "Theo sổ theo dõi"})  # fmt: skip
        reporting.submit(people.doi_manager, ids[("DOI1", key)])
    return ids


def test_the_consolidated_report_in_three_formats(people: People, reporting: ReportingService, sent: dict) -> None:
    files = {fmt: reporting.export_consolidated(people.cc_manager, REGIME, "2026-03", "CCHQNB", fmt)
             for fmt in ("docx", "xlsx", "pdf")}  # fmt: skip
    assert files["docx"].filename == "bao-cao-tong-hop_hoat-dong-thang_2026-03_cchqnb.docx"
    assert files["pdf"].content[:5] == b"%PDF-" and files["xlsx"].media_type.endswith("spreadsheetml.sheet")
    texts = {"docx": nfc(docx_text(files["docx"].content)), "pdf": pdf_text(files["pdf"].content)}
    cells = [nfc(str(v)) for v in xlsx_cells(files["xlsx"].content)]
    texts["xlsx"] = "\n".join(cells)
    for fmt, text in texts.items():
        for line in (*HEADING, "CỤC HẢI QUAN HÀ NỘI", "CHI CỤC HẢI QUAN CỬA KHẨU SÂN BAY QUỐC TẾ NỘI BÀI",
                     "/BC-HQNB", "Hà Nội, ngày 17 tháng 3 năm 2026", "BÁO CÁO TỔNG HỢP",
                     "Báo cáo tình hình hoạt động hằng tháng", "tháng 03/2026", "15/02/2026", "14/03/2026",
                     "Số cán bộ", "Số lượt đi muộn", "Vụ việc", "Tổng số vụ", "Tình hình chung",
                     "Đội Thủ tục hàng hóa xuất nhập khẩu", "Tình hình ổn định kỳ 2026-03", "Cộng"):  # fmt: skip
            assert line in text, (fmt, line)
    # the totals: the table's total row (3 + 4), staff this period (12), the previous period (10) and a year ago (8)
    assert "7" in texts["pdf"].split("Cộng", 1)[1][:40]
    xlsx = xlsx_cells(files["xlsx"].content)
    assert 7 in xlsx or 7.0 in xlsx
    wb = load_workbook(io.BytesIO(files["xlsx"].content))
    summary = wb["Báo cáo"]
    rows = [[c.value for c in r] for r in summary.iter_rows()]
    staff = next(r for r in rows if r[1] == "Số cán bộ")
    assert staff[3:8] == [12, 10, 120.0, 8, 150.0]  # this period, previous, %, same period last year, %
    assert next(r for r in rows if r[1] == "Tổng số vụ")[3] == 7.0
    assert wb["Biểu đồ"]._charts, "the XLSX holds a bar chart"
    doc = Document(io.BytesIO(files["docx"].content))
    assert doc.inline_shapes, "the DOCX holds the chart"
    staff_row = next(r for t in doc.tables for r in t.rows if r.cells[1].text == "Số cán bộ")
    assert [c.text for c in staff_row.cells[3:8]] == ["12", "10", "120", "8", "150"]
    reader = PdfReader(io.BytesIO(files["pdf"].content))
    assert any(page.images for page in reader.pages), "the PDF holds the chart"


def test_a_unit_report_and_refusals(people: People, reporting: ReportingService, sent: dict) -> None:
    report_id = sent[("DOI1", "2026-03")]
    for fmt in ("docx", "xlsx", "pdf"):
        found = reporting.export_report(people.doi_clerk, report_id, fmt)
        assert found.filename == f"bao-cao_hoat-dong-thang_2026-03_doi1.{fmt}"
        text = {"docx": lambda d: nfc(docx_text(d)), "pdf": pdf_text,
                "xlsx": lambda d: "\n".join(nfc(str(v)) for v in xlsx_cells(d))}[fmt](found.content)  # fmt: skip
        for line in (*HEADING, "CHI CỤC HẢI QUAN CỬA KHẨU SÂN BAY QUỐC TẾ NỘI BÀI",
                     "ĐỘI THỦ TỤC HÀNG HÓA XUẤT NHẬP KHẨU", "/BC-DOI1", "Ngày 17 tháng 3 năm 2026", "BÁO CÁO",
                     "Số cán bộ", "Số liệu nhân sự", "Gian lận", "Tình hình ổn định kỳ 2026-03"):  # fmt: skip
            assert line in text, (fmt, line)
    with pytest.raises(ReportingError):
        reporting.export_report(people.doi_clerk, report_id, "odt")
    with pytest.raises(AccessDenied):
        reporting.export_consolidated(people.hcm_manager, REGIME, "2026-03", "CHQHN", "pdf")
    with pytest.raises(NothingToExport):
        reporting.export_consolidated(people.office, REGIME, "2026-01", "CHQHN", "pdf")


def test_numbers_are_written_the_vietnamese_way() -> None:
    assert [number(1234), number(96.5), number(1234567.25), number(None), number(3.0)] == [
        "1.234", "96,5", "1.234.567,25", "", "3"
    ]  # fmt: skip


def test_the_export_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str, sent: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    monkeypatch.setenv("CCES_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "tong-hop.docx"
    assert main(["reporting", "export", REGIME, "2026-03", "CCHQNB", "--format", "docx", "--out", str(out)]) == 0
    text = nfc(docx_text(out.read_bytes()))
    assert HEADING[0] in text and "BÁO CÁO TỔNG HỢP" in text and "Tổng số vụ" in text
    xlsx = tmp_path / "doi.xlsx"
    report_id = sent[("DOI1", "2026-03")]
    assert main(["reporting", "export", "--report", str(report_id), "--format", "xlsx", "--out", str(xlsx)]) == 0
    assert "Số cán bộ" in xlsx_cells(xlsx.read_bytes())
    capsys.readouterr()
    assert main(["reporting", "export", REGIME, "2026-03", "KHONGCO", "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "không có đơn vị 'KHONGCO'" in err and "no active unit 'KHONGCO'" in err


def test_a_unit_in_between_fills_its_report_from_its_reporters(
    people: People, reporting: ReportingService, sent: dict
) -> None:
    """CCHQNB's report takes DOI1's table rows and text; figures bound to CCES data stay pre-filled (they already
    cover CCHQNB's subtree); a unit nobody reports to is refused in words."""
    own = sent[("CCHQNB", "2026-03")]
    before = reporting.report(people.cc_manager, own)
    filled = reporting.fill_from_reporters(people.cc_manager, own)
    assert filled.values["cases"] == [{"kind": "Buôn lậu", "count": 3}, {"kind": "Gian lận", "count": 4}]
    assert filled.totals == {"cases.count": 7.0} and filled.values["cases_total"] == 7.0
    assert filled.values["summary"] == "Đội Thủ tục hàng hóa xuất nhập khẩu: Tình hình ổn định kỳ 2026-03"
    assert filled.values["staff"] == before.values["staff"]  # CCES-bound: not overwritten by DOI1's 12
    assert filled.report.events[-1].kind == "saved"
    with pytest.raises(ReportingError, match="chưa có đơn vị nào gửi báo cáo"):
        reporting.fill_from_reporters(people.doi_clerk, sent[("DOI1", "2026-03")])
    with pytest.raises(AccessDenied):
        reporting.fill_from_reporters(people.office, own)  # the office admin sees it but does not fill it
