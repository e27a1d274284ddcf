"""Employee import from CSV and XLSX: valid rows in, rejected rows reported by row, column and reason;
only within the importer's units; files read within their limits."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import psutil
import psycopg
import pytest
from openpyxl import Workbook

from hub.people.importing import OutsideScope, RowError, import_employees
from hub.people.models import UnitKind
from hub.people.repository import employee_by_code, unit_by_code
from hub.people.service import create_unit
from hub.people.sheet_process import read_employee_file, read_upload, read_xlsx
from hub.people.sheets import ImportFileError, ImportLimits, read_csv
from hub.settings import ImportSettings
from tests.hub.people.workbooks import declared, extra_rows, patched, workbook

LIMITS = ImportLimits.from_settings(ImportSettings())  # the defaults of the settings

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
    rows, ignored = read_csv(CSV_VI.encode(), LIMITS)
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
    rows, _ = read_csv(CSV_VI.encode(), LIMITS)
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
    rows, ignored = read_employee_file(path, LIMITS)
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
        read_csv("Họ và tên,Mã đơn vị\nA,B\n".encode(), LIMITS)
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_csv("Mã nhân viên,Tên\n".encode("latin-1"), LIMITS)  # what a Windows-1252 export gives
    with pytest.raises(ImportFileError, match="XLSX"):
        read_xlsx(b"PK\x03\x04 not really a zip", LIMITS)
    with pytest.raises(ImportFileError, match="appears twice"):
        read_csv(b"employee_code,ma nhan vien,full_name,unit_code,person_id\n", LIMITS)
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(ImportFileError, match="empty"):
        read_xlsx(buffer.getvalue(), LIMITS)


# --- only employees the importer may change, where they are now and where they go ------------------


def _snapshot(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("org_units", "employees")}  # noqa: S608


def test_an_import_scoped_to_a_unit_changes_nothing_outside_it(org: psycopg.Connection) -> None:
    """HR of CHQHN (path of CHQHN) imports: NV003 of CHQHCM moved into DOI1, and a new employee
    written to unit 123 (under CHQHCM) through a number cell 123.0. Both rows are refused, and so the file."""
    create_unit(org, "123", "Đội 123", UnitKind.TEAM, "CHQHCM")
    hanoi = unit_by_code(org, "CHQHN")
    assert hanoi is not None
    before = _snapshot(org)
    takeover = {"employee_code": "NV003", "full_name": "Lê Minh Đạt", "unit_code": "DOI1", "person_id": "nv-0200"}
    numeric = {"employee_code": "NV401", "full_name": "Phan Bội Châu", "unit_code": 123.0, "person_id": "nv-0401"}
    mine = {"employee_code": "NV402", "full_name": "Phan Chu Trinh", "unit_code": "DOI1", "person_id": "nv-0402"}
    with pytest.raises(OutsideScope) as refused:
        import_employees(org, [mine, takeover, numeric], scope=[hanoi.path])
    assert refused.value.rows == [3, 4]
    assert "employee NV003 is in a unit outside yours" in str(refused.value) and "unit 123" in str(refused.value)
    assert _snapshot(org) == before
    # the same rows with no scope (a system admin, the CLI) are written, and the report says what changed
    report = import_employees(org, [mine, takeover, numeric])
    assert (report.inserted, report.updated, report.rejected) == (2, 1, [])
    moved = next(c for c in report.changes if c.employee_code == "NV003")
    assert moved.before is not None and moved.before["unit_code"] == "CHQHCM" and moved.after["unit_code"] == "DOI1"
    assert moved.before_unit_path != moved.unit_path
    assert employee_by_code(org, "NV401").unit_code == "123"  # type: ignore[union-attr]
    again = import_employees(org, [mine, takeover, numeric])
    assert (again.updated, again.changes) == (3, [])  # nothing changed: nothing for the audit log


# --- CSV: Excel's quoting, and fields over the limits -----------------------------------------------


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_csv_quoted_fields_keep_their_doubled_quotes(org: psycopg.Connection, separator: str) -> None:
    """The header has no quotes, so the sniffer guessed `doublequote=False`: "Lê ""Bé"" Thị F" came out
    as Lê "Bé"" Thị F". Only the separator is taken from the header line now."""
    lines = [
        ["employee_code", "full_name", "unit_code", "person_id"],
        ["NV501", '"Lê ""Bé"" Thị F"', "DOI1", "nv-0501"],
        ["NV502", '"Trần, Văn; G"', "DOI1", "nv-0502"],
    ]
    data = "\ufeff" + "\r\n".join(separator.join(cells) for cells in lines) + "\r\n"
    rows, _ = read_csv(data.encode(), LIMITS)
    assert [r.values["full_name"] for r in rows] == ['Lê "Bé" Thị F', "Trần, Văn; G"]
    assert import_employees(org, rows).inserted == 2
    assert employee_by_code(org, "NV501").full_name == 'Lê "Bé" Thị F'  # type: ignore[union-attr]


def test_csv_over_a_limit_is_refused_whole_with_a_clear_message() -> None:
    header = "employee_code,full_name,unit_code,person_id,ghi_chu\n"
    huge = header + "NV1,A,DOI1,p1," + "x" * 200_000 + "\n"  # over the csv module's own field limit (131,072)
    with pytest.raises(ImportFileError, match=r"dòng 2: ô dài hơn 1,000 ký tự / row 2: a cell longer than 1,000"):
        read_csv(huge.encode(), LIMITS)
    long = header + "NV1,A,DOI1,p1," + "x" * 1_001 + "\n"
    with pytest.raises(ImportFileError, match=r"row 2, column E: a cell longer than 1,000 characters"):
        read_csv(long.encode(), LIMITS)
    with pytest.raises(ImportFileError, match=r"dòng 2, cột B: .* / row 2, column B: a cell holds a NUL character"):
        read_csv((header + "NV1,A\x00,DOI1,p1,\n").encode(), LIMITS)
    small = replace(LIMITS, max_rows=3, max_columns=8, max_file_bytes=2_000)
    rows = "".join(f"NV{i},A,DOI1,p{i},\n" for i in range(3))
    assert len(read_csv((header + rows + ",,,,\n" * 50).encode(), small)[0]) == 3  # empty lines after: fine
    with pytest.raises(ImportFileError, match=r"more than 3 data rows \(row 5\)"):
        read_csv((header + rows + "NV9,A,DOI1,p9,\n").encode(), small)
    with pytest.raises(ImportFileError, match=r"row 2, column I: at most 8 columns"):
        read_csv((header + "NV1,A,DOI1,p1,,,,,x\n").encode(), small)
    with pytest.raises(ImportFileError, match=r"tệp lớn hơn 2,000 bytes.* / the file is larger than 2,000 bytes"):
        read_csv((header + "x" * 2_000).encode(), small)


# --- XLSX: the declared size is ignored, rows are read one by one, within a memory budget -------------

HEADER = ["employee_code", "full_name", "unit_code", "person_id"]
BUDGET = replace(LIMITS, reader_memory_bytes=256 * 1024 * 1024)  # the reader's address space, Python included


def _rss() -> int:
    return psutil.Process(os.getpid()).memory_info().rss


def test_a_sheet_declaring_a_million_rows_and_16384_columns_is_read_within_a_fixed_budget() -> None:
    """A 5 KB sheet declaring A1:XFD3000 with a (formatted, empty) row 3000 made openpyxl pad 3,000 rows
    to 16,384 cells each: 375 MB. Declaring A1:XFD1048576 with something in row 1,048,576 asked for
    about 120 GB. The declared size is ignored and the rows are read one by one, by a process that may
    not use more than BUDGET (Python included); the hub's own memory does not move."""
    plain = workbook([HEADER, ["NV1", "Nguyễn Văn A", "DOI1", "p1"]])
    start = _rss()
    for last in (3_000, 1_048_576):
        data = extra_rows(declared(plain, f"A1:XFD{last}"), f'<row r="{last}" ht="20" customHeight="1"/>')
        assert len(data) < 6_000
        rows, ignored = read_xlsx(data, BUDGET)  # every row after the second is empty: read as it is
        assert [(r.number, r.values["employee_code"]) for r in rows] == [(2, "NV1")] and ignored == []
    # a value in the last row: more rows than the cap, refused
    last_row = extra_rows(declared(plain, "A1:XFD1048576"), '<row r="1048576"><c r="A1048576"><v>7</v></c></row>')
    with pytest.raises(ImportFileError, match=r"more than 20,000 data rows \(row 1048576\)"):
        read_xlsx(last_row, BUDGET)
    # a value in the last column: more columns than the cap, refused
    last_column = extra_rows(plain, '<row r="3"><c r="XFD3"><v>7</v></c></row>')
    with pytest.raises(ImportFileError, match=r"row 3, column XFD: at most 64 columns"):
        read_xlsx(last_column, BUDGET)
    assert _rss() - start < 64 * 1024 * 1024  # what the hub holds: the answer, not the sheet


def test_a_workbook_that_needs_more_than_the_budget_is_refused_and_the_hub_is_untouched() -> None:
    """One row of a million empty cells (9 KB zipped): openpyxl builds the whole row (300 MB) before
    any cap can look at it. The reading process hits its memory limit; the import is refused."""
    wide = extra_rows(workbook([HEADER]), '<row r="2">' + "<c/>" * 1_000_000 + "</row>")
    assert len(wide) < 20_000
    start = _rss()
    with pytest.raises(ImportFileError, match=r"more than 256 MB of memory or 60 s"):
        read_xlsx(wide, BUDGET)
    assert _rss() - start < 64 * 1024 * 1024


def test_xlsx_cells_over_the_limits_and_odd_values() -> None:
    long = workbook([HEADER, ["NV1", "x" * 1_001, "DOI1", "p1"]])
    with pytest.raises(ImportFileError, match=r"row 2, column B: a cell longer than 1,000 characters"):
        read_xlsx(long, LIMITS)
    with pytest.raises(ImportFileError, match=rf"larger than {len(long) - 1:,} bytes"):
        read_xlsx(long, replace(LIMITS, max_file_bytes=len(long) - 1))
    # a number written as 402.0 by another tool, a date, a time: they come back as they were
    odd = patched(workbook([HEADER, [402, "A", "DOI1", "p1"]]), lambda xml: xml.replace("<v>402</v>", "<v>402.0</v>"))
    rows, _ = read_xlsx(odd, LIMITS)
    assert rows[0].values["employee_code"] == 402.0
    dated = workbook([[*HEADER, "active_from"], ["NV1", "A", "DOI1", "p1", datetime(2025, 1, 2, 7, 30)]])
    assert read_xlsx(dated, LIMITS)[0][0].values["active_from"] == datetime(2025, 1, 2, 7, 30)


def test_an_old_excel_file_is_refused_with_what_to_do() -> None:
    with pytest.raises(ImportFileError, match=r"/ only .xlsx and .csv files are read; save it again as .xlsx"):
        read_upload("Danh sách.XLS", b"\xd0\xcf\x11\xe0 an OLE2 file", LIMITS)
