"""Search (tìm kiếm): one box over every module's entries, with or without diacritics, ranked, the
matched words highlighted; filters by register, year, kind of document, unit, đi/đến and date.

What the page shows is what the search service returns, and that only holds entries the person may
read (hub.search.access): the count too. Snippets come escaped from the service with `<mark>` only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from nicegui import ui

from hub.search import access as search_access
from hub.search.models import Hit, Query, SearchError
from hub.services import HubServices
from ui import shell
from ui.components.pager import pager
from ui.components.states import empty_state
from ui.i18n import N_
from ui.shell import PageContext, module_page

PAGE_SIZE = 20

TITLE = N_("Tìm kiếm")
FOUND, FOUND_MORE = N_("{n} kết quả"), N_("Hơn {n} kết quả")
#: the registers a hit may be in (hub.search: the register's kind)
REGISTERS = {
    "den": N_("Sổ văn bản đến"),
    "di": N_("Sổ văn bản đi"),
    "mat": N_("Sổ văn bản đi mật"),
    "sao": N_("Sổ bản sao"),
}


def register(services: HubServices) -> None:
    @module_page("/search", text_key=TITLE, icon="search", action=search_access.QUERY, order=45)
    def search(ctx: PageContext, q: str = "") -> None:
        _search(ctx, q[:200])


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _search(ctx: PageContext, q: str) -> None:
    t = ctx.t
    state: dict[str, Any] = {"page": 1}
    ui.label(t(TITLE)).classes("text-xl font-bold")
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        box = ui.input(t(N_("Tìm văn bản (có dấu hoặc không dấu)")), value=q).props(
            "clearable outlined dense maxlength=200 autofocus"
        )
        box.classes("w-full sm:w-96").mark("search-box")
        years = {
            0: t(shell.ALL),
            **{y: str(y) for y in range(ctx.services.now().year, ctx.services.now().year - 10, -1)},
        }
        year = ui.select(years, value=0, label=t(N_("Năm"))).props("outlined dense").mark("search-year")
        registers = {"": t(shell.ALL), **{c: t(text) for c, text in REGISTERS.items()}}
        book = ui.select(registers, value="", label=t(N_("Sổ"))).props("outlined dense")
        directions = {"": t(shell.ALL), "incoming": t(N_("Văn bản đến")), "outgoing": t(N_("Văn bản đi"))}
        direction = ui.select(directions, value="", label=t(N_("Đi/đến"))).props("outlined dense")
        unit = ui.input(t(N_("Mã đơn vị"))).props("clearable outlined dense maxlength=64").classes("w-36")
        since = ui.input(t(N_("Từ ngày"))).props("outlined dense type=date clearable").mark("search-from")
        until = ui.input(t(N_("Đến ngày"))).props("outlined dense type=date clearable").mark("search-to")
    error = ui.label().classes("text-negative").mark("search-error")

    @ui.refreshable
    def results() -> None:
        error.text = ""
        query = Query(
            text=(box.value or "").strip(), kind="document", register=book.value or None, year=year.value or None,
            unit_code=(unit.value or "").strip() or None, status=direction.value or None,
            date_from=_day(since.value), date_to=_day(until.value), limit=PAGE_SIZE,
            offset=(state["page"] - 1) * PAGE_SIZE,
        )  # fmt: skip
        try:
            page = ctx.services.search.search(ctx.principal, query)
        except SearchError as exc:
            error.text = str(exc)
            return
        found = FOUND_MORE if page.more else FOUND
        ui.label(t(found).format(n=f"{page.total:,}".replace(",", "."))).classes("text-sm").mark("search-count")
        if not page.hits:
            empty_state(t(N_("Không tìm thấy văn bản nào.")), icon="search", marker="search-none")
            return
        with ui.column().classes("w-full gap-1").mark("search-hits"):
            for hit in page.hits:
                _hit(ctx, hit)
        pager(t, state["page"], page.total, PAGE_SIZE, turn, marker="search")

    def turn(step: int) -> None:
        state["page"] = max(1, state["page"] + step)
        results.refresh()

    def changed() -> None:
        state["page"] = 1
        results.refresh()

    for element in (box, unit):
        element.props("debounce=400")
        element.on_value_change(changed)
    for element in (year, book, direction, since, until):
        element.on_value_change(changed)
    results()


def _hit(ctx: PageContext, hit: Hit) -> None:
    t = ctx.t
    with ui.card().classes("w-full").props("flat bordered").mark("search-hit"):
        with ui.row().classes("items-center gap-2"):
            ui.label(hit.title).classes("font-bold")
            if hit.secrecy:
                ui.badge(t(N_("Mật")), color="negative")
        parts = [
            t(N_("Văn bản đến")) if hit.status == "incoming" else t(N_("Văn bản đi")),
            hit.unit_code,
            hit.day.strftime("%d/%m/%Y") if hit.day else "",
        ]
        ui.label(" · ".join(p for p in parts if p)).classes("text-xs text-grey-7")
        ui.html(hit.snippet).classes("text-sm").mark("search-snippet")  # escaped by the service, <mark> only
