"""The demo's office work (cces.demo_office): its units and leaders, its moved clock and the context each part
is given, and the date helpers the parts share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from cces.demo_seed import DOORS, employees
from hub.accounts.principal import Principal
from hub.accounts.repository import user_by_username
from hub.accounts.sessions import load_principal
from hub.localtime import LOCAL_TZ
from hub.services import HubServices

OFFICES = list(DOORS.values())  # (site, units) of the two offices
SEALED = ("CHQ", "KV1", "KV2", "KV3")  # the registering units of the demo (the Cục and the Chi cục)
#: the heads of unit who get an account (each costs an Argon2 hash: the seeding stays fast); leave goes up to them
LEADERS = ("CHQ", "CHQ-NVTHQ", "KV1", "KV1-NB", "KV2", "KV2-TSN", "KV3", "KV3-HP")
#: the units a registering unit's leader assigns documents to (the first: a unit whose head has an account)
LEADS = {"CHQ": ("CHQ-NVTHQ", "CHQ-QLRR", "CHQ-VP", "CHQ-TCCB"), "KV1": ("KV1-NB", "KV1-TH", "KV1-BD", "KV1-KS"),
         "KV2": ("KV2-TSN", "KV2-CL", "KV2-KS"), "KV3": ("KV3-HP", "KV3-DV", "KV3-KS")}  # fmt: skip
ISSUERS = {"CHQ": ("CHQ", "Hà Nội"), "KV1": ("HQKV1", "Hà Nội"), "KV2": ("HQKV2", "TP. Hồ Chí Minh"),
           "KV3": ("HQKV3", "Hải Phòng")}  # fmt: skip


@dataclass
class Clock:
    """The seeding's clock: moved to the moment each record happened, never past the seeding's `now`."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Ctx:
    hub: HubServices
    clock: Clock
    now: datetime
    today: date
    password: str
    people: dict[str, Principal] = field(default_factory=dict)

    def at(self, moment: datetime) -> None:
        self.clock.now = min(moment, self.now)

    def principal(self, username: str) -> Principal:
        if username not in self.people:
            with self.hub.pool.connection() as conn:
                user = user_by_username(conn, username)
                found = load_principal(conn, user.id) if user else None
            if found is None:
                raise LookupError(f"no account {username!r}")
            self.people[username] = found
        return self.people[username]

    def dated(self, text: str) -> str:
        """A title with this year {y}, the next {y1}, this month {m} and the last {pm} filled in."""
        t = self.today
        return text.format(y=t.year, y1=t.year + 1, m=t.month, pm=(t.month - 2) % 12 + 1)

    def head(self, unit: str) -> Principal:
        return self.principal(head_username(unit))


def head_username(unit: str) -> str:
    return f"ld-{unit.lower()}"


def staff_of(unit: str) -> list[dict[str, Any]]:
    return [e for e in employees() if e["unit_code"] == unit]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


def workday(day: date, step: int = -1) -> date:
    """`day` itself if a weekday, else the nearest weekday in the direction of `step`."""
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


def workdays_ahead(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day
