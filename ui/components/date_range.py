"""The date-range picker: 'Từ ngày' and 'Đến ngày', typed as dd/mm/yyyy or picked on one calendar.

An audit search or a report over some weeks needs a first and a last day. Both fields take a
date as people write it (day first), and the calendar button beside them picks the two days with
two clicks. `problem()` says what is wrong with what was entered (a date that does not exist, one
outside the years the hub knows, a first day after the last) in the page's language; `bounds()`
gives the two days (None for a side left empty).

Markers, with `marker` given: `{marker}-since`, `{marker}-until`, `{marker}-pick` (the calendar
button) and `{marker}-calendar`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from nicegui import ui

from ui.components.format import Translate
from ui.components.periods import FIRST_YEAR, LAST_YEAR, parse_local_date
from ui.i18n import N_

CALENDAR_MASK = "DD/MM/YYYY"


class DateRangePicker:
    """Two date fields and a calendar; `on_change()` when a field is left or Enter is pressed, and
    when a range is picked on the calendar."""

    def __init__(
        self,
        t: Translate,
        on_change: Callable[[], Any],
        *,
        marker: str = "range",
        since: date | None = None,
        until: date | None = None,
    ) -> None:
        self._t = t
        self._on_change = on_change
        with ui.row().classes("items-end gap-1 no-wrap"):
            self.since = ui.input(t(N_("Từ ngày")), placeholder="dd/mm/yyyy", value=_text(since))
            self.since.props("outlined dense maxlength=10").classes("w-36").mark(f"{marker}-since")
            self.until = ui.input(t(N_("Đến ngày")), placeholder="dd/mm/yyyy", value=_text(until))
            self.until.props("outlined dense maxlength=10").classes("w-36").mark(f"{marker}-until")
            pick_label = t(N_("Chọn khoảng ngày trên lịch"))
            self.pick = ui.button(icon="date_range").props(f'flat dense round aria-label="{pick_label}"')
            self.pick.mark(f"{marker}-pick")
            with self.pick, ui.menu() as self.menu:
                self.calendar = ui.date(mask=CALENDAR_MASK).props(
                    f'range today-btn navigation-min-year-month="{FIRST_YEAR}/01"'
                    f' navigation-max-year-month="{LAST_YEAR}/12"'
                )
                self.calendar.mark(f"{marker}-calendar")
        self._syncing = False
        self.menu.on("before-show", self._sync_calendar)
        self.calendar.on_value_change(self._picked)
        for field in (self.since, self.until):
            field.on("blur", on_change)
            field.on("keydown.enter", on_change)

    def problem(self) -> str | None:
        """What is wrong with the two fields, said for a person; None when they can be used."""
        try:
            first, last = self._parsed()
        except ValueError as exc:
            return str(exc)
        if first is not None and last is not None and first > last:
            return self._t(N_("«Từ ngày» ({since}) sau «Đến ngày» ({until})")).format(
                since=_text(first), until=_text(last)
            )
        return None

    def bounds(self) -> tuple[date | None, date | None]:
        """(first day, last day), None where a field is empty; ValueError (saying why) when `problem()`."""
        said = self.problem()
        if said is not None:
            raise ValueError(said)
        return self._parsed()

    def _parsed(self) -> tuple[date | None, date | None]:
        return self._one(self.since.value or ""), self._one(self.until.value or "")

    def _one(self, text: str) -> date | None:
        try:
            day = parse_local_date(text)
        except ValueError:
            raise ValueError(
                self._t(N_("Ngày không hợp lệ (dd/mm/yyyy): {value}")).format(value=text.strip())
            ) from None
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(
                self._t(N_("Ngày phải trong các năm {first}–{last}: {value}")).format(
                    first=FIRST_YEAR, last=LAST_YEAR, value=text
                )
            )
        return day

    def _sync_calendar(self) -> None:
        """Open the calendar on what the fields say (when they say two good days)."""
        try:
            first, last = self._parsed()
        except ValueError:
            return
        self._syncing = True
        try:
            if first and last:
                self.calendar.value = {"from": _text(first), "to": _text(last)}
            else:
                self.calendar.value = _text(first or last) or None
        finally:
            self._syncing = False

    def _picked(self, event: Any) -> None:
        if self._syncing:
            return
        value = event.value
        if isinstance(value, dict):
            first, last = value.get("from") or "", value.get("to") or ""
        elif isinstance(value, str):
            first = last = value  # one day picked twice is a range of one day
        else:
            return
        self.since.value, self.until.value = first, last
        self.menu.close()
        self._on_change()


def _text(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else ""
