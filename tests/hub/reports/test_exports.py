"""Exports opened again: the .xlsx with openpyxl, the .pdf's text with pypdf — Vietnamese must come back exactly."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hub.devices.repository import register_device, set_status
from hub.people.importing import import_employees
from hub.reports.compute import absences, day_presence, device_uptime, lateness, offline_devices
from hub.reports.documents import (
    ExportFormat,
    absence_document,
    ascii_slug,
    lateness_document,
    offline_devices_document,
    presence_document,
    timesheet_document,
    uptime_document,
)
from hub.reports.export import render
from hub.reports.export_pdf import FontMissing, PdfFonts, render_pdf
from hub.timekeeping.engine import AbsenceKind, DayPart
from hub.timekeeping.service import approve_absence, record_correction, unit_timesheet
from tests.hub.orgdata import add_event

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MON = date(2026, 11, 2)
NHUNG = "Nguyễn Thị Hồng Nhung"
BRANCH = "Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài"


@pytest.fixture
def branch(org: psycopg.Connection) -> psycopg.Connection:
    report = import_employees(
        org,
        [{"employee_code": "NV004", "full_name": NHUNG, "unit_code": "CCHQNB", "person_id": "nv-0004",
          "position": "Kiểm tra viên hải quan"}],
    )  # fmt: skip
    assert report.inserted == 1
    add_event(org, "nv-0004", datetime(2026, 11, 2, 8, 25), "in")
    add_event(org, "nv-0004", datetime(2026, 11, 2, 17, 0), "out")
    add_event(org, "nv-0001", datetime(2026, 11, 2, 7, 58), "in")
    add_event(org, "nv-0001", datetime(2026, 11, 2, 17, 2), "out")
    approve_absence(org, "NV002", AbsenceKind.LEAVE, date(2026, 11, 3), date(2026, 11, 4), "tp")
    return org


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def xlsx_values(content: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_the_monthly_timesheet_as_xlsx(branch: psycopg.Connection) -> None:
    doc = timesheet_document(unit_timesheet(branch, "CCHQNB", 2026, 11, now=NOW), NOW)
    exported = render(doc, ExportFormat.XLSX)
    assert exported.filename == "bang-cham-cong_CCHQNB_2026-11.xlsx"
    assert exported.media_type.endswith("spreadsheetml.sheet")
    rows = xlsx_values(exported.content)
    assert rows[0][0] == f"Đơn vị: {BRANCH}"
    assert rows[1][0] == "BẢNG CHẤM CÔNG" and rows[2][0] == "Tháng 11 năm 2026"
    header, weekdays = rows[4], rows[5]
    assert header[:4] == ["STT", "Mã CB", "Họ và tên", "1"] and header[32] == "30"
    assert weekdays[3:5] == ["CN", "T2"]  # 1 November 2026 is a Sunday
    body = {r[1]: r for r in rows[6:9]}
    assert set(body) == {"NV002", "NV001", "NV004"}
    nhung = body["NV004"]
    assert nhung[2] == NHUNG and nhung[3 + 1] == "M"  # late on Monday the 2nd
    assert body["NV002"][2] == "Trần Thị Lan" and body["NV002"][3 + 2 : 3 + 4] == ["P", "P"]
    assert nhung[header.index("Muộn (lần)")] == 1 and nhung[header.index("Muộn (phút)")] == 25
    flat = [v for row in rows for v in row if isinstance(v, str)]
    assert "Ký hiệu chấm công:" in flat and "Vắng không phép" in flat
    assert "Người lập biểu" in flat and "Thủ trưởng đơn vị" in flat
    assert "Ngày 23 tháng 11 năm 2026" in flat


def test_the_monthly_timesheet_as_pdf_keeps_vietnamese(branch: psycopg.Connection) -> None:
    approve_absence(
        branch, "NV001", AbsenceKind.LEAVE, date(2026, 11, 5), date(2026, 11, 5), "tp", part=DayPart.MORNING
    )
    add_event(branch, "nv-0001", datetime(2026, 11, 5, 12, 55), "in")
    add_event(branch, "nv-0001", datetime(2026, 11, 5, 17, 1), "out")
    record_correction(branch, "NV001", day=date(2026, 11, 5), reason="Đến sớm hơn", author="tp",
                      first_in=datetime(2026, 11, 5, 5, 50, tzinfo=UTC))  # fmt: skip
    doc = timesheet_document(unit_timesheet(branch, "CCHQNB", 2026, 11, now=NOW), NOW)
    duc = next(r for r in doc.rows if r[1] == "NV001")
    assert duc[3 + 4] == "+/P*"  # half a day on leave, corrected: the widest cell must print whole
    exported = render(doc, ExportFormat.PDF)
    assert exported.content.startswith(b"%PDF") and exported.filename.endswith("_2026-11.pdf")
    reader = PdfReader(io.BytesIO(exported.content))
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts  # an embedded font, not a standard one without Vietnamese letters
    text = pdf_text(exported.content)
    for expected in (NHUNG, "Trần Thị Lan", "Nguyễn Văn Đức", BRANCH, "BẢNG CHẤM CÔNG", "Tháng 11 năm 2026",
                     "Người lập biểu", "Thủ trưởng đơn vị", "Không chấm công vào", "Ký hiệu chấm công",
                     " +/P* "):  # fmt: skip
        assert expected in text, expected


def test_a_sheet_of_many_pages_repeats_its_header(branch: psycopg.Connection) -> None:
    rows = [{"employee_code": f"NX{i:04d}", "full_name": f"{NHUNG} {i}", "unit_code": "DOI1",
             "person_id": f"nx-{i:04d}"} for i in range(120)]  # fmt: skip
    assert import_employees(branch, rows).inserted == 120
    exported = render(timesheet_document(unit_timesheet(branch, "CCHQNB", 2026, 11, now=NOW), NOW), ExportFormat.PDF)
    reader = PdfReader(io.BytesIO(exported.content))
    assert len(reader.pages) >= 3
    pages = [unicodedata.normalize("NFC", p.extract_text()) for p in reader.pages]
    assert all("Họ và tên" in p for p in pages[:-1]) and all(f"/{len(pages)}" in p for p in pages)
    assert f"{NHUNG} 119" in "".join(pages)


def test_other_reports_export_in_both_formats(branch: psycopg.Connection) -> None:
    register_device(branch, "door-nb-01", "door-nb-01", "x", kind="faceid", site="Nội Bài")
    set_status(branch, "door-nb-01", True, None)
    set_status(branch, "door-nb-01", False, None)
    documents = [
        lateness_document(lateness(branch, "CCHQNB", MON, date(2026, 11, 6), NOW), NOW),
        absence_document(absences(branch, "CCHQNB", MON, date(2026, 11, 6), NOW), NOW),
        presence_document(day_presence(branch, "CCHQNB", MON, NOW), NOW),
        uptime_document(device_uptime(branch, NOW - timedelta(days=1), NOW, NOW + timedelta(seconds=1)), NOW),
        offline_devices_document(offline_devices(branch), NOW),
    ]
    expected = {
        "BÁO CÁO ĐI MUỘN, VỀ SỚM": NHUNG,
        "BÁO CÁO VẮNG MẶT": "Trần Thị Lan",
        "TÌNH HÌNH CÓ MẶT": "Đi muộn",
        "BÁO CÁO THỜI GIAN HOẠT ĐỘNG THIẾT BỊ": "Nội Bài",
        "THIẾT BỊ MẤT KẾT NỐI": "door-nb-01",
    }
    for doc in documents:
        pdf = pdf_text(render(doc, ExportFormat.PDF).content)
        values = xlsx_values(render(doc, ExportFormat.XLSX).content)
        flat = [v for row in values for v in row if isinstance(v, str)]
        assert doc.title in pdf and expected[doc.title] in pdf, doc.title
        assert doc.title in flat and expected[doc.title] in flat, doc.title
    lateness_rows = xlsx_values(render(documents[0], ExportFormat.XLSX).content)
    assert [r[:6] for r in lateness_rows if r[0] == 1] == [[1, "NV004", NHUNG, BRANCH, 1, 25]]


def test_filenames_are_ascii_and_a_missing_font_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert ascii_slug("Chi cục Hải quan Đà Nẵng") == "chi-cuc-hai-quan-da-nang"
    fonts = PdfFonts.installed()
    assert fonts.regular.name == "DejaVuSans.ttf"
    broken = PdfFonts(tmp_path / "none.ttf", fonts.bold, fonts.italic)
    with pytest.raises((FontMissing, FileNotFoundError, OSError)):
        render_pdf(offline_devices_document([], NOW), broken)


def test_every_row_of_a_long_sheet_is_in_the_xlsx_with_the_first_rows_styles(branch: psycopg.Connection) -> None:
    """Rows after the first are written as XML text with the first row's styles: values, types and
    looks must be what openpyxl itself would have written."""
    rows = [{"employee_code": f"NX{i:04d}", "full_name": f"{NHUNG} <{i}> & co", "unit_code": "DOI1",
             "person_id": f"nx-{i:04d}"} for i in range(60)]  # fmt: skip
    assert import_employees(branch, rows).inserted == 60
    approve_absence(branch, "NX0007", AbsenceKind.LEAVE, date(2026, 11, 2), date(2026, 11, 4), "tp")
    add_event(branch, "nx-0009", datetime(2026, 11, 3, 8, 40), "in")  # late, no departure
    doc = timesheet_document(unit_timesheet(branch, "CCHQNB", 2026, 11, now=NOW), NOW)
    ws = load_workbook(io.BytesIO(render(doc, ExportFormat.XLSX).content)).active
    first_body = 7
    body = [list(r) for r in ws.iter_rows(min_row=first_body, max_row=first_body + len(doc.rows) - 1, values_only=True)]
    assert body == [[None if v == "" else v for v in row] for row in doc.rows]
    legend_row = next(r[0].row for r in ws.iter_rows() if r[0].value == "Ký hiệu chấm công:")
    assert legend_row > first_body + len(doc.rows)  # what openpyxl wrote after the table stays after it
    look = [[repr((c.border, c.fill, c.alignment, c.font)) for c in r] for r in ws.iter_rows(min_row=first_body)][
        : len(doc.rows)
    ]
    assert all(row == look[0] for row in look), "a body row is styled differently from the first"
    assert ws.freeze_panes == f"D{first_body}"
