"""The clearances page (/documents/clearances, issue 15 item 6): the system admin clears an account for secret
documents through the form, sees it listed in words with the basis and who set it, is refused bad input with the
service's words (nothing written), withdraws it; anyone else is refused the page. Real PostgreSQL and services,
NiceGUI's simulated user."""

from __future__ import annotations

from hub.accounts.principal import Role
from tests.ui.conftest import SETUP_ADMIN, open_refused, sign_in_through_form, sign_out, table_rows

PAGE = "/documents/clearances"


async def test_the_system_admin_sets_and_withdraws_a_clearance(ui_user, make_account, ui_services) -> None:  # noqa: ANN001
    secrecy = ui_services.documents.secrecy
    admin, person = make_account((Role.SYSTEM_ADMIN, None)), make_account((Role.MANAGER, "CCHQNB"))
    user = await sign_in_through_form(ui_user, admin)
    await user.open(PAGE)
    await user.should_see("Quyền tiếp cận văn bản mật")
    await user.should_see(marker="cl-empty")

    user.find(marker="cl-username").type("khong-co-ai")  # an unknown account: the service's words, nothing written
    user.find(marker="cl-save").click()
    await user.should_see("không có tài khoản 'khong-co-ai' / no account 'khong-co-ai'", retries=20)
    assert secrecy.clearances(SETUP_ADMIN) == []

    user.find(marker="cl-username").elements.pop().set_value(person.username)
    user.find(marker="cl-level").elements.pop().set_value(2)
    user.find(marker="cl-basis").elements.pop().set_value("Q" * 201)  # past the limit the form's box keeps to
    user.find(marker="cl-save").click()
    await user.should_see("tối đa 200 ký tự, không có ký tự điều khiển / at most 200 characters", retries=20)
    assert secrecy.clearance(SETUP_ADMIN, person.username).level == 0

    user.find(marker="cl-basis").elements.pop().set_value("QĐ 12/QĐ-HQKV2")
    user.find(marker="cl-save").click()
    rows = await table_rows(user, "cl-list")
    assert [(r["username"], r["level"], r["basis"], r["set_by"]) for r in rows] == [
        (person.username, "Tối mật", "QĐ 12/QĐ-HQKV2", admin.username)
    ]
    assert rows[0]["set_at"] != "—"
    saved = secrecy.clearance(SETUP_ADMIN, person.username)
    assert (saved.level, saved.basis, saved.set_by) == (2, "QĐ 12/QĐ-HQKV2", admin.username)

    user.find(marker="cl-username").type(person.username)  # withdrawn: level 0
    user.find(marker="cl-level").elements.pop().set_value(0)
    user.find(marker="cl-save").click()
    await user.should_see(marker="cl-empty", retries=20)
    assert secrecy.clearance(SETUP_ADMIN, person.username).level == 0
    await sign_out(user)

    user = await sign_in_through_form(ui_user, person)  # a lãnh đạo, not the system admin: refused
    await open_refused(user, PAGE)
    await sign_out(user)


async def test_the_page_speaks_english_and_names_the_levels(ui_user, make_account, ui_services) -> None:  # noqa: ANN001
    admin = make_account((Role.SYSTEM_ADMIN, None), language="en")
    person = make_account((Role.CLERK, "CCHQNB"))
    ui_services.documents.secrecy.set_clearance(SETUP_ADMIN, person.username, 3, "QĐ 7/QĐ-HQKV2")
    user = await sign_in_through_form(ui_user, admin)
    await user.open(PAGE)
    await user.should_see("Secret document clearances")
    rows = await table_rows(user, "cl-list")
    assert [(r["username"], r["level"], r["basis"]) for r in rows] == [
        (person.username, "Top secret (tuyệt mật)", "QĐ 7/QĐ-HQKV2")
    ]
