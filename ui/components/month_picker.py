"""The month picker: ‹ [Tháng 11/2026 ▾] › — a month and year chosen with clicks, never typed.

Timesheets and reports are read a month at a time, usually this month or the one before, and
sometimes the same month of last year. The arrows step a month; the middle button opens a year
with its twelve months (stepping years with its own arrows). A typed `yyyy-mm` was easy to get
wrong and hard to read; the address keeps that spelling for links, the person never sees it.

Markers, with `marker` given: the picker `{marker}`, its arrows `{marker}-prev` / `{marker}-next`,
the button `{marker}-open`, in the menu `{marker}-year`, `{marker}-year-prev`, `{marker}-year-next`
and `{marker}-m1` … `{marker}-m12`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from ui.components.format import Translate
from ui.components.periods import FIRST_YEAR, LAST_YEAR, Month
from ui.i18n import N_

TITLE = N_("Tháng {month}/{year}")  # English: '{name} {year}'
PREVIOUS, NEXT = N_("Tháng trước"), N_("Tháng sau")
PREVIOUS_YEAR, NEXT_YEAR = N_("Năm trước"), N_("Năm sau")
CHOOSE = N_("Chọn tháng")
#: each month's name, January first
MONTH_NAMES = (
    N_("Tháng 1"), N_("Tháng 2"), N_("Tháng 3"), N_("Tháng 4"), N_("Tháng 5"), N_("Tháng 6"),
    N_("Tháng 7"), N_("Tháng 8"), N_("Tháng 9"), N_("Tháng 10"), N_("Tháng 11"), N_("Tháng 12"),
)  # fmt: skip


#: the months a picker offers unless told otherwise
FIRST_MONTH = Month(FIRST_YEAR, 1)
LAST_MONTH = Month(LAST_YEAR, 12)


def month_title(t: Translate, month: Month) -> str:
    """'Tháng 11/2026' / 'November 2026'."""
    return t(TITLE).format(month=month.month, year=month.year, name=t(MONTH_NAMES[month.month - 1]))


class MonthPicker:
    """A month chosen by arrows or from a year's twelve months; `on_change(month)` after each choice.

    `first` and `last` bound what can be chosen (by default the years 2000–2099)."""

    def __init__(
        self,
        t: Translate,
        value: Month,
        on_change: Callable[[Month], Any],
        *,
        marker: str = "month",
        first: Month = FIRST_MONTH,
        last: Month = LAST_MONTH,
    ) -> None:
        self._t = t
        self._on_change = on_change
        self.first, self.last = first, last
        self.value = min(max(value, first), last)
        self._year = self.value.year  # the year the menu shows (stepping years chooses nothing yet)
        with ui.row().classes("items-center gap-1 no-wrap").mark(marker):
            self.previous = ui.button(icon="chevron_left", on_click=lambda: self.set_value(self.value.shift(-1)))
            self.previous.props(f'flat dense round aria-label="{t(PREVIOUS)}"')
            self.previous.mark(f"{marker}-prev")
            self.button = ui.button(icon="calendar_month").props(f'outline no-caps aria-label="{t(CHOOSE)}"')
            self.button.mark(f"{marker}-open")
            with self.button, ui.menu() as self.menu, ui.column().classes("p-2 gap-2"):
                with ui.row().classes("w-full items-center justify-between no-wrap"):
                    self.year_previous = ui.button(icon="chevron_left", on_click=lambda: self._show_year(-1))
                    self.year_previous.props(f'flat dense round aria-label="{t(PREVIOUS_YEAR)}"')
                    self.year_previous.mark(f"{marker}-year-prev")
                    self.year_label = ui.label().classes("text-base font-bold").mark(f"{marker}-year")
                    self.year_next = ui.button(icon="chevron_right", on_click=lambda: self._show_year(1))
                    self.year_next.props(f'flat dense round aria-label="{t(NEXT_YEAR)}"')
                    self.year_next.mark(f"{marker}-year-next")
                with ui.grid(columns=3).classes("gap-1"):
                    self.months = {
                        n: ui.button(t(MONTH_NAMES[n - 1]), on_click=lambda n=n: self._choose(n))
                        .props("flat dense no-caps")
                        .classes("min-w-[6rem]")
                        .mark(f"{marker}-m{n}")
                        for n in range(1, 13)
                    }
            self.next = ui.button(icon="chevron_right", on_click=lambda: self.set_value(self.value.shift(1)))
            self.next.props(f'flat dense round aria-label="{t(NEXT)}"')
            self.next.mark(f"{marker}-next")
        self.menu.on("before-show", lambda: self._show_year(0, reset=True))
        self._draw()

    def set_value(self, month: Month) -> None:
        """Choose `month` (held within the limits) and tell the page, unless it is already chosen."""
        month = min(max(month, self.first), self.last)
        if month == self.value:
            return
        self.value = month
        self._year = month.year
        self._draw()
        self._on_change(month)

    def _choose(self, number: int) -> None:
        self.menu.close()
        self.set_value(Month(self._year, number))

    def _show_year(self, step: int, *, reset: bool = False) -> None:
        year = self.value.year if reset else self._year + step
        self._year = min(max(year, self.first.year), self.last.year)
        self._draw()

    def _draw(self) -> None:
        self.button.text = month_title(self._t, self.value)
        self.previous.set_enabled(self.value > self.first)
        self.next.set_enabled(self.value < self.last)
        self.year_label.text = str(self._year)
        self.year_previous.set_enabled(self._year > self.first.year)
        self.year_next.set_enabled(self._year < self.last.year)
        for number, button in self.months.items():
            month = Month(self._year, number)
            button.set_enabled(self.first <= month <= self.last)
            chosen = month == self.value
            button.props(remove="flat unelevated color").props("unelevated color=primary" if chosen else "flat")
