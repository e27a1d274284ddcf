"""The people list and a person's page, scoped by role, simulated user on real services."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import psycopg
import pytest
from nicegui import ui
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.people.importing import import_employees
from hub.services import HubServices
from tests.ui.conftest import SETUP_ADMIN, open_refused, table_rows
from ui.components.format import LOCAL_TZ


async def _select(user: User, marker: str, value: object) -> None:
    """Set a filter as a person would; the list refreshes on the next turns of the event loop."""
    with user:
        element = user.find(marker=marker).elements.pop()
        assert isinstance(element, (ui.select, ui.switch, ui.input))
        element.value = value
    await asyncio.sleep(0.1)


async def _codes(user: User) -> list[str]:
    return [r["employee_code"] for r in await table_rows(user, "people-table")]


async def test_hr_sees_only_their_units_and_searches_without_diacritics(sign_in) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open("/people")
    assert await _codes(user) == ["NV002", "NV001"]  # CCHQNB, then its team DOI1; never CHQHCM's NV003
    with user:
        units = user.find(marker="people-unit").elements.pop()
        assert set(units.options) == {"", "CHQHN", "CCHQNB", "DOI1"}  # only their subtree to pick from

    await _select(user, "people-search", "nguyen duc")
    await user.should_see(marker="people-table")
    assert await _codes(user) == ["NV001"]
    await _select(user, "people-search", "Đạt")  # NV003 exists, but in another Cục
    assert await _codes(user) == []
    await user.should_see(marker="no-people")


async def test_unit_and_position_filters(sign_in) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open("/people")
    with user:
        positions = user.find(marker="people-position").elements.pop()
        assert set(positions.options) == {"", "Công chức", "Phó Chi cục trưởng"}
    await _select(user, "people-position", "Phó Chi cục trưởng")
    assert await _codes(user) == ["NV002"]
    await _select(user, "people-position", "")
    await _select(user, "people-unit", "DOI1")
    assert await _codes(user) == ["NV001"]
    with user:
        assert set(user.find(marker="people-position").elements.pop().options) == {"", "Công chức"}


async def test_the_url_keeps_the_filters(sign_in) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open("/people?q=lan&unit=CCHQNB")
    assert await _codes(user) == ["NV002"]


async def test_former_staff_are_hidden_until_asked_for_and_pages_turn(sign_in, ui_database_url: str) -> None:
    rows = [
        {"employee_code": f"NV1{i:02d}", "full_name": f"Phạm Văn Số {i:02d}", "unit_code": "DOI1",
         "person_id": f"nv-1{i:02d}"}
        for i in range(30)
    ]  # fmt: skip
    rows.append({"employee_code": "NV199", "full_name": "Hoàng Văn Cũ", "unit_code": "DOI1", "person_id": "nv-199",
                 "active_from": date(2001, 1, 1), "active_to": date(2020, 12, 31)})  # fmt: skip
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        assert import_employees(conn, rows).rejected == []
    user = await sign_in((Role.MANAGER, "DOI1"))
    await user.open("/people")
    await user.should_see("Trang 1/2 · 31 mục")
    assert len(await _codes(user)) == 25
    user.find(marker="people-next").click()
    await user.should_see("Trang 2/2 · 31 mục")
    assert "NV199" not in await _codes(user)

    await _select(user, "people-active", False)
    await user.should_see("Trang 1/2 · 32 mục")
    await _select(user, "people-search", "hoang cu")
    assert await _codes(user) == ["NV199"]


async def test_several_separate_units_are_listed_one_at_a_time(sign_in) -> None:
    user = await sign_in((Role.HR, "DOI1"), (Role.HR, "CHQHCM"))
    await user.open("/people")
    with user:
        units = user.find(marker="people-unit").elements.pop()
        assert set(units.options) == {"CHQHCM", "DOI1"} and units.value in ("CHQHCM", "DOI1")
    first = await _codes(user)
    assert first in (["NV001"], ["NV003"])
    # outside the grants: refused, as GET /api/v1/employees?unit=TCHQ is (one rule, tests/test_access_agreement.py)
    await open_refused(user, "/people?unit=TCHQ")


async def test_person_page_shows_unit_schedule_faceid_and_this_month(sign_in, ui_services: HubServices) -> None:
    user = await sign_in((Role.MANAGER, "CCHQNB"))
    await user.open("/people/NV001")
    await user.should_see("Nguyễn Văn Đức")
    await user.should_see("Đội Thủ tục hàng hóa xuất nhập khẩu (DOI1)")
    await user.should_see("nv-0001")
    today = datetime.now(LOCAL_TZ).date()
    month = ui_services.timekeeping.person_month(SETUP_ADMIN, "NV001", today.year, today.month)
    with user:
        shown = user.find(marker="total-working_days").elements.pop()
        link = user.find(marker="open-month").elements.pop()
    assert shown.text == str(month.sheet.working_days)
    assert link.props["href"] == f"/attendance/person/NV001/{today.year:04d}-{today.month:02d}"
    await user.should_not_see(marker="open-enrollment")  # a manager does not enroll faces


async def test_hr_gets_the_enrollment_button(sign_in) -> None:
    user = await sign_in((Role.HR, "CCHQNB"))
    await user.open("/people/NV001")
    await user.should_see(marker="open-enrollment")


@pytest.mark.parametrize(
    ("grants", "employee_code", "page", "allowed"),
    [
        ([(Role.EMPLOYEE, None)], "NV001", "/people/NV001", True),  # themself
        ([(Role.EMPLOYEE, None)], "NV001", "/people/NV002", False),  # a colleague
        ([(Role.EMPLOYEE, None)], "NV001", "/people", False),  # the list
        ([(Role.MANAGER, "CCHQNB")], None, "/people/NV003", False),  # another Cục
        ([(Role.MANAGER, "CHQHN")], None, "/people/NV002", True),  # a unit below theirs
    ],
)
async def test_who_may_open_a_person(sign_in, grants, employee_code, page, allowed) -> None:
    user = await sign_in(*grants, employee_code=employee_code)
    if allowed:
        await user.open(page)
        await user.should_not_see("Không có quyền truy cập")
        await user.should_see(marker="person-facts" if page != "/people" else "people-table")
    else:
        await open_refused(user, page)
        await user.should_see("Không có quyền truy cập")
        await user.should_not_see(marker="person-facts")
        await user.should_not_see(marker="people-table")


async def test_unknown_employee(sign_in) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open("/people/NV999")
    await user.should_see("Không có cán bộ mã NV999.")
