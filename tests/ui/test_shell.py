"""The shell and sign-in, through the simulated user on real services and PostgreSQL."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.api.auth import SESSION_COOKIE
from tests.ui.conftest import Account, open_refused, sign_in_through_form, table_rows


def _nav_paths(user: User) -> set[str]:
    """The pages the navigation offers (marked nav-<path> by the shell)."""
    with user:
        return {
            marker.removeprefix("nav-")
            for element in user.find(marker="nav").elements
            for child in element.descendants()
            for marker in child._markers  # noqa: SLF001
            if marker.startswith("nav-/")
        }


async def test_a_page_asks_for_sign_in_and_comes_back_afterwards(ui_user: User, make_account) -> None:
    account = make_account((Role.HR, "CHQHN"))
    await ui_user.open("/people?q=duc")
    await ui_user.should_see("Đăng nhập")
    await ui_user.should_not_see(marker="user-menu")
    ui_user.find(marker="username").type(account.username)
    ui_user.find(marker="password").type(account.password)
    ui_user.find(marker="sign-in").click()
    rows = await table_rows(ui_user, "people-table")  # the people list, searched for "duc"
    assert [r["full_name"] for r in rows] == ["Nguyễn Văn Đức"]


async def test_wrong_password_and_rate_limit_are_told_apart(ui_user: User, make_account, ui_services) -> None:
    account = make_account((Role.HR, "CHQHN"))
    await ui_user.open("/sign-in")
    ui_user.find(marker="sign-in").click()
    await ui_user.should_see("Nhập tên đăng nhập và mật khẩu.")
    for _ in range(ui_services.accounts.policy.max_failures_per_user):
        with ui_user:
            ui_user.find(marker="username").elements.pop().value = account.username
            ui_user.find(marker="password").elements.pop().value = "sai-mat-khau"
        ui_user.find(marker="sign-in").click()
        await ui_user.should_see("Tên đăng nhập hoặc mật khẩu không đúng.")
    # now even the right password is refused, with a different message saying when to retry
    with ui_user:
        ui_user.find(marker="password").elements.pop().value = account.password
    ui_user.find(marker="sign-in").click()
    await ui_user.should_see("Đăng nhập sai quá nhiều lần")
    await ui_user.should_not_see(marker="user-menu")


async def test_navigation_shows_only_what_the_roles_allow(sign_in) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    paths = _nav_paths(user)
    assert "/" in paths
    assert "/people" not in paths and "/devices" not in paths and "/users" not in paths

    await open_refused(user, "/devices")
    await user.should_see("Không có quyền truy cập")
    await user.should_not_see(marker="fleet")


async def test_office_admin_sees_devices_and_people_in_the_navigation(sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    paths = _nav_paths(user)
    assert {"/", "/people", "/devices"} <= paths
    await user.open("/")
    await user.should_see(marker="ingest-counters")


async def test_language_switch_turns_the_page_english_and_stays(sign_in) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open("/people")
    await user.should_see("Nhân sự")
    with user:
        toggle = user.find(marker="language").elements.pop()
        assert isinstance(toggle, ui.toggle)
        toggle.value = "en"
    await user.should_see("People", retries=20)
    await user.should_see("Only current staff")
    await user.open("/")
    await user.should_see("Welcome")


async def test_sign_out_ends_the_session_at_the_hub(ui_user: User, make_account, ui_services) -> None:
    account: Account = make_account((Role.HR, "CHQHN"))
    await sign_in_through_form(ui_user, account)
    ui_user.find(marker="sign-out").click()
    await ui_user.should_see(marker="sign-in", retries=20)
    await ui_user.open("/people")
    await ui_user.should_see(marker="sign-in")  # back to the form: the session is gone, not only forgotten
    with ui_services.pool.connection() as conn:
        live = conn.execute(
            "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
            " WHERE u.username = %s AND s.revoked_at IS NULL",
            (account.username,),
        ).fetchone()
    assert live is not None and live[0] == 0


async def test_the_ui_sign_in_sets_the_api_cookie_and_sign_out_clears_it(
    ui_user: User, make_account, ui_services
) -> None:
    """One session for the browser: the form's sign-in also puts its token in the API's HttpOnly cookie
    (so the API answers the same browser), and signing out revokes it and clears the cookie."""
    account: Account = make_account((Role.HR, "CHQHN"))
    await sign_in_through_form(ui_user, account, next_path="/people")
    await ui_user.should_see(marker="people-table")  # and went on to the page asked for
    cookie = ui_user.http_client.cookies.get(SESSION_COOKIE)
    assert cookie, "no API session cookie after the UI's sign-in"
    principal = ui_services.accounts.principal_for_session(cookie)
    assert principal is not None and principal.username == account.username
    ui_user.find(marker="sign-out").click()
    await ui_user.should_see(marker="sign-in", retries=20)
    assert ui_user.http_client.cookies.get(SESSION_COOKIE) is None
    assert ui_services.accounts.principal_for_session(cookie) is None


async def test_a_browser_signed_in_through_the_api_is_signed_in_on_the_pages(
    ui_user: User, make_account, ui_services
) -> None:
    account: Account = make_account((Role.HR, "CHQHN"))
    signed = ui_services.accounts.sign_in(account.username, account.password)  # what POST /api/v1/auth/sign-in does
    ui_user.http_client.cookies.set(SESSION_COOKIE, signed.token)
    await ui_user.open("/people")
    await ui_user.should_see(marker="people-table")
    ui_user.http_client.cookies.clear()  # another browser, with a made-up cookie
    ui_user.http_client.cookies.set(SESSION_COOKIE, "not-a-session")
    await ui_user.open("/people")
    await ui_user.should_see(marker="sign-in")


async def test_a_signed_in_user_going_to_sign_in_is_sent_on(sign_in) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open("/sign-in?next=/people")
    await user.should_see(marker="people-table")


async def test_next_must_be_a_local_path(ui_user: User, make_account) -> None:
    account = make_account((Role.HR, "CHQHN"))
    await sign_in_through_form(ui_user, account, next_path="//evil.example/")
    await ui_user.should_see("Xin chào")  # home, not another site
