"""The agency's one local time zone: where "today", a working day, a month and a shown time are reckoned.

Stored times are UTC; what people see and the days the rules count are local. Vietnam has one time zone
(UTC+7, no daylight saving) and the lunar holidays are computed for it (hub.timekeeping.lunar), so this is a
constant of the system, not a setting: every module takes it from here. A work schedule may still name
another zone for a person working abroad (hub.timekeeping.schedule), defaulting to this one.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ_NAME = "Asia/Ho_Chi_Minh"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)


def local_date(moment: datetime) -> date:
    """The local calendar day of an aware moment."""
    return moment.astimezone(LOCAL_TZ).date()
