"""How times and dates are shown on every page: Asia/Ho_Chi_Minh, Vietnamese day-first order."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOTHING = "—"


def local_time(moment: datetime | None, *, seconds: bool = True) -> str:
    """A stored UTC instant as local wall time, '23/11/2026 08:01:02'; '—' for none."""
    if moment is None:
        return NOTHING
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def local_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else NOTHING
