"""The day picker: ‹ [T6 04/12/2026 📅] › — a day stepped with arrows or picked on a calendar.

A unit's day is read day after day (yesterday, the day before) and now and then a day weeks
back; the arrows do the first, the calendar the second, and nobody types a yyyy-mm-dd.

Markers, with `marker` given: `{marker}-prev`, `{marker}-open`, `{marker}-calendar`, `{marker}-next`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from nicegui import ui

from ui.components.format import Translate
from ui.components.periods import FIRST_YEAR, LAST_YEAR
from ui.i18n import N_

ISO_MASK = "YYYY-MM-DD"
FIRST_DAY = date(FIRST_YEAR, 1, 1)
LAST_DAY = date(LAST_YEAR, 12, 31)


class DayPicker:
    """A day chosen by arrows or on a calendar; `on_change(day)` after each choice. `title(day)` is the
    button's text (the page's way of naming a day, e.g. with its weekday)."""

    def __init__(
        self,
        t: Translate,
        value: date,
        on_change: Callable[[date], Any],
        *,
        title: Callable[[date], str],
        marker: str = "day",
    ) -> None:
        self._on_change, self._title = on_change, title
        self.value = min(max(value, FIRST_DAY), LAST_DAY)
        with ui.row().classes("items-center gap-1 no-wrap").mark(marker):
            self.previous = ui.button(icon="chevron_left", on_click=lambda: self.set_value(self.value - timedelta(1)))
            previous_label, choose_label, next_label = t(N_("Ngày trước")), t(N_("Chọn ngày")), t(N_("Ngày sau"))
            self.previous.props(f'flat dense round aria-label="{previous_label}"').mark(f"{marker}-prev")
            self.button = ui.button(icon="event").props(f'outline no-caps aria-label="{choose_label}"')
            self.button.mark(f"{marker}-open")
            with self.button, ui.menu() as self.menu:
                self.calendar = ui.date(value=self.value.isoformat(), mask=ISO_MASK).props(
                    f'today-btn navigation-min-year-month="{FIRST_YEAR}/01" navigation-max-year-month="{LAST_YEAR}/12"'
                )
                self.calendar.mark(f"{marker}-calendar")
            self.next = ui.button(icon="chevron_right", on_click=lambda: self.set_value(self.value + timedelta(1)))
            self.next.props(f'flat dense round aria-label="{next_label}"').mark(f"{marker}-next")
        self.calendar.on_value_change(self._picked)
        self._draw()

    def set_value(self, day: date) -> None:
        """Choose `day` (within 2000–2099) and tell the page, unless it is already chosen."""
        day = min(max(day, FIRST_DAY), LAST_DAY)
        if day == self.value:
            return
        self.value = day
        self._draw()
        self._on_change(day)

    def _picked(self, event: Any) -> None:
        try:
            day = date.fromisoformat(event.value) if isinstance(event.value, str) else None
        except ValueError:
            day = None
        if day is not None and day != self.value:
            self.menu.close()
            self.set_value(day)

    def _draw(self) -> None:
        self.button.text = self._title(self.value)
        self.previous.set_enabled(self.value > FIRST_DAY)
        self.next.set_enabled(self.value < LAST_DAY)
        if self.calendar.value != self.value.isoformat():
            self.calendar.value = self.value.isoformat()
