"""What a page shows instead of data: an empty state (nothing to list) or a problem (cannot show it).

Said the same way on every page so a person tells "there is nothing" (grey, with an icon) from
"this went wrong" (red) at a glance, and a test finds either by its marker.
"""

from __future__ import annotations

from nicegui import ui


def empty_state(text: str, *, icon: str = "inbox", marker: str = "") -> ui.row:
    """A grey line with an icon: 'No entries.', 'Nobody was late'. Returned so a live list can hide it."""
    with ui.row().classes("items-center gap-2 text-grey-7") as row:
        ui.icon(icon).classes("text-xl")
        ui.label(text)
    if marker:
        row.mark(marker)
    return row


def show_problem(text: str, *, marker: str = "") -> ui.label:
    """Why the page cannot show what was asked (an unknown unit, a malformed address…), in red."""
    label = ui.label(text).classes("text-lg text-negative")
    if marker:
        label.mark(marker)
    return label
