"""Employee import from CSV and XLSX: valid rows in, rejected rows reported by row, column and reason."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from openpyxl import Workbook

from hub.people.importing import ImportFileError, RowError, import_employees, read_csv, read_employee_file, read_xlsx
from hub.people.repository import employee_by_code

CSV_VI = (
    "\ufeffMã nhân viên;Họ và tên;Mã đơn vị;Chức vụ;Mã FaceID;Từ ngày;Ghi chú\n"
    "NV101;Phạm Thị Hồng;DOI1;Công chức;nv-0101;01/03/2024;\n"
    "NV102;;DOI1;;nv-0102;;thiếu tên\n"
    "NV103;Vũ Văn Nam;KHONGCO;;nv-0103;;\n"
    "NV104;Hoàng Văn Hải;CHQHCM;;nv-0001;;trùng FaceID với NV001\n"
    "NV105;Đỗ Thị Mai;CHQHCM;;nv-0105;31/02/2024;\n"
    "NV106;Bùi Quang Huy;CHQHCM;;nv-0106;;\n"
    "NV107;Ngô Bảo Châu;CHQHCM;;nv-0106;;\n"
    ";;;;;;\n"
)


def test_csv_import_reports_each_rejected_row_and_imports_the_rest(org: psycopg.Connection) -> None:
    rows, ignored = read_csv(CSV_VI.encode())
    assert ignored == ["Ghi chú"]
    report = import_employees(org, rows, ignored_columns=ignored)
    assert report.rows == 7 and report.written
    assert report.inserted == 1 and report.updated == 0
    assert report.rejected == [
        RowError(3, "full_name", "missing"),
        RowError(4, "unit_code", "unknown unit code 'KHONGCO'"),
        RowError(5, "person_id", "duplicate person_id 'nv-0001': held by employee NV001"),
        RowError(6, "active_from", "'31/02/2024' is not a date (use dd/mm/yyyy or yyyy-mm-dd)"),
        RowError(7, "person_id", "duplicate person_id 'nv-0106' (also on row 8)"),
        RowError(8, "person_id", "duplicate person_id 'nv-0106' (also on row 7)"),
    ]
    assert report.summary() == "7 rows: 1 added, 0 updated, 6 rejected (imported)"
    hong = employee_by_code(org, "NV101")
    assert hong and hong.full_name == "Phạm Thị Hồng" and hong.active_from == date(2024, 3, 1)
    assert hong.schedule_code == "HC" and hong.unit_code == "DOI1" and hong.position == "Công chức"
    assert employee_by_code(org, "NV106") is None


def test_all_or_nothing_writes_nothing_when_a_row_is_rejected(org: psycopg.Connection) -> None:
    rows, _ = read_csv(CSV_VI.encode())
    report = import_employees(org, rows, all_or_nothing=True)
    assert not report.written and report.inserted == 0 and len(report.rejected_rows) == 6
    assert employee_by_code(org, "NV101") is None


def test_importing_again_updates_by_employee_code(org: psycopg.Connection) -> None:
    first = import_employees(org, [{"employee_code": "NV001", "full_name": "Nguyễn Văn Đức", "unit_code": "CHQHCM",
                                    "person_id": "nv-0001", "active_to": "2026-12-31"}])  # fmt: skip
    assert (first.inserted, first.updated, first.rejected) == (0, 1, [])
    moved = employee_by_code(org, "NV001")
    assert moved and moved.unit_code == "CHQHCM" and moved.active_to == date(2026, 12, 31)


def test_xlsx_with_english_headers_number_codes_and_date_cells(org: psycopg.Connection, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["employee_code", "full_name", "unit_code", "person_id", "schedule_code", "active_from", "active_to"])
    sheet.append([201, "Đinh Công Tráng", "DOI1", "nv-0201", None, datetime(2025, 1, 2), None])
    sheet.append(["NV202", "Lý Thường Kiệt", "DOI1", "nv-0202", "CA3", None, None])
    sheet.append(["NV203", "Mạc Đĩnh Chi", "DOI1", "nv-0203", "HC", date(2025, 5, 1), date(2025, 4, 1)])
    sheet.append(["NV204", "Chu Văn An", "DOI1", "", None, None, None])
    path = tmp_path / "nhan_vien.xlsx"
    book.save(path)
    rows, ignored = read_employee_file(path)
    assert ignored == []
    report = import_employees(org, rows)
    assert report.inserted == 1
    assert report.rejected == [
        RowError(3, "schedule_code", "unknown work schedule 'CA3'"),
        RowError(4, "active_to", "01/04/2025 is before active_from 01/05/2025"),
        RowError(5, "person_id", "missing"),
    ]
    trang = employee_by_code(org, "201")
    assert trang and trang.active_from == date(2025, 1, 2) and trang.person_id == "nv-0201"


def test_files_that_cannot_be_read_are_refused_whole() -> None:
    with pytest.raises(ImportFileError, match="required column"):
        read_csv("Họ và tên,Mã đơn vị\nA,B\n".encode())
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_csv("Mã nhân viên,Tên\n".encode("latin-1"))  # what a Windows-1252 export gives
    with pytest.raises(ImportFileError, match="XLSX"):
        read_xlsx(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError, match="appears twice"):
        read_csv(b"employee_code,ma nhan vien,full_name,unit_code,person_id\n")
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(ImportFileError, match="empty"):
        read_xlsx(buffer.getvalue())
