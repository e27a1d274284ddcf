"""What the reports (báo cáo) hand out: plain immutable records the UI, the API and the exports read.

Every person row carries the unit it belongs to, so a page can group or link without another
query. Times are aware UTC datetimes; the UI shows them in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from hub.domain import Invalid
from hub.people.models import OrgUnit
from hub.timekeeping.calendar import DayKind

#: the longest date range one report may cover: a quarter (a year of 10,000 people is 3.6 million days)
MAX_RANGE_DAYS = 92


class InvalidPeriod(Invalid):
    """The requested period is empty, inverted or longer than a report may cover (HTTP 422)."""


class PresenceStatus(StrEnum):
    """Where someone is on a day, as a leader's dashboard groups people (tình hình có mặt).

    Today, someone not seen yet is `not_yet` until the scheduled start plus the grace period (they
    can still arrive on time) and `absent` after it; an arrival after that makes them `late`.
    """

    PRESENT = "present"  # có mặt (đúng giờ; also: left early, a punch missing)
    LATE = "late"  # đi muộn
    ABSENT = "absent"  # vắng mặt (không phép, or not arrived after the start)
    ON_LEAVE = "on_leave"  # nghỉ phép
    BUSINESS_TRIP = "business_trip"  # đi công tác
    NOT_YET = "not_yet"  # chưa đến (before the start and its grace)
    DAY_OFF = "day_off"  # ngày nghỉ (weekend, holiday) — nobody is expected


@dataclass(frozen=True, slots=True)
class PresenceCounts:
    """How many people of a group are in each status (the dashboard's tiles)."""

    total: int = 0
    present: int = 0
    late: int = 0
    absent: int = 0
    on_leave: int = 0
    business_trip: int = 0
    not_yet: int = 0
    day_off: int = 0

    @classmethod
    def of(cls, statuses: Iterable[PresenceStatus]) -> PresenceCounts:
        counted = Counter(statuses)
        return cls(total=sum(counted.values()), **{s.value: counted.get(s, 0) for s in PresenceStatus})

    @property
    def at_work(self) -> int:
        """Present, late included."""
        return self.present + self.late


@dataclass(frozen=True, slots=True)
class PersonPresence:
    employee_code: str
    full_name: str
    unit_code: str
    unit_name: str
    position: str | None
    status: PresenceStatus
    first_in: datetime | None  # arrival (UTC), when seen
    late_minutes: int
    absence_code: str | None  # P, Ô, CT … for leave and trips


@dataclass(frozen=True, slots=True)
class UnitPresence:
    """One sub-unit's counts, over its whole subtree (or only the people placed directly in the unit)."""

    unit_code: str
    unit_name: str
    counts: PresenceCounts
    direct_only: bool = False  # True for the row of the people placed directly in the report's unit


@dataclass(frozen=True, slots=True)
class DayPresence:
    """Who of a unit is where on a day (today: as of `as_of`)."""

    unit: OrgUnit
    day: date
    as_of: datetime
    day_kind: DayKind
    day_name: str | None  # the holiday's name, when it is one
    counts: PresenceCounts
    by_unit: tuple[UnitPresence, ...]  # the unit's direct sub-units (each over its subtree), then its own staff
    people: tuple[PersonPresence, ...]  # everyone employed that day, by unit then employee code

    def with_status(self, *statuses: PresenceStatus) -> list[PersonPresence]:
        return [p for p in self.people if p.status in statuses]

    @property
    def late_arrivals(self) -> list[PersonPresence]:
        """Those who arrived late, latest arrival first (the dashboard's list)."""
        late = self.with_status(PresenceStatus.LATE)
        return sorted(late, key=lambda p: (-(p.late_minutes or 0), p.employee_code))


@dataclass(frozen=True, slots=True)
class LatenessRow:
    """One person's lateness over the period (xếp hạng đi muộn)."""

    rank: int  # 1 = most often late (ties share no rank: then more minutes, then employee code)
    employee_code: str
    full_name: str
    unit_code: str
    unit_name: str
    late_count: int  # số lần đi muộn
    late_minutes: int  # tổng số phút
    early_leave_count: int  # số lần về sớm
    early_leave_minutes: int
    late_days: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class LatenessReport:
    unit: OrgUnit
    first: date
    last: date
    staff_count: int  # everyone employed in the period (the rows are only those late at least once)
    rows: tuple[LatenessRow, ...]


@dataclass(frozen=True, slots=True)
class AbsenceRow:
    """One person's absences over the period (báo cáo vắng mặt)."""

    employee_code: str
    full_name: str
    unit_code: str
    unit_name: str
    absent_days: float  # vắng không phép
    leave_days: float  # nghỉ phép
    trip_days: float  # công tác
    missing_punch_days: int  # thiếu chấm công vào/ra (to review)
    absent_dates: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class AbsenceReport:
    unit: OrgUnit
    first: date
    last: date
    working_days: int  # working days of the calendar in the period
    staff_count: int
    rows: tuple[AbsenceRow, ...]  # only people with an absence, leave, trip or missing punch; most absent first


@dataclass(frozen=True, slots=True)
class DeviceUptime:
    """A device's share of time online over a period (tỷ lệ hoạt động), from its status history."""

    device_id: str
    kind: str
    site: str | None
    room: str | None
    online_now: bool
    online_seconds: float
    known_seconds: float  # the part of the period whose state is known (from the device's first status on)
    changes: int  # online/offline transitions inside the period
    last_change: datetime | None

    @property
    def uptime(self) -> float | None:
        """online / known time (0–1); None when nothing is known of the period."""
        return self.online_seconds / self.known_seconds if self.known_seconds > 0 else None


@dataclass(frozen=True, slots=True)
class DeviceUptimeReport:
    start: datetime
    end: datetime  # the period's end, or now when it has not ended yet
    rows: tuple[DeviceUptime, ...]  # lowest uptime first (unknown last), then device id


@dataclass(frozen=True, slots=True)
class OfflineDevice:
    """A device offline now (thiết bị mất kết nối) and since when."""

    device_id: str
    kind: str
    site: str | None
    room: str | None
    since: datetime | None  # when it went offline (None: never seen online)
    last_seen: datetime | None


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The leaders' dashboard in one call: today's presence of the unit, late arrivals, devices offline."""

    presence: DayPresence
    late_arrivals: tuple[PersonPresence, ...]
    offline_devices: tuple[OfflineDevice, ...]
    devices_total: int
    devices_online: int
