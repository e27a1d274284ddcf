"""The reports page with NiceGUI's simulated user: each report on screen (chart and table), its
exports opened back, and the scope of who may see which unit and the device report."""

from __future__ import annotations

import io
import unicodedata

import openpyxl
import psycopg
import pytest
from nicegui import ui
from pypdf import PdfReader

from hub.accounts.principal import Role
from hub.devices.repository import register_device, set_status
from tests.ui.attendance_data import Month, seed_month
from tests.ui.conftest import SETUP_ADMIN, open_refused, table_rows


@pytest.fixture
def month(ui_database_url: str) -> Month:
    return seed_month(ui_database_url)


def _options(user, marker: str) -> dict:  # noqa: ANN001
    return next(iter(user.find(kind=ui.select, marker=marker).elements)).options


async def test_a_manager_reports_on_their_units_only(sign_in, month: Month) -> None:
    user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
    await user.open(f"/reports?month={month.period}")
    assert set(_options(user, "report-unit")) == {"CCHQNB", "DOI1"}
    rows = await table_rows(user, "table-timesheet")
    assert {r["code"] for r in rows} == {"NV001", "NV002"}
    await user.should_see(marker="chart-timesheet")
    await user.should_not_see("Hoạt động thiết bị")  # the device report is not a manager's

    for unit in ("CHQHCM", "TCHQ"):
        await open_refused(user, f"/reports?unit={unit}&month={month.period}&tab=lateness")
        await user.should_not_see(marker="table-lateness")


async def test_lateness_ranking(sign_in, month: Month) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open(f"/reports?unit=CHQHN&month={month.period}&tab=lateness")
    rows = await table_rows(user, "table-lateness")
    assert [(r["rank"], r["code"], r["name"], r["late"], r["minutes"]) for r in rows] == [
        (1, "NV001", "Nguyễn Văn Đức", 1, 12)
    ]
    assert rows[0]["days"] == f"{month.late_day:%d/%m}"
    await user.should_see(marker="chart-lateness")


async def test_absence_report(sign_in, month: Month, ui_services) -> None:  # noqa: ANN001
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open(f"/reports?unit=CHQHN&month={month.period}&tab=absence")
    rows = {r["code"]: r for r in await table_rows(user, "table-absence")}
    working = ui_services.reports.absences(SETUP_ADMIN, "CHQHN", *_bounds(month)).working_days
    assert rows["NV001"]["absent"] == working - 1  # seen on one working day only
    assert rows["NV002"]["absent"] == working - 1
    assert f"{month.absent_day:%d/%m}" in rows["NV001"]["dates"]
    await user.should_see(marker="chart-absence")


def _bounds(month: Month):  # noqa: ANN202
    from hub.reports.compute import month_period

    return month_period(month.year, month.month)


async def test_device_uptime_for_admins(sign_in, month: Month, ui_database_url: str) -> None:
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        register_device(conn, "door-hn-01", "dev-door-hn-01", "x", rotate=True)
        set_status(conn, "door-hn-01", True, "1.0.0")
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/reports?tab=uptime")
    rows = await table_rows(user, "table-uptime")
    assert [(r["device"], r["now"]) for r in rows] == [("door-hn-01", "Trực tuyến")]


async def test_device_uptime_is_not_for_managers(sign_in) -> None:
    manager = await sign_in((Role.MANAGER, "CCHQNB"))
    await manager.open("/reports?tab=uptime")
    await manager.should_see("Báo cáo thiết bị dành cho quản trị hệ thống và quản trị đơn vị")
    await manager.should_not_see(marker="table-uptime")


async def test_employees_have_no_reports(sign_in) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    await open_refused(user, "/reports")


async def test_bad_month_is_explained(sign_in) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/reports?month=2026-99")
    await user.should_see("Tháng không hợp lệ")


@pytest.mark.parametrize("tab", ["lateness", "absence"])
async def test_report_exports_open_with_vietnamese_names(sign_in, month: Month, tab: str) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open(f"/reports?unit=CCHQNB&month={month.period}&tab={tab}")
    await user.should_see(marker=f"table-{tab}", retries=50)
    user.find(marker=f"export-{tab}-xlsx").click()
    xlsx = await user.download.next(timeout=20)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "Nguyễn Văn Đức" in cells
    user.find(marker=f"export-{tab}-pdf").click()
    pdf = await user.download.next(timeout=20)
    reader = PdfReader(io.BytesIO(pdf.content))
    text = unicodedata.normalize("NFC", "".join(page.extract_text() for page in reader.pages))
    assert "Nguyễn Văn Đức" in text
