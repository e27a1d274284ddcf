"""What a door terminal's screen shows: the contract between the agent and the greeting page.

The agent (which may import `models` and `devices`) and the page (`ui/`, which may not) meet
here. The agent serves a `TerminalState` as JSON on the device (`edge_agent.screen`, on
127.0.0.1) next to the latest preview frame; the page polls it. The hub builds the same state
from the attendance it stored, so one page serves the device's own screen and a thin-client
screen fed by the hub.

Nothing here is sent over MQTT: it never leaves the device (agent feed) or holds more than the
door's own screen shows — name and time of the last few people at that door (hub feed).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from protocol._base import UtcTimestamp

#: how long a greeting stays on screen unless the state says otherwise
DEFAULT_GREETING_S = 5.0
#: how many past greetings a state carries (the door's "recent check-ins" strip)
MAX_RECENT = 10

GreetingKind = Literal["recognised", "unknown"]
Direction = Literal["in", "out"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Greeting(_Model):
    """One person at the door: who (or unknown), when, which way."""

    seq: int = Field(ge=1, description="per-feed counter: a new value means a new greeting to show")
    kind: GreetingKind
    person_id: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=200, description="display name; None: show person_id")
    ts: UtcTimestamp
    direction: Direction | None = None
    recorded: bool = Field(
        default=True, description="False: recognised again within the cooldown, no new attendance record"
    )

    @property
    def display_name(self) -> str:
        return self.name or self.person_id or ""


class FaceBox(_Model):
    """A face in the last preview frame, in that frame's pixels (x1, y1, x2, y2)."""

    box: tuple[float, float, float, float]
    kind: Literal["recognised", "unknown", "pending"] = "pending"


class Notice(_Model):
    """A notice the hub asked the screen to show (the `show_alert` command: a door portal's alert) until `until`."""

    title_vi: str = Field(min_length=1, max_length=200)
    title_en: str = Field(default="", max_length=200)
    text_vi: str = Field(default="", max_length=300)
    text_en: str = Field(default="", max_length=300)
    until: UtcTimestamp


class TerminalState(_Model):
    """Everything the greeting page needs, as of `ts` (the feed's clock)."""

    source: Literal["agent", "hub"]
    device_id: str | None = Field(default=None, max_length=64)
    ts: UtcTimestamp = Field(description="when this state was made; greeting ages are measured against it")
    camera: str = Field(default="none", max_length=32, description="streaming | reconnecting | ended | none | …")
    frame: int = Field(default=0, ge=0, description="preview frame counter; 0: no preview")
    frame_width: int = Field(default=0, ge=0)
    frame_height: int = Field(default=0, ge=0)
    faces: list[FaceBox] = Field(default_factory=list, max_length=64)
    greeting: Greeting | None = None
    recent: list[Greeting] = Field(default_factory=list, max_length=MAX_RECENT, description="newest first")
    hub_link: Literal["online", "offline", "unknown"] = "unknown"
    direction: Direction | None = Field(default=None, description="the door's configured direction")
    greeting_s: float = Field(default=DEFAULT_GREETING_S, gt=0, le=600)
    notice: Notice | None = Field(default=None, description="an alert from the hub, shown until its `until`")

    def showing(self) -> Greeting | None:
        """The greeting to show now: the latest one while it is younger than `greeting_s`."""
        if self.greeting is None:
            return None
        age = (self.ts - self.greeting.ts).total_seconds()
        return self.greeting if -self.greeting_s <= age <= self.greeting_s else None
