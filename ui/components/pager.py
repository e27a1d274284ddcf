"""The one pager of the admin UI: ‹  Trang 2/7 · 312 mục  › under every list shown a page at a time.

Lists paged in the database (people, accounts, the audit log, the fleet) and tables paged in
memory (a department's timesheet, a unit's day) turn pages the same way, so a person meets one
control everywhere and a test finds it by the same markers (`{marker}-prev`, `{marker}-pager`,
`{marker}-next`). The pager only says where one is and asks `turn(-1 | +1)` to move; what a page
is (a query, a slice, an address) stays with its list.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from ui.components.format import Translate
from ui.i18n import N_


def page_count(total: int, page_size: int) -> int:
    """How many pages `total` items fill (at least one, so an empty list is 'page 1/1')."""
    return max(1, -(-total // page_size))


class Pager:
    """Previous / 'page of pages · total' / next; `show` redraws it in place after a turn."""

    def __init__(self, t: Translate, turn: Callable[[int], None], *, marker: str = "") -> None:
        self._t = _ = t
        previous_label, next_label = _("Trang trước"), _("Trang sau")
        with ui.row().classes("items-center gap-2") as self.row:
            self.previous = ui.button(icon="chevron_left", on_click=lambda: turn(-1))
            self.previous.props(f'flat dense aria-label="{previous_label}"')
            self.label = ui.label()
            self.next = ui.button(icon="chevron_right", on_click=lambda: turn(1))
            self.next.props(f'flat dense aria-label="{next_label}"')
        if marker:
            self.previous.mark(f"{marker}-prev")
            self.label.mark(f"{marker}-pager")
            self.next.mark(f"{marker}-next")

    def show(self, page: int, total: int, page_size: int) -> None:
        pages = page_count(total, page_size)
        self.label.text = self._t(N_("Trang {page}/{pages} · {total} mục")).format(page=page, pages=pages, total=total)
        self.previous.set_enabled(page > 1)
        self.next.set_enabled(page < pages)


def pager(t: Translate, page: int, total: int, page_size: int, turn: Callable[[int], None], marker: str = "") -> Pager:
    """A pager drawn once for a list that redraws itself on every turn (a `ui.refreshable`)."""
    drawn = Pager(t, turn, marker=marker)
    drawn.show(page, total, page_size)
    return drawn
