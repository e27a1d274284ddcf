"""The organisation page (/org): the tree, a unit's history, the forms (audited, refusals in words and
nothing changed), who sees what. Real PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from hub.accounts.principal import Role
from tests.ui.conftest import SETUP_ADMIN, table_rows


async def settled(done: Callable[[], bool], tries: int = 300) -> None:
    for _ in range(tries):
        if done():
            return
        await asyncio.sleep(0.05)
    assert done()


def set_value(user, marker: str, value: object) -> None:  # noqa: ANN001
    with user:
        element = user.find(marker=marker).elements.pop()
        element.value = value


async def test_a_system_admin_creates_and_renames_units_and_sees_their_history(sign_in, ui_services) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/org?unit=CHQHN")
    await user.should_see(marker="org-tree", retries=40)
    await user.should_see("Cục Hải quan Hà Nội (CHQHN)")
    history = await table_rows(user, "org-history")
    assert [(r["name"], r["from"], r["to"]) for r in history] == [("Cục Hải quan Hà Nội", "từ đầu", "nay")]

    set_value(user, "org-new-code", "DOI9")
    set_value(user, "org-new-name", "Đội Kiểm soát hải quan")
    set_value(user, "org-new-kind", "team")
    set_value(user, "org-new-parent", "CHQHN")
    user.find(marker="org-new-create").click()
    await settled(lambda: any(u.code == "DOI9" for u in ui_services.org.units(SETUP_ADMIN)))
    await user.open("/org?unit=DOI9")
    await user.should_see("Đội Kiểm soát hải quan (DOI9)", retries=40)
    set_value(user, "org-rename-name", "Đội Kiểm soát hải quan số 9")
    user.find(marker="org-rename").click()
    await settled(lambda: ui_services.org.detail(SETUP_ADMIN, "DOI9").unit.name.endswith("số 9"))
    await user.should_see("Đội Kiểm soát hải quan số 9 (DOI9)", retries=200)  # the page went on to it

    # a refusal is said in words and changes nothing
    await user.open("/org?unit=CHQHN")
    user.find(marker="org-close").click()
    await user.should_see("còn đơn vị trực thuộc", retries=200)  # the refusal, from a worker thread
    assert ui_services.org.detail(SETUP_ADMIN, "CHQHN").unit.valid_to is None
    set_value(user, "org-new-code", "BAD")
    set_value(user, "org-new-name", "Hải quan cửa khẩu lạc chỗ")
    set_value(user, "org-new-kind", "border_gate")
    set_value(user, "org-new-parent", "CHQHN")
    user.find(marker="org-new-create").click()
    await user.should_see("không thể trực thuộc", retries=200)
    assert "BAD" not in {u.code for u in ui_services.org.units(SETUP_ADMIN)}


async def test_who_sees_the_page_and_its_forms(sign_in, make_account, ui_user) -> None:  # noqa: ANN001
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open("/org")
    await user.should_see(marker="org-read-only")
    await user.should_see("Cục Hải quan Hà Nội (CHQHN)")
    await user.should_not_see("Cục Hải quan TP. Hồ Chí Minh (CHQHCM)")
    await user.should_not_see(marker="org-create")
    await user.should_see(marker="nav-/org")


async def test_an_employee_sees_only_their_own_unit_read_only(sign_in) -> None:  # noqa: ANN001
    """org.view is anyone's (as the API's GET /api/v1/org-units): an employee sees their own unit, no form."""
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    await user.open("/org")
    await user.should_see(marker="org-read-only")
    await user.should_see("Đội Thủ tục hàng hóa xuất nhập khẩu (DOI1)")
    await user.should_not_see("Cục Hải quan Hà Nội (CHQHN)")
    await user.should_not_see("Cục Hải quan TP. Hồ Chí Minh (CHQHCM)")
    await user.should_not_see(marker="org-create")
