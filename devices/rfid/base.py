"""The small interface every RFID reader sits behind, whatever wire it speaks.

A reader is opened, then asked for reads with a timeout, then closed. It reports what the air
gave it — no de-duplication, no filtering: that is the agent's `rfid` capability, so every reader
kind is treated the same. A reader that is unplugged, powered off or speaking nonsense for too long
raises `ReaderGone`; the capability closes it and opens it again with backoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class TagRead:
    """One sighting of a tag: its EPC (hex, upper case), the antenna port, RSSI in dBm (None when the
    reader does not say) and the wall-clock time it arrived (`time.time()`, seconds)."""

    epc: str
    antenna: int
    rssi: float | None
    at: float
    count: int = 1  # an LLRP reader may report several sightings of a tag at once (TagSeenCount)


class ReaderError(Exception):
    """A reader that cannot be used as configured (bad port, refused command)."""


class ReaderGone(ReaderError):
    """The reader's connection is lost (unplugged, closed, timed out): close it and reconnect later."""


@runtime_checkable
class TagReader(Protocol):
    """What the agent's `rfid` capability drives; one thread calls these, never two at once."""

    @property
    def name(self) -> str:
        """The reader's name in events and telemetry (`reader`)."""
        ...

    def open(self) -> None:
        """Connect and configure (power, antennas); raises ReaderError/ReaderGone."""
        ...

    def read(self, timeout: float) -> list[TagRead]:
        """The reads that arrived within about `timeout` seconds (may be empty); raises ReaderGone."""
        ...

    def close(self) -> None:
        """Release the port; safe to call twice or after a failed `open`."""
        ...


@dataclass
class FrameStats:
    """What a frame parser threw away, for telemetry: a noisy cable shows here first."""

    frames: int = 0
    bad_checksum: int = 0
    junk_bytes: int = 0
