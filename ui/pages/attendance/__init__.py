"""Attendance pages (chấm công): the index, the live feed, a unit's day, a person's month with
corrections, the monthly sheet — one module each in this package.

Units and people are addressed by their codes (mã đơn vị, mã cán bộ), the same identifiers the
REST API uses; months and days by their ISO spelling in the address, chosen with the pickers on
the page. All figures come from `HubServices` (computed from the raw events on request).
"""

from __future__ import annotations

from hub.services import HubServices
from hub.timekeeping import access as timekeeping_access
from ui.i18n import N_
from ui.pages.attendance.index import render_index
from ui.pages.attendance.live import render_live
from ui.pages.attendance.person_month import render_person_month
from ui.pages.attendance.timesheet import render_timesheet
from ui.pages.attendance.unit_day import render_unit_day
from ui.shell import PageContext, module_page


def register(services: HubServices) -> None:
    """Add the attendance pages to the shell (the index and the live feed appear in the navigation)."""
    unit_view = timekeeping_access.VIEW_UNIT  # managers, HR, office admins over the unit

    @module_page(
        "/attendance", text_key=N_("Chấm công"), icon="fact_check", action=timekeeping_access.VIEW_PERSON, order=30
    )
    def attendance_index(ctx: PageContext) -> None:
        render_index(ctx)

    @module_page("/attendance/live", text_key=N_("Chấm công trực tiếp"), icon="sensors", action=unit_view, order=31)
    def attendance_live(ctx: PageContext) -> None:
        render_live(ctx)

    @module_page("/attendance/unit/{unit_code}/{day}", text_key=N_("Chấm công trong ngày"), icon="today",
                 action=unit_view, order=32, in_nav=False)  # fmt: skip
    async def attendance_unit_day(ctx: PageContext, unit_code: str, day: str) -> None:
        await render_unit_day(ctx, unit_code, day)

    @module_page("/attendance/person/{employee_code}/{period}", text_key=N_("Chấm công trong tháng"), icon="person",
                 action=timekeeping_access.VIEW_PERSON, order=33, in_nav=False)  # fmt: skip
    def attendance_person_month(ctx: PageContext, employee_code: str, period: str) -> None:
        render_person_month(ctx, employee_code, period)

    @module_page("/attendance/timesheet/{unit_code}/{period}", text_key=N_("Bảng chấm công"), icon="table_view",
                 action=unit_view, order=34, in_nav=False)  # fmt: skip
    async def attendance_timesheet(ctx: PageContext, unit_code: str, period: str) -> None:
        await render_timesheet(ctx, unit_code, period)
