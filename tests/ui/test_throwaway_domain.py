"""A domain added with no edit to any shared file: one `Domain` record registered in hub.domains, and its
route, its page, its navigation entry, its command and its rule appear in the API, the UI and the CLI.

Everything of the throw-away domain lives in this module (the references point here); the app, the
pages and the parser are built by the real code (hub.api.app.create_app, ui.app.register_pages,
cces.cli.build_parser), which loop over hub.domains.DOMAINS.
"""

from __future__ import annotations

import argparse
import functools
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient
from nicegui import ui

from hub.access import Action, Scope, declared
from hub.accounts.principal import Role
from hub.api.app import create_app
from hub.api.auth import current_principal, route_actions
from hub.domains import DOMAINS, Domain, NavLink, register, unregister
from hub.services import HubServices
from tests.ui.conftest import Account, open_refused, sign_in_through_form, simulated_app
from ui import i18n
from ui.shell import PageContext, forget_pages, module_page, nav_entries

HERE = __name__

READ = Action("throwaway.read", "xem sổ tạm", "read the scratch book", roles=(Role.CLERK,), scope=Scope.UNIT)
WRITE = Action("throwaway.write", "ghi sổ tạm", "write the scratch book", roles=(), scope=Scope.ADMINISTRATION)
REPORT = Action("throwaway.report", "báo cáo sổ tạm", "scratch book report", roles=(Role.CLERK,))

THROWAWAY = Domain(
    "throwaway", "Sổ tạm", "Scratch book",
    actions=(READ, WRITE, REPORT),
    api=(f"{HERE}:router",),
    pages=(f"{HERE}:pages",),
    nav=(NavLink("/throwaway/report", "Báo cáo sổ tạm", "Scratch report", "description", REPORT, order=99),),
    cli=(f"{HERE}:commands",),
    catalogue=f"{HERE}:catalogue",
)  # fmt: skip


def router() -> APIRouter:
    r = APIRouter(prefix="/api/v1/throwaway", tags=["throwaway"])

    @r.get("/entries", openapi_extra=READ.route())
    def entries(request: Request) -> dict[str, Any]:
        return {"entries": ["một", "hai"], "by": current_principal(request).username}

    @r.post("/entries", openapi_extra=WRITE.route(), status_code=201)
    def add_entry() -> dict[str, str]:
        return {"added": "ba"}

    return r


@functools.cache
def catalogue() -> Path:
    """The domain's own texts, as a plug-in ships them: a compiled gettext catalogue (made here with Babel)."""
    folder = Path(tempfile.mkdtemp(prefix="throwaway-locale-"))
    english = Catalog(locale="en", domain="throwaway")
    english.add("Sổ tạm", "Scratch book")
    (folder / "en" / "LC_MESSAGES").mkdir(parents=True)
    with (folder / "en" / "LC_MESSAGES" / "throwaway.mo").open("wb") as handle:
        write_mo(handle, english)
    return folder


def pages(services: HubServices) -> None:
    @module_page("/throwaway", text_key="Sổ tạm", icon="book", action=READ, order=98)
    def scratch(ctx: PageContext) -> None:
        ui.label("Trang sổ tạm").mark("throwaway-page")

    @module_page("/throwaway/report", text_key="Sổ tạm", icon="book", action=REPORT, order=99, in_nav=False)
    def report(ctx: PageContext) -> None:
        ui.label("Báo cáo").mark("throwaway-report")


def commands(add: Callable[..., argparse.ArgumentParser], sub: Any, hub_config: Callable) -> None:
    p = add("throwaway", None, "the scratch book")
    actions = p.add_subparsers(dest="throwaway_command", required=True, metavar="ACTION")
    hello = add("hello", lambda args: print(f"xin chào {args.name}") or 0, "say hello", actions)
    hello.add_argument("name")


@pytest.fixture
def throwaway() -> Iterator[Domain]:
    register(THROWAWAY)
    try:
        yield THROWAWAY
    finally:
        unregister(THROWAWAY.name)
        i18n.remove_catalogue(THROWAWAY.name)
        forget_pages("/throwaway", "/throwaway/report")  # else a later test in this process still sees its pages


def test_its_route_appears_guarded_by_its_declared_action(throwaway: Domain, ui_services: HubServices, make_account):
    app = create_app(ui_services)
    table = route_actions(app)
    assert table[("GET", "/api/v1/throwaway/entries")] is READ and table[("POST", "/api/v1/throwaway/entries")] is WRITE
    assert declared()["throwaway.read"] is READ
    clerk = make_account((Role.CLERK, "CCHQNB"))
    employee = make_account((Role.EMPLOYEE, None), employee_code="NV001")
    client = TestClient(app)
    assert client.get("/api/v1/throwaway/entries").status_code == 401

    def as_(account: Account) -> dict[str, str]:
        return {"Authorization": f"Bearer {ui_services.accounts.sign_in(account.username, account.password).token}"}

    answer = client.get("/api/v1/throwaway/entries", headers=as_(clerk))
    assert answer.status_code == 200 and answer.json()["entries"] == ["một", "hai"]
    refused = client.get("/api/v1/throwaway/entries", headers=as_(employee))
    assert refused.status_code == 403 and "xem sổ tạm" in refused.json()["detail"]
    assert client.post("/api/v1/throwaway/entries", headers=as_(clerk)).status_code == 403  # system admin only
    # gone again with the domain: the registry is the only list
    unregister(THROWAWAY.name)
    assert ("GET", "/api/v1/throwaway/entries") not in route_actions(create_app(ui_services))


async def test_its_page_and_navigation_entries_appear_for_those_its_actions_allow(
    throwaway: Domain, ui_services: HubServices, make_account, tmp_path
) -> None:
    from ui.app import register_pages

    clerk = make_account((Role.CLERK, "CCHQNB"))
    employee = make_account((Role.EMPLOYEE, None), employee_code="NV001")
    async with simulated_app(
        lambda: register_pages(ui_services), storage_path=tmp_path / "s", storage_secret="throwaway"
    ) as user:
        await sign_in_through_form(user, clerk)
        principal = ui_services.accounts.sign_in(clerk.username, clerk.password).principal
        paths = {e.path for e in nav_entries(principal)}
        assert {"/throwaway", "/throwaway/report"} <= paths  # its page's entry and its declared NavLink
        await user.open("/throwaway")
        await user.should_see(marker="throwaway-page")
        await user.should_see("Sổ tạm")
        await user.should_see(marker="nav-/throwaway/report")
        await user.should_see("Báo cáo sổ tạm")  # the NavLink's own Vietnamese
        assert i18n.t("Sổ tạm", "en") == "Scratch book"  # its page's title, from the domain's own catalogue
        titles = {e.path: e.title("en") for e in nav_entries(principal)}
        assert titles["/throwaway"] == "Scratch book" and titles["/throwaway/report"] == "Scratch report"
    async with simulated_app(
        lambda: register_pages(ui_services), storage_path=tmp_path / "t", storage_secret="throwaway"
    ) as other:
        await sign_in_through_form(other, employee)
        plain = ui_services.accounts.sign_in(employee.username, employee.password).principal
        assert not {"/throwaway", "/throwaway/report"} & {e.path for e in nav_entries(plain)}
        await open_refused(other, "/throwaway")


def test_its_command_appears(throwaway: Domain, capsys: pytest.CaptureFixture[str]) -> None:
    from cces.cli import build_parser, main

    assert "throwaway" in build_parser().format_help()
    assert main(["throwaway", "hello", "Lan"]) == 0
    assert capsys.readouterr().out.strip() == "xin chào Lan"


def test_the_registry_holds_every_domain_once_and_every_reference_resolves() -> None:
    from hub.domains import load

    names = [d.name for d in DOMAINS]
    assert len(names) == len(set(names))
    for domain in DOMAINS:
        assert all(a.domain == domain.name for a in domain.actions), domain.name
        for ref in (*domain.api, *domain.pages, *domain.cli, *domain.jobs):
            assert callable(load(ref)), ref
