"""The web UI's sign-in is the API session, and nothing is kept for visitors (issue 12, items 6 and 7),
through NiceGUI's simulated user on real services and PostgreSQL.

- NiceGUI's own `session` cookie is no sign-in on its own: pages follow the API's `cces_session`.
- An open page is signed out when its session ends elsewhere (signed out through the API, revoked).
- `GET /sign-out` only asks; the button, or a POST, signs out.
- A visitor who never signs in leaves no storage file; files older than a session are swept.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from nicegui import app as nicegui_app
from nicegui.testing.user import User

from hub.accounts.models import AccountsPolicy
from hub.accounts.principal import Role
from hub.api.auth import SESSION_COOKIE
from hub.services import HubServices
from tests.ui.conftest import Account, sign_in_through_form, table_rows
from ui.browser_storage import prune_storage

NICEGUI_COOKIE = "session"


def _storage_files() -> list[Path]:
    return sorted(nicegui_app.storage.path.glob("storage-user-*.json"))


async def test_niceguis_own_cookie_is_no_sign_in_without_the_api_session(
    ui_user: User, make_account, ui_services: HubServices
) -> None:
    account: Account = make_account((Role.HR, "CHQHN"))
    await sign_in_through_form(ui_user, account, next_path="/people")
    await table_rows(ui_user, "people-table")
    stolen = ui_user.http_client.cookies.get(NICEGUI_COOKIE)
    assert stolen, "NiceGUI's session cookie is expected in the jar"
    ui_user.http_client.cookies.clear()
    ui_user.http_client.cookies.set(NICEGUI_COOKIE, stolen)  # only NiceGUI's cookie, as a thief would have it
    await ui_user.open("/people")
    await ui_user.should_see(marker="sign-in")
    await ui_user.should_not_see(marker="people-table")


async def test_an_open_page_is_signed_out_when_its_session_ends_elsewhere(
    ui_user: User, make_account, ui_services: HubServices
) -> None:
    ui_services.accounts.policy = AccountsPolicy(session_idle=timedelta(seconds=20))  # pages ask every 2 s
    account: Account = make_account((Role.HR, "CHQHN"))
    await sign_in_through_form(ui_user, account, next_path="/people")
    await table_rows(ui_user, "people-table")
    token = ui_user.http_client.cookies.get(SESSION_COOKIE)
    assert ui_services.accounts.sign_out(token)  # what POST /api/v1/auth/sign-out from another tab does
    await ui_user.should_see(marker="username", retries=150)  # the page went to the sign-in form by itself
    await ui_user.should_not_see(marker="people-table")


async def test_an_open_page_asking_does_not_keep_an_idle_session_alive(
    ui_user: User, make_account, ui_services: HubServices
) -> None:
    ui_services.accounts.policy = AccountsPolicy(session_idle=timedelta(seconds=3))  # pages ask every 0.3 s
    account: Account = make_account((Role.HR, "CHQHN"))
    await sign_in_through_form(ui_user, account, next_path="/people")
    token = ui_user.http_client.cookies.get(SESSION_COOKIE)
    await ui_user.should_see(marker="username", retries=150)  # idle 3 s although the page kept asking
    assert not ui_services.accounts.session_is_live(token)


async def test_get_sign_out_only_asks_and_the_button_or_a_post_signs_out(
    ui_user: User, make_account, ui_services: HubServices
) -> None:
    account: Account = make_account((Role.HR, "CHQHN"))
    await sign_in_through_form(ui_user, account)
    token = ui_user.http_client.cookies.get(SESSION_COOKIE)
    await ui_user.open("/sign-out")  # what a link or an <img> on another site would do
    await ui_user.should_see(marker="sign-out-question")
    assert ui_services.accounts.session_is_live(token)
    ui_user.find(marker="sign-out").click()
    await ui_user.should_see(marker="username", retries=20)
    assert not ui_services.accounts.session_is_live(token)
    assert ui_user.http_client.cookies.get(SESSION_COOKIE) is None

    await sign_in_through_form(ui_user, account)
    token = ui_user.http_client.cookies.get(SESSION_COOKIE)
    response = await ui_user.http_client.post("/sign-out")
    assert response.status_code == 303 and response.headers["location"] == "/sign-in"
    assert not ui_services.accounts.session_is_live(token)
    assert ui_user.http_client.cookies.get(SESSION_COOKIE) is None


async def test_a_visitor_who_never_signs_in_leaves_no_storage(ui_user: User, make_account) -> None:
    for round_ in range(20):
        ui_user.http_client.cookies.clear()  # a new cookieless client each time
        for path in ("/sign-in", "/sign-in?lang=en", "/people", "/sign-in?next=/people&lang=vi", "/sign-out"):
            response = await ui_user.http_client.get(path, follow_redirects=True)
            assert response.status_code == 200, (round_, path, response.status_code)
    await ui_user.open("/sign-in?lang=en")  # the language a visitor picks shows, from the address
    await ui_user.should_see("Sign in")
    assert _storage_files() == []

    account: Account = make_account((Role.HR, "CHQHN"))
    await sign_in_through_form(ui_user, account)
    ui_user.find(marker="sign-out").click()  # signing out empties the browser's storage: its file goes
    await ui_user.should_see(marker="username", retries=20)
    deadline = time.monotonic() + 10
    while _storage_files() and time.monotonic() < deadline:
        await ui_user.should_see(marker="username")  # (lets NiceGUI's background write run)
    assert _storage_files() == []


async def test_after_signing_out_the_form_speaks_the_pages_language(ui_user: User, make_account) -> None:
    account: Account = make_account((Role.HR, "CHQHN"), language="en")
    await sign_in_through_form(ui_user, account)
    await ui_user.should_see("Welcome")
    ui_user.find(marker="sign-out").click()
    await ui_user.should_see("Username", retries=20)  # the form, in English, with nothing stored for it


def test_storage_files_older_than_a_session_are_swept(tmp_path: Path) -> None:
    folder = tmp_path / "ui-storage"
    folder.mkdir()
    old, fresh, other = (folder / n for n in ("storage-user-a.json", "storage-user-b.json", "storage-general.json"))
    for path in (old, fresh, other):
        path.write_text('{"cces_lang": "en"}')
    day_ago = time.time() - 24 * 3600
    os.utime(old, (day_ago, day_ago))
    os.utime(other, (day_ago, day_ago))
    assert prune_storage(folder, timedelta(hours=12)) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["storage-general.json", "storage-user-b.json"]
