"""The row under a list paged on the server: ‹  Trang 2/7 · 312 mục  › (people, accounts, audit log)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui


def pager(
    t: Callable[[str], str], page: int, total: int, page_size: int, turn: Callable[[int], None], marker: str = ""
) -> None:
    """Previous/next buttons around "page of pages · total"; `turn(-1 | 1)` moves. With `marker`, the label
    is marked `{marker}-pager` and the next button `{marker}-next`."""
    pages = max(1, -(-total // page_size))
    with ui.row().classes("items-center gap-2"):
        ui.button(icon="chevron_left", on_click=lambda: turn(-1)).props("flat dense").set_enabled(page > 1)
        label = ui.label(t("page_of").format(page=page, pages=pages, total=total))
        following = ui.button(icon="chevron_right", on_click=lambda: turn(1)).props("flat dense")
        following.set_enabled(page < pages)
        if marker:
            label.mark(f"{marker}-pager")
            following.mark(f"{marker}-next")
