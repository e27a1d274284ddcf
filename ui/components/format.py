"""How times and dates are shown on every page: Asia/Ho_Chi_Minh, Vietnamese day-first order.

One place for it so a time looks the same on every page (a check-in at 08:01 is 08:01 on the live
feed, the unit's day and the person's month), whatever the server's own zone is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from hub.localtime import LOCAL_TZ

NOTHING = "—"

#: what a component gets to speak the page's language: `ctx.t` (a text key → the text)
Translate = Callable[[str], str]


def local_time(moment: datetime | None, *, seconds: bool = True) -> str:
    """A stored UTC instant as local wall time, '23/11/2026 08:01:02'; '—' for none."""
    if moment is None:
        return NOTHING
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def clock_time(moment: datetime | None) -> str:
    """Only the local hour and minute, '08:01' (a day's row already says which day); '' for none,
    so an empty cell stays empty in a table of many days."""
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M") if moment else ""


def local_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else NOTHING
