"""A table paged in memory with a search box and a category filter (a unit's day: name, code, status).

A unit can hold thousands of people: the search looks at a folded text per item and the filter
at one category per item, both computed once; only the page shown is formatted into rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from nicegui import ui

from ui.components.format import Translate
from ui.components.paged_table import ROWS_PER_PAGE
from ui.components.pager import Pager, page_count
from ui.components.tables import data_table, link_cell

Item = TypeVar("Item")


def filtered_table(
    t: Translate,
    items: Sequence[Item],
    row: Callable[[Item], dict[str, Any]],
    cols: list[dict[str, Any]],
    *,
    search_text: Callable[[Item], str],
    category: Callable[[Item], str],
    categories: Mapping[str, str],
    search_label: str,
    filter_label: str,
    table_id: str,
    row_key: str = "code",
    link_column: str | None = "code",
    page_size: int = ROWS_PER_PAGE,
) -> ui.table:
    """Search box `{table_id}-search`, filter `{table_id}-status` (one or more of `categories`,
    value → label), the table `{table_id}` and its pager."""
    folded = [(search_text(item).casefold(), category(item)) for item in items]
    state = {"page": 1}
    with ui.row().classes("w-full items-end gap-4 flex-wrap"):
        search = ui.input(search_label).props("clearable dense maxlength=200").classes("w-64")
        search.mark(f"{table_id}-search")
        chosen = ui.select(dict(categories), label=filter_label, multiple=True).props("dense clearable")
        chosen.classes("min-w-[12rem]").mark(f"{table_id}-status")
    table = data_table(cols, [], row_key=row_key, marker=table_id)
    if link_column is not None:
        link_cell(table, link_column)

    def matching() -> list[int]:
        needle = (search.value or "").strip().casefold()
        wanted = set(chosen.value or ())
        return [i for i, (text, kind) in enumerate(folded) if (not wanted or kind in wanted) and needle in text]

    def show() -> None:
        found = matching()
        state["page"] = min(state["page"], page_count(len(found), page_size))
        start = (state["page"] - 1) * page_size
        table.rows = [row(items[i]) for i in found[start : start + page_size]]
        table.update()
        pager.show(state["page"], len(found), page_size)

    def turn(step: int) -> None:
        state["page"] = max(1, state["page"] + step)
        show()

    def refiltered() -> None:
        state["page"] = 1
        show()

    pager = Pager(t, turn, marker=table_id)
    search.on_value_change(refiltered)
    chosen.on_value_change(refiltered)
    show()
    return table
