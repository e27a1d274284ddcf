"""Table building blocks every page shares: columns from text keys, a cell that links, one look.

Quasar tables take columns as dictionaries; writing them out per page made every page's tables
drift apart (alignment, density, which cell links where). These few helpers keep them alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nicegui import ui

from ui.components.format import Translate

#: (field, text key) or (field, text key, alignment)
ColumnSpec = tuple[str, str] | tuple[str, str, str]


def columns(t: Translate, specs: Sequence[ColumnSpec]) -> list[dict[str, Any]]:
    """Quasar columns, each labelled in the page's language; left-aligned unless said otherwise."""
    out = []
    for spec in specs:
        field, key = spec[0], spec[1]
        align = spec[2] if len(spec) == 3 else "left"
        out.append({"name": field, "label": t(key), "field": field, "align": align})
    return out


def link_cell(table: ui.table, column: str, href: str = "props.row.href") -> None:
    """The cells of `column` link to each row's `href` (a person's month, a device's page…)."""
    table.add_slot(
        f"body-cell-{column}",
        f'<q-td :props="props"><a class="text-primary" :href="{href}">{{{{ props.value }}}}</a></q-td>',
    )


def data_table(
    cols: list[dict[str, Any]], rows: list[dict[str, Any]], *, row_key: str, marker: str, wrap: bool = False
) -> ui.table:
    """A full-width, flat, dense table marked `marker` (the look of every list in the admin UI)."""
    table = ui.table(columns=cols, rows=rows, row_key=row_key).classes("w-full")
    table.props("flat bordered dense" + (" wrap-cells" if wrap else "")).mark(marker)
    return table
