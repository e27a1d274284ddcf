"""A table that formats and sends one page of rows at a time (a department's sheet has thousands).

The page holds the computed data; only the rows on screen are turned into dictionaries and sent
to the browser, so opening a 10,000-person unit costs one page of formatting, not 10,000.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from ui.components.format import Translate
from ui.components.pager import Pager, page_count
from ui.components.tables import data_table, link_cell

#: rows on one page of an in-memory table
ROWS_PER_PAGE = 50


def paged_table(
    t: Translate,
    cols: list[dict[str, Any]],
    count: int,
    row: Callable[[int], dict[str, Any]],
    *,
    table_id: str,
    row_key: str = "code",
    link_column: str | None = None,
    page_size: int = ROWS_PER_PAGE,
) -> ui.table:
    """`row(i)` formats the i-th of `count` items; the pager under it is marked `{table_id}-…`.

    With `link_column`, that column's cells link to each row's `href`."""
    state = {"page": 1}

    def page_rows(page: int) -> list[dict[str, Any]]:
        return [row(i) for i in range((page - 1) * page_size, min(page * page_size, count))]

    table = data_table(cols, page_rows(1), row_key=row_key, marker=table_id)
    if link_column is not None:
        link_cell(table, link_column)

    def turn(step: int) -> None:
        state["page"] = min(max(1, state["page"] + step), page_count(count, page_size))
        table.rows = page_rows(state["page"])
        table.update()
        pager.show(state["page"], count, page_size)

    pager = Pager(t, turn, marker=table_id)
    pager.show(1, count, page_size)
    return table
