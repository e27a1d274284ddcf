"""Attendance pages with NiceGUI's simulated user on real services and a real PostgreSQL.

Roles are checked as people meet them: an employee sees their own month and the 403 for
anyone else's; a manager sees their units (and sub-units) and nothing above or beside them.
"""

from __future__ import annotations

import io
import unicodedata

import openpyxl
import psycopg
import pytest
from nicegui import ui
from pypdf import PdfReader

from hub.accounts.principal import Role
from tests.ui.attendance_data import Month, seed_month
from tests.ui.conftest import open_refused, table_rows


@pytest.fixture
def month(ui_database_url: str) -> Month:
    return seed_month(ui_database_url)


def _row(rows: list[dict], **match: str) -> dict:
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one row with {match}, found {found}"
    return found[0]


async def test_employee_sees_their_own_month(sign_in, month: Month) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    await user.open(f"/attendance/person/NV001/{month.period}")
    await user.should_see("Nguyễn Văn Đức")
    rows = await table_rows(user, "person-month")
    late = _row(rows, iso=month.late_day.isoformat())
    assert late["status"] == "Đi muộn 12 phút"
    assert (late["first_in"], late["last_out"], late["symbol"]) == ("08:12", "17:05", "M")
    assert _row(rows, iso=month.absent_day.isoformat())["status"] == "Vắng mặt"
    await user.should_see("Số lần đi muộn: 1")
    await user.should_not_see(marker="correction-form")  # an employee corrects nothing


async def test_employee_cannot_open_another_persons_month(sign_in, month: Month) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    await open_refused(user, f"/attendance/person/NV002/{month.period}")
    await user.should_not_see("Trần Thị Lan")
    await user.should_not_see(marker="person-month")


async def test_employee_cannot_open_a_units_day_or_sheet(sign_in, month: Month) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    for path in (f"/attendance/unit/DOI1/{month.late_day}", f"/attendance/timesheet/DOI1/{month.period}"):
        await open_refused(user, path)
        await user.should_not_see("Nguyễn Văn Đức")


async def test_index_lists_only_the_managers_units(sign_in, month: Month) -> None:
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    await user.open("/attendance")
    codes = [r["code"] for r in await table_rows(user, "attendance-units")]
    assert codes == ["CCHQNB", "DOI1"]
    await user.should_see("Chấm công của tôi")  # their own month, as an employee too


async def test_manager_sees_their_units_day_and_not_others(sign_in, month: Month) -> None:
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    await user.open(f"/attendance/unit/CCHQNB/{month.late_day}")
    rows = await table_rows(user, "unit-day")
    assert {r["code"] for r in rows} == {"NV001", "NV002"}  # DOI1 is under CCHQNB; NV003 is elsewhere
    assert _row(rows, code="NV001")["status"] == "Đi muộn 12 phút"
    assert _row(rows, code="NV002")["status"] == "Có mặt"
    await user.should_see("2 người")

    for other in ("CHQHCM", "CHQHN", "TCHQ"):  # beside, above, the top
        await open_refused(user, f"/attendance/unit/{other}/{month.late_day}")
        await user.should_not_see(marker="unit-day")
    await open_refused(user, f"/attendance/person/NV003/{month.period}")
    await user.should_not_see("Lê Minh Đạt")


async def test_unit_day_filters_by_status(sign_in, month: Month) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open(f"/attendance/unit/CHQHN/{month.absent_day}")
    assert {r["code"] for r in await table_rows(user, "unit-day")} == {"NV001", "NV002"}
    await user.open(f"/attendance/unit/CHQHN/{month.late_day}")
    await table_rows(user, "unit-day")  # the figures come after the page connects
    select = next(iter(user.find(kind=ui.select, marker="unit-day-status").elements))
    select.set_value(["late"])
    assert [r["code"] for r in await table_rows(user, "unit-day")] == ["NV001"]
    search = next(iter(user.find(kind=ui.input, marker="unit-day-search").elements))
    select.set_value([])
    search.set_value("lan")
    assert [r["code"] for r in await table_rows(user, "unit-day")] == ["NV002"]


async def test_bad_day_and_unknown_unit_are_explained(sign_in, month: Month) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/attendance/unit/DOI1/2026-13-40")
    await user.should_see("Ngày không hợp lệ")
    await user.open(f"/attendance/unit/KHONGCO/{month.late_day}")
    await user.should_see("Không tìm thấy đơn vị")
    await user.open("/attendance/person/NV999/2026-01")
    await user.should_see("Không tìm thấy cán bộ")


async def test_manager_corrects_a_day_with_a_reason_and_the_events_stay(
    sign_in, month: Month, ui_database_url: str
) -> None:
    with psycopg.connect(ui_database_url) as conn:
        events_before = conn.execute("SELECT count(*) FROM attendance_events").fetchone()[0]
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    await user.open(f"/attendance/person/NV001/{month.period}")
    await user.should_see(marker="correction-form")

    def field(marker: str):  # noqa: ANN202 - a NiceGUI element
        return next(iter(user.find(marker=marker).elements))

    field("correction-day").set_value(month.absent_day.isoformat())
    field("correction-status").set_value("business_trip")
    user.find(marker="correction-save").click()  # no reason: refused, nothing written
    await user.should_see(marker="correction-problem", content="reason")
    with psycopg.connect(ui_database_url) as conn:
        assert conn.execute("SELECT count(*) FROM timekeeping_corrections").fetchone()[0] == 0

    user.find(marker="correction-reason").type("Đi công tác Hải Phòng theo quyết định 12/QĐ")
    user.find(marker="correction-save").click()
    await user.should_see("Đã lưu điều chỉnh")
    row = _row(await table_rows(user, "person-month"), iso=month.absent_day.isoformat())
    assert row["status"] == "Đi công tác"
    assert row["symbol"] == "CT*"
    assert "Đi công tác Hải Phòng theo quyết định 12/QĐ" in row["correction"]
    assert "theo sự kiện: Vắng mặt" in row["correction"]  # what the events said is still shown
    await user.should_see("Lịch sử điều chỉnh")
    with psycopg.connect(ui_database_url) as conn:
        assert conn.execute("SELECT count(*) FROM attendance_events").fetchone()[0] == events_before
        stored = conn.execute("SELECT reason, status FROM timekeeping_corrections").fetchall()
    assert stored == [("Đi công tác Hải Phòng theo quyết định 12/QĐ", "business_trip")]


async def test_correction_with_times_recomputes_the_day(sign_in, month: Month) -> None:
    user = await sign_in((Role.HR, "DOI1"))
    await user.open(f"/attendance/person/NV001/{month.period}")
    next(iter(user.find(marker="correction-day").elements)).set_value(month.absent_day.isoformat())
    user.find(marker="correction-first-in").type("07:58")
    user.find(marker="correction-last-out").type("17:02")
    user.find(marker="correction-reason").type("Máy chấm công hỏng, có xác nhận của Đội trưởng")
    user.find(marker="correction-save").click()
    await user.should_see("Đã lưu điều chỉnh")
    row = _row(await table_rows(user, "person-month"), iso=month.absent_day.isoformat())
    assert (row["first_in"], row["last_out"], row["status"]) == ("07:58", "17:02", "Có mặt")


async def test_a_manager_does_not_correct_their_own_days(sign_in, month: Month) -> None:
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    await user.open(f"/attendance/person/NV002/{month.period}")
    await user.should_see("Trần Thị Lan")
    await user.should_not_see(marker="correction-form")
    await user.should_see("Không thể tự điều chỉnh chấm công của chính mình")


async def test_timesheet_shows_symbols_and_totals(sign_in, month: Month) -> None:
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    await user.open(f"/attendance/timesheet/CCHQNB/{month.period}")
    await user.should_see("Bảng chấm công")
    rows = await table_rows(user, "timesheet")
    nv001 = _row(rows, code="NV001")
    assert nv001["name"] == "Nguyễn Văn Đức"
    assert nv001[f"d{month.late_day.day}"] == "M"
    assert nv001[f"d{month.absent_day.day}"] == "V"
    assert nv001["late"] == 1
    assert _row(rows, code="NV002")[f"d{month.late_day.day}"] == "+"
    assert {r["code"] for r in rows} == {"NV001", "NV002"}
    await open_refused(user, f"/attendance/timesheet/CHQHCM/{month.period}")


async def test_english_texts(sign_in, month: Month) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001", language="en")
    await user.open(f"/attendance/person/NV001/{month.period}")
    assert _row(await table_rows(user, "person-month"), iso=month.late_day.isoformat())["status"] == "Late by 12 min"
    await user.should_see("Attendance of the month")


async def test_timesheet_exports_open_with_vietnamese_names(sign_in, month: Month) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open(f"/attendance/timesheet/CCHQNB/{month.period}")
    await user.should_see(marker="export-timesheet-xlsx", retries=50)  # drawn once the sheet is computed
    user.find(marker="export-timesheet-xlsx").click()
    xlsx = await user.download.next(timeout=20)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"Nguyễn Văn Đức", "Trần Thị Lan"} <= cells
    assert any("Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài" in c for c in cells)
    assert "Lê Minh Đạt" not in cells  # CHQHCM is not part of CCHQNB

    user.find(marker="export-timesheet-pdf").click()
    pdf = await user.download.next(timeout=20)
    assert pdf.content.startswith(b"%PDF")
    text = unicodedata.normalize(
        "NFC", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    )
    assert "Nguyễn Văn Đức" in text and "Trần Thị Lan" in text
