"""Pages while the database is away: a notice in Vietnamese and English (HTTP 503), not an error
page; an action on an open page is told the same; everything works again once it is back.

The outage is real but this test's own: its database stops taking connections and every session
on it is ended (`ALLOW_CONNECTIONS false` + `pg_terminate_backend`), so the session's shared
PostgreSQL keeps serving the other tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
from nicegui.testing.user import User
from psycopg import sql

from hub.accounts.principal import Role
from tests.ui.conftest import Account

NOTICE_EN = "The database is unavailable"
NOTICE_VI = "Cơ sở dữ liệu tạm thời không truy cập được"


@contextmanager
def database_cut(server_url: str, database_url: str) -> Iterator[None]:
    """The test database refuses connections and loses the ones it had, until the block ends."""
    name = sql.Identifier(urlsplit(database_url).path.lstrip("/"))
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(name))
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (urlsplit(database_url).path.lstrip("/"),),
        )
    try:
        yield
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(name))


async def open_with_status(user: User, path: str) -> int:
    """`user.open(path)` whatever the page's HTTP status (the simulated user opens only 200s); returns it."""
    client = user.http_client
    statuses: list[int] = []
    get = client.get

    async def get_any(*args: Any, **kwargs: Any) -> Any:
        response = await get(*args, **kwargs)
        statuses.append(response.status_code)
        response.status_code = 200
        return response

    client.get = get_any  # type: ignore[method-assign]
    try:
        await user.open(path)
    finally:
        del client.get
    return statuses[-1]


async def wait_until_page_opens(user: User, path: str, deadline_s: float = 30.0) -> None:
    deadline = time.monotonic() + deadline_s
    while (status := await open_with_status(user, path)) != 200:
        assert time.monotonic() < deadline, f"{path} still answers {status} after the database is back"


async def test_a_page_says_the_database_is_unavailable_then_works_again(
    sign_in: Callable[..., Any], postgres_server: str, ui_database_url: str
) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/people")
    await user.should_see(marker="people-table")
    with database_cut(postgres_server, ui_database_url):
        assert await open_with_status(user, "/people") == 503
        await user.should_see(marker="database-unavailable")
        await user.should_see(NOTICE_VI)
        await user.should_see(NOTICE_EN)
        await user.should_not_see(marker="people-table")
    await wait_until_page_opens(user, "/people")
    await user.should_see(marker="people-table")
    await user.should_not_see(marker="database-unavailable")


async def test_an_action_during_the_outage_is_told_so(
    ui_user: User, make_account: Callable[..., Account], postgres_server: str, ui_database_url: str
) -> None:
    account = make_account((Role.SYSTEM_ADMIN, None))
    await ui_user.open("/sign-in")  # no session yet: drawn without the database
    ui_user.find(marker="username").type(account.username)
    ui_user.find(marker="password").type(account.password)
    with database_cut(postgres_server, ui_database_url):
        ui_user.find(marker="sign-in").click()
        await ui_user.should_see(NOTICE_EN, retries=50)
        await ui_user.should_see(NOTICE_VI)
    await ui_user.should_not_see(marker="user-menu")
    deadline = time.monotonic() + 30
    while True:  # the same form, once the database is back: signed in (the pool reconnected by itself)
        ui_user.find(marker="sign-in").click()
        try:
            await ui_user.should_see(marker="user-menu", retries=20)
            break
        except AssertionError:
            assert time.monotonic() < deadline, "sign-in does not work again after the database is back"
