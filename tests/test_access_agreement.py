"""The API and the UI give the same answer, for every role and every action both of them offer.

Generated from the rule book: for each action every domain declares (hub.domains.DOMAINS), the API
routes that name it (hub.api.auth.route_actions) are paired with the pages that name it
(ui.shell.registered_pages) when both take the same target (a unit, a person, a device, an account,
with the same day or month; GET routes: what a page shows). Each pair is asked by an account of each
role — granted on CCHQNB, or the plain employee NV001 of DOI1 below it — about a target inside that
unit and one outside it (CHQHCM), over the real app and the real pages on one seeded database; the route's answer
(403 or not) must equal the page's (the refusal page or not). A page and a route of one action that
disagree fail here, naming the role, the target and both answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from nicegui.testing.user import User

from hub.access import Action
from hub.accounts import audit
from hub.accounts.principal import Role
from hub.api.app import create_app
from hub.api.auth import SESSION_COOKIE, api_routes, route_actions
from hub.devices.repository import register_device
from hub.domains import all_actions
from hub.services import HubServices
from tests.ui.conftest import SETUP_ADMIN, make_account, simulated_app, ui_database_url, ui_services
from ui.shell import NavEntry, registered_pages
from ui.testing import open_page

__all__ = ["make_account", "ui_database_url", "ui_services"]  # the UI tests' fixtures, shared

#: parameters that say what a request is about; a page's query parameter `unit` is the routes' `unit_code`
TARGET_PARAMS = {"unit_code", "employee_code", "device_id", "user_id", "day", "period"}
ALIASES = {"unit": "unit_code"}
#: what may come as a query parameter and still name the target (a `day` or `period` query only filters)
QUERY_TARGETS = {"unit", "unit_code", "employee_code", "device_id", "user_id"}
COMMON = {"day": "2025-11-03", "period": "2025-11"}
INSIDE = {"unit_code": "CCHQNB", "employee_code": "NV001", "device_id": "door-in-01"}
OUTSIDE = {"unit_code": "CHQHCM", "employee_code": "NV003", "device_id": "door-out-01"}
ROLES: dict[str, tuple[Role, str | None]] = {
    "system_admin": (Role.SYSTEM_ADMIN, None),
    "office_admin": (Role.OFFICE_ADMIN, "CCHQNB"),
    "hr": (Role.HR, "CCHQNB"),
    "manager": (Role.MANAGER, "CCHQNB"),
    "asset_officer": (Role.ASSET_OFFICER, "CCHQNB"),
    "clerk": (Role.CLERK, "CCHQNB"),
    "employee": (Role.EMPLOYEE, None),
}


def _targets(names: set[str]) -> frozenset[str]:
    return frozenset(ALIASES.get(n, n) for n in names if ALIASES.get(n, n) in TARGET_PARAMS)


def _path_params(path: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"\{(\w+)(?::\w+)?\}", path)}


@dataclass(frozen=True)
class Pair:
    action: Action
    method: str
    route: str  # path template
    route_query: frozenset[str]  # the target parameters the route takes as query parameters
    page: str  # path template
    page_query: frozenset[str]  # the page's query parameters that are targets (by their own names)

    def api_url(self, target: dict[str, str]) -> str:
        values = {**COMMON, **target}
        url = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m.group(1)], self.route)
        query = "&".join(f"{q}={values[ALIASES.get(q, q)]}" for q in sorted(self.route_query))
        return f"{url}?{query}" if query else url

    def page_url(self, target: dict[str, str]) -> str:
        values = {**COMMON, **target}
        url = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m.group(1)], self.page)
        query = "&".join(f"{q}={values[ALIASES.get(q, q)]}" for q in sorted(self.page_query))
        return f"{url}?{query}" if query else url

    def __str__(self) -> str:
        return f"{self.action.name}: {self.method} {self.route} ~ {self.page}"


def pairs() -> list[Pair]:
    """Every (route, page) of one declared action taking the same target."""
    from ui.app import register_pages

    app = create_app(None)  # type: ignore[arg-type]
    register_pages(None)  # type: ignore[arg-type]  # the registry of pages (no page is served)
    routes: dict[Action, list[tuple[str, str, frozenset[str]]]] = {}
    table = route_actions(app)
    for method, path, route in api_routes(app):
        action = table[(method, path)]
        if action is None or action.public or method != "GET":
            continue  # a page shows what a GET reads (a change without its body is refused 422 before its target)
        query = {p.name for p in route.dependant.query_params}  # type: ignore[attr-defined]
        if not _path_params(path) <= TARGET_PARAMS:
            continue  # about something no page shows by itself (a grant, a command, a job)
        routes.setdefault(action, []).append((method, path, frozenset(q for q in query if q in QUERY_TARGETS)))
    pages: dict[Action, list[NavEntry]] = {}
    for entry in registered_pages():
        if entry.action is not None:
            pages.setdefault(entry.action, []).append(entry)
    found = []
    for action in all_actions():
        for method, path, query in routes.get(action, []):
            for entry in pages.get(action, []):
                page_query = frozenset(p for p in entry.params if p not in _path_params(entry.path))
                page_query = frozenset(q for q in page_query if q in QUERY_TARGETS)
                if _targets(_path_params(path) | query) == _targets(_path_params(entry.path) | page_query):
                    found.append(Pair(action, method, path, query, entry.path, page_query))
    return found


PAIRS = pairs()


def test_the_pairs_cover_the_actions_both_sides_offer() -> None:
    covered = {p.action.name for p in PAIRS}
    assert {
        "people.list", "timekeeping.view_unit", "timekeeping.view_person", "reports.view_unit", "devices.view",
        "offices.view", "accounts.manage_users", "audit.read", "jobs.view",
    } <= covered, covered  # fmt: skip


@dataclass
class World:
    services: HubServices
    api: TestClient


@pytest.fixture
def world(ui_services: HubServices, ui_database_url: str) -> Iterator[World]:
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        register_device(conn, "door-in-01", "door-in-01", "x", kind="faceid", site="tru-so-nb")
        register_device(conn, "door-out-01", "door-out-01", "x", kind="faceid", site="tru-so-hcm")
    actor = audit.Actor("test-setup")
    ui_services.offices.set_site_units(SETUP_ADMIN, "tru-so-nb", ["CCHQNB"], actor)
    ui_services.offices.set_site_units(SETUP_ADMIN, "tru-so-hcm", ["CHQHCM"], actor)
    with TestClient(create_app(ui_services)) as client:
        yield World(ui_services, client)


async def _page_allows(user: User, url: str) -> bool:
    status = await open_page(user, url)
    if status == 403:
        return False
    await user.should_see(marker="user-menu")
    try:
        await user.should_see(marker="forbidden", retries=2)
    except AssertionError:
        return True
    return False


@pytest.mark.parametrize("role", sorted(ROLES))
async def test_the_api_and_the_ui_agree(role: str, world: World, make_account, tmp_path: Path) -> None:
    from ui.app import register_pages

    grant = ROLES[role]
    account = make_account(grant, employee_code="NV001" if grant[0] is Role.EMPLOYEE else None)
    inside_user = make_account((Role.EMPLOYEE, None), employee_code="NV002")
    outside_user = make_account((Role.EMPLOYEE, None), employee_code="NV003")
    ids = {
        u.username: world.services.accounts.find_users(SETUP_ADMIN, u.username)[1][0].id
        for u in (inside_user, outside_user)
    }
    targets = {
        "inside": {**INSIDE, "user_id": str(ids[inside_user.username])},
        "outside": {**OUTSIDE, "user_id": str(ids[outside_user.username])},
    }
    token = world.services.accounts.sign_in(account.username, account.password).token
    headers = {"Authorization": f"Bearer {token}"}
    disagreements = []
    async with simulated_app(
        lambda: register_pages(world.services), storage_path=tmp_path / "storage", storage_secret="agreement"
    ) as user:
        user.http_client.cookies.set(SESSION_COOKIE, token)
        for pair in PAIRS:
            for where, target in targets.items():
                api_status = world.api.request(pair.method, pair.api_url(target), headers=headers).status_code
                assert api_status != 401
                page_allows = await _page_allows(user, pair.page_url(target))
                if (api_status != 403) != page_allows:
                    disagreements.append(
                        f"{role} · {where} · {pair}: API {pair.api_url(target)} → {api_status},"
                        f" page {pair.page_url(target)} → {'shown' if page_allows else 'refused'}"
                    )
    assert not disagreements, "\n".join(disagreements)


#: pages that name no single action, each with the reason; anything else without one fails below
PAGES_WITHOUT_ONE_ACTION = {
    "/": "the start page: each of its panels is drawn only when its own action allows it",
}


def test_a_page_that_reaches_domain_data_names_its_action() -> None:
    """Every page of the shell names the rule book's action it shows (as every route does, see
    tests/hub/api/test_route_auth.py), so a new page without one fails here."""
    from ui.app import register_pages

    register_pages(None)  # type: ignore[arg-type]
    names = {a.name for a in all_actions()}
    missing = [e.path for e in registered_pages() if e.action is None and e.path not in PAGES_WITHOUT_ONE_ACTION]
    assert not missing, f"name the action of these pages (module_page(..., action=...)): {missing}"
    unknown = [e.path for e in registered_pages() if e.action is not None and e.action.name not in names]
    assert not unknown, f"pages naming actions no registered domain declares: {unknown}"
