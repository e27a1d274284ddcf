"""Label / value pairs in two columns: a device's details, an account's, a person's."""

from __future__ import annotations

from collections.abc import Sequence

from nicegui import ui


def facts(rows: Sequence[tuple[str, str]], *, marker: str = "facts") -> ui.grid:
    """Grey labels beside their values; long values (ids, versions) break instead of widening the card."""
    with ui.grid(columns="auto 1fr").classes("gap-x-4 gap-y-1 text-sm").mark(marker) as grid:
        for label, value in rows:
            ui.label(label).classes("text-grey-7")
            ui.label(value).classes("break-all")
    return grid
