"""Where a terminal screen gets its `TerminalState`: the device's own agent, or the hub's records.

`AgentFeed` reads the agent's local screen feed (`edge_agent.screen`) over HTTP — the door's own
screen, which keeps greeting with no hub. `HubDoorFeed` builds the same state from the attendance
the hub stored for one door (a thin-client screen); it has no camera preview.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

import httpx
from nicegui import run
from pydantic import ValidationError

from protocol.terminal import Greeting, TerminalState
from protocol.topics import DEVICE_ID_PATTERN

if TYPE_CHECKING:  # the device runs AgentFeed only and has no hub installed
    from hub.services import HubServices


DEVICE_ID = re.compile(DEVICE_ID_PATTERN)


class FeedError(Exception):
    """The feed cannot be read now; the message says why, in one line."""


class ScreenRefused(Exception):
    """The screen's link is not (or no longer) valid: it shows nothing of the door."""


class TerminalFeed(Protocol):
    #: the path the browser loads the preview JPEG from (with ?n=<frame>); None: no preview
    frame_path: str | None
    #: seconds between two reads of the state
    poll_s: float

    async def state(self) -> TerminalState:
        """The current state; raises FeedError."""
        ...


class AgentFeed:
    """The local agent's feed at `url` (http://127.0.0.1:8765 by default)."""

    poll_s = 0.2  # also the preview's frame rate (5 fps): smooth enough for a face box, cheap on a Pi
    frame_path = "/kiosk/agent/frame.jpg"

    def __init__(self, url: str, timeout_s: float = 2.0) -> None:
        self.url = url.rstrip("/")
        self._client = httpx.AsyncClient(timeout=timeout_s)

    async def state(self) -> TerminalState:
        try:
            response = await self._client.get(f"{self.url}/state.json")
            response.raise_for_status()
            return TerminalState.model_validate_json(response.content)
        except httpx.HTTPError as exc:
            raise FeedError(f"{self.url}: {type(exc).__name__} {exc}".strip()) from exc
        except ValidationError as exc:
            raise FeedError(f"{self.url}/state.json is not a terminal state: {exc.error_count()} errors") from exc

    async def frame(self) -> tuple[int, bytes] | None:
        """(status, body) of the agent's latest preview JPEG; None when the agent cannot be reached."""
        try:
            response = await self._client.get(f"{self.url}/frame.jpg")
        except httpx.HTTPError:
            return None
        return response.status_code, response.content

    async def aclose(self) -> None:
        await self._client.aclose()


class HubDoorFeed:
    """One door's last greetings from the hub's database (no preview: the frames stay on the device).

    With the hub's live feed (`hub.live`), a check-in committed at this door makes the next tick
    read the door again at once; otherwise the door is read every `reread_s` (unknown faces and
    the door's online state are not in the live feed). Without a live feed it is read every second.
    Between reads the last state is served with a fresh clock, so greetings still end on time.
    """

    poll_s = 0.5
    frame_path = None

    def __init__(
        self,
        services: HubServices,
        device_id: str,
        *,
        key: str | None = None,
        greeting_s: float = 8.0,
        reread_s: float = 3.0,
    ) -> None:
        self._services = services
        self.device_id = device_id
        self._key = key  # the screen's link key: checked again at every read, so a revoked link blanks the screen
        self.greeting_s = greeting_s  # longer than on the device: a check-in reaches the hub a moment later
        self._subscription = None
        if getattr(services, "live", None) is not None and DEVICE_ID.match(device_id):
            from hub.live.models import CheckIn, FeedGap  # only in the hub process

            self._subscription = services.subscribe_live(kinds={CheckIn, FeedGap}, maxsize=256)
        self.reread_s = reread_s if self._subscription is not None else 1.0
        self._read_at = float("-inf")
        self._last: TerminalState | Exception | None = None
        self.reads = 0  # database reads, for tests and the curious

    def close(self) -> None:
        """Stop the live subscription (the page's client went away)."""
        if self._subscription is not None:
            self._subscription.close()

    async def state(self) -> TerminalState:
        if not DEVICE_ID.match(self.device_id):
            raise LookupError(self.device_id)  # not even a device id: no database look-up
        if self._due():
            self._read_at = time.monotonic()
            try:
                self._last = await self._read()
            except (FeedError, LookupError, ScreenRefused) as exc:
                self._last = exc
        if isinstance(self._last, Exception):
            raise self._last
        assert self._last is not None
        return self._last.model_copy(update={"ts": datetime.now(UTC)})

    def _due(self) -> bool:
        due = self._last is None or time.monotonic() - self._read_at >= self.reread_s
        if self._subscription is not None:
            arrived = self._subscription.drain()
            # a check-in at this door, or a gap in the feed (the listener lost the database for a while)
            due = due or any(getattr(item, "device_id", self.device_id) == self.device_id for item in arrived)
        return due

    def _door(self):  # -> the door and its greetings, or None (an unknown device); in a worker thread
        from hub.kiosk.models import KioskKind  # only in the hub process

        if not self._services.kiosk.admits(KioskKind.TERMINAL, self.device_id, self._key):
            raise ScreenRefused(self.device_id)
        return self._services.kiosk.door_screen(self.device_id)

    async def _read(self) -> TerminalState:
        self.reads += 1
        try:
            found = await run.io_bound(self._door)
        except ScreenRefused:
            raise
        except Exception as exc:  # the database is down: the screen says so and keeps trying
            raise FeedError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
        if found is None:
            raise LookupError(self.device_id)
        device, rows = found
        recent = [
            Greeting(
                seq=max(1, int(row.ts.timestamp() * 1000)),  # newer event, larger number
                kind=row.kind,
                person_id=row.person_id,
                name=row.full_name,
                ts=row.ts,
                direction=row.direction if row.direction in ("in", "out") else None,
            )
            for row in rows
        ]
        direction = device.direction if device.direction in ("in", "out") else None
        return TerminalState(
            source="hub",
            device_id=self.device_id,
            ts=datetime.now(UTC),
            greeting=recent[0] if recent else None,
            recent=recent,
            hub_link="online" if device.online else "offline",  # here: whether the door itself is connected
            direction=direction,  # type: ignore[arg-type]
            greeting_s=self.greeting_s,
        )
