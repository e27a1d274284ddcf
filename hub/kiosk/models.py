"""What the kiosk screens show and how they are let in: records only, no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from hub.domain import Invalid


class KioskKind(StrEnum):
    """The hub-served screens that need no sign-in (màn hình công cộng)."""

    TERMINAL = "terminal"  # a door's greeting screen: /kiosk/terminal/{device_id}
    ROOM = "room"  # a meeting room's display: /kiosk/room/{room_id}

    @property
    def path_prefix(self) -> str:
        return f"/kiosk/{self.value}/"


@dataclass(frozen=True, slots=True)
class DoorGreeting:
    kind: Literal["recognised", "unknown"]
    person_id: str | None
    full_name: str | None  # None: an unknown face, or a FaceID id that belongs to no employee
    ts: datetime
    direction: str | None


@dataclass(frozen=True, slots=True)
class KioskLink:
    """One screen's link: its key is never stored, only its hash; revoked links stay, for the record."""

    id: int
    kind: KioskKind
    target: str  # the device id or room id
    label: str | None
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_by: str | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def path(self) -> str:
        """The screen's path without the key (the key is shown once, when the link is made)."""
        return f"{self.kind.path_prefix}{self.target}"


@dataclass(frozen=True, slots=True)
class NewKioskLink:
    """A link just made: the only moment its key exists outside the screen's URL."""

    link: KioskLink
    key: str

    @property
    def path_with_key(self) -> str:
        return f"{self.link.path}?key={self.key}"


class KioskLinkError(Invalid):
    """A link that cannot be made or revoked (unknown device, bad room id, no such link); the message is VI / EN."""
