"""Shared fixtures of the UI tests: the real pages on real HubServices over a real PostgreSQL,
driven by NiceGUI's simulated user, and accounts with given roles signed in through the form.

    async def test_x(sign_in):
        user = await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")
        await user.open("/people")
        await user.should_see("Nguyễn Văn Đức")

`ui_services` is seeded with the small organisation of tests/hub/orgdata.py (TCHQ ▸ CHQHN ▸
CCHQNB ▸ DOI1, and CHQHCM; employees NV001–NV003).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from nicegui import app as nicegui_app
from nicegui import core, ui
from nicegui.storage import Storage
from nicegui.testing.general import nicegui_reset_globals, prepare_simulation
from nicegui.testing.user import User

from hub.accounts import audit
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.accounts.service import GrantSpec
from hub.biometrics.crypto import Sealer
from hub.biometrics.engines import EngineCache
from hub.biometrics.service import BiometricsService
from hub.db import open_pool
from hub.devices.config import DeviceConfigService
from hub.galleries.runtime import BiometricsRuntime
from hub.galleries.service import GalleryService
from hub.live.feed import LiveFeed
from hub.services import HubServices
from tests.hub.orgdata import seed_org
from ui.testing import open_page

PASSWORD = "mật-khẩu-thử-2026"  # long enough for the policy, with diacritics on purpose
SETUP_ADMIN = Principal(0, "test-setup", "Test setup", None, None, (RoleGrant(Role.SYSTEM_ADMIN, None),))
_numbers = itertools.count(1)


@pytest.fixture
def ui_database_url(database_url: str) -> str:
    """A migrated database with the small test organisation."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    return database_url


@pytest.fixture
def ui_services(ui_database_url: str) -> Iterator[HubServices]:
    """Real HubServices over a real pool (no ingest: the pages read what is stored)."""
    pool = open_pool(ui_database_url, 4)
    try:
        yield HubServices(pool, None)
    finally:
        pool.close()


@pytest.fixture
def live_feed(ui_services: HubServices, ui_database_url: str) -> Iterator[LiveFeed]:
    """The hub's live feed listening on the test database, as HubRuntime wires it for the UI."""
    feed = LiveFeed(ui_database_url, poll_interval_s=0.1)
    feed.start()
    assert feed.wait_connected(10), "the live feed did not connect"
    ui_services.live = feed
    yield feed
    ui_services.live = None
    feed.stop()


@pytest.fixture
def biometrics_on(ui_services: HubServices, models_dir: Path) -> HubServices:
    """The services with the same biometrics parts `cces hub` attaches (no broker: nothing published)."""
    pool, sealer, engines = ui_services.pool, Sealer(secrets.token_bytes(32)), EngineCache(models_dir)
    galleries = GalleryService(pool, sealer, engines, default_pack="yunet-sface", audit=audit.record)
    biometrics = BiometricsService(pool, sealer, engines, check_pack="yunet-sface",
                                   on_change=galleries.request_rebuild, audit=audit.record)  # fmt: skip
    device_config = DeviceConfigService(
        pool, None, gallery_base_url=None, default_pack="yunet-sface", audit=audit.record
    )
    ui_services.attach_biometrics(BiometricsRuntime(biometrics, galleries, device_config, None, 900))
    return ui_services


@dataclass(frozen=True)
class Account:
    username: str
    password: str


@pytest.fixture
def make_account(ui_services: HubServices) -> Callable[..., Account]:
    """Create an account through the accounts service: `make_account((Role.HR, "CHQHN"), employee_code=...)`.

    A grant is (role, unit code); the unit is None for a system admin (and for an employee: their own)."""

    def make(*grants: tuple[Role, str | None], employee_code: str | None = None, language: str = "vi") -> Account:
        username = f"user{next(_numbers)}"
        ui_services.accounts.create_user(
            SETUP_ADMIN,
            username=username,
            password=PASSWORD,
            display_name=f"Người dùng {username}",
            employee_code=employee_code,
            grants=[GrantSpec(role, unit) for role, unit in grants],
            language=language,
        )
        return Account(username, PASSWORD)

    return make


@asynccontextmanager
async def simulated_app(
    register: Callable[[], object], *, storage_path: Path | None = None, storage_secret: str | None = None
) -> AsyncIterator[User]:
    """A NiceGUI app holding only the pages `register` adds, and NiceGUI's simulated user on it.

    With `storage_path`, per-browser storage (session tokens) goes there instead of the working directory."""
    with nicegui_reset_globals():
        os.environ["NICEGUI_USER_SIMULATION"] = "true"
        old_path = Storage.path
        if storage_path is not None:
            Storage.path = storage_path
            nicegui_app.storage = Storage()
        try:
            register()
            prepare_simulation()
            ui.run(storage_secret=storage_secret, show_welcome_message=False)
            async with core.app.router.lifespan_context(core.app):
                transport = httpx.ASGITransport(core.app)
                async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                    yield User(client)
        finally:
            os.environ.pop("NICEGUI_USER_SIMULATION", None)
            Storage.path = old_path
            from nicegui.functions.download import download
            from nicegui.functions.navigate import Navigate
            from nicegui.functions.notify import notify

            ui.navigate = Navigate()
            ui.notify = notify
            ui.download = download


@pytest.fixture
async def ui_user(ui_services: HubServices, tmp_path: Path) -> AsyncIterator[User]:
    """A simulated browser on every page of the admin UI (ui.app.register_pages), not signed in."""
    from ui.app import register_pages

    async with simulated_app(
        lambda: register_pages(ui_services), storage_path=tmp_path / "nicegui-storage", storage_secret="ui-test-secret"
    ) as user:
        yield user


async def sign_in_through_form(user: User, account: Account, next_path: str = "/") -> User:
    """Open the sign-in page and sign in as a person would; waits until the shell shows the user."""
    await user.open(f"/sign-in?next={next_path}")
    user.find(marker="username").type(account.username)
    user.find(marker="password").type(account.password)
    user.find(marker="sign-in").click()
    await user.should_see(marker="user-menu", retries=20)
    return user


async def sign_out(user: User) -> None:
    """Sign out with the user menu's button (GET /sign-out only asks), back at the sign-in form."""
    user.find(marker="sign-out").click()
    await user.should_see(marker="username", retries=20)


@pytest.fixture
def sign_in(ui_user: User, make_account: Callable[..., Account]) -> Callable[..., Awaitable[User]]:
    """`await sign_in((Role.MANAGER, "CCHQNB"), employee_code="NV002")` → the simulated user, signed in."""

    async def go(*grants: tuple[Role, str | None], employee_code: str | None = None, language: str = "vi") -> User:
        account = make_account(*grants, employee_code=employee_code, language=language)
        return await sign_in_through_form(ui_user, account)

    return go


async def open_refused(user: User, path: str, *, marker: str = "forbidden") -> None:
    """Open a page the signed-in user may not see: the hub answers HTTP 403 and draws the refusal
    (marked `marker`), which the test can then look at."""
    status = await open_page(user, path)
    assert status == 403, f"{path}: expected HTTP 403, got {status}"
    await user.should_see(marker=marker)


async def table_rows(user: User, marker: str, retries: int = 20) -> list[dict]:
    """The rows of the table marked `marker` (table cells are data, not elements `should_see` finds)."""
    await user.should_see(marker=marker, retries=retries)
    with user:
        tables = [e for e in user.find(marker=marker).elements if isinstance(e, ui.table)]
    assert len(tables) == 1, f"expected one table marked {marker!r}, found {len(tables)}"
    return list(tables[0].rows)


async def set_field(user: User, marker: str, value: object, kind: type[ui.element] = ui.element) -> None:
    """Give the one form field marked `marker` (of `kind`: an input, a select) a value, as a person choosing it
    would, and let its handlers run."""
    with user:
        element = user.find(marker=marker).elements.pop()
        assert isinstance(element, kind)
        element.value = value  # type: ignore[attr-defined]
    await asyncio.sleep(0.1)
