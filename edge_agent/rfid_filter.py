"""From raw reads to `rfid.read` events: RSSI floor, de-duplication per (EPC, antenna), zone presence.

A fixed reader sees each tag in its field several times a second; the hub wants to know when a tag
arrives (at once: a door portal alerts within 2 s) and that it is still there, not every read. So:

- a read weaker than the RSSI floor is dropped (a tag in the next room); a reader that gives no RSSI
  cannot be filtered so, and its reads pass;
- the first read of an (EPC, antenna) opens a window of `dedup_s` and is reported at the next flush
  (every `batch_s`); further reads in the window are only counted; when the window ends, the reads
  counted since the report (if any) are reported as one sighting and a new window starts; a window
  with no more reads is closed, so a tag that left and comes back is reported again at once.
  Every read is counted in exactly one sighting;
- per zone, the first and last time each tag was seen in its current stay: it leaves the zone after
  `zone_absent_s` without a read there. A sighting carries the stay's start (`zone_first_seen`).

Not thread-safe: one capability thread adds and flushes. Times are `time.time()` seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from devices.rfid.base import TagRead


@dataclass(frozen=True, slots=True)
class Sighting:
    """What one `rfid.read` event says."""

    epc: str
    antenna: int
    rssi: float | None
    count: int
    first_seen: float
    last_seen: float
    zone: str | None
    zone_first_seen: float | None


@dataclass(slots=True)
class _Window:
    opened: float
    reported: bool
    count: int
    first: float
    last: float
    rssi: float | None


class ReadAggregator:
    def __init__(
        self,
        *,
        dedup_s: float,
        zone_absent_s: float,
        rssi_floor_dbm: float | None = None,
        zone_of: Callable[[int], str | None] = lambda antenna: None,
    ) -> None:
        self.dedup_s = dedup_s
        self.zone_absent_s = zone_absent_s
        self.rssi_floor_dbm = rssi_floor_dbm
        self.zone_of = zone_of
        self._windows: dict[tuple[str, int], _Window] = {}
        self._stays: dict[tuple[str | None, str], list[float]] = {}  # (zone, epc) -> [first, last]
        self._zones: dict[int, str | None] = {}
        self.reads = 0
        self.below_floor = 0

    def configure(
        self,
        *,
        dedup_s: float,
        zone_absent_s: float,
        rssi_floor_dbm: float | None,
        zone_of: Callable[[int], str | None],
    ) -> None:
        """New settings from the hub, live: open windows keep their counts."""
        self.dedup_s, self.zone_absent_s, self.rssi_floor_dbm, self.zone_of = (
            dedup_s,
            zone_absent_s,
            rssi_floor_dbm,
            zone_of,
        )
        self._zones.clear()

    @property
    def open_windows(self) -> int:
        return len(self._windows)

    @property
    def tags_present(self) -> int:
        """Tags currently in some zone's stay (each zone counted)."""
        return len(self._stays)

    def add(self, read: TagRead) -> bool:
        """Count one read; False when the RSSI floor dropped it."""
        self.reads += 1
        if self.rssi_floor_dbm is not None and read.rssi is not None and read.rssi < self.rssi_floor_dbm:
            self.below_floor += 1
            return False
        key = (read.epc, read.antenna)
        window = self._windows.get(key)
        if window is None:
            self._windows[key] = _Window(read.at, False, read.count, read.at, read.at, read.rssi)
        elif window.count == 0:
            window.count, window.first, window.last, window.rssi = read.count, read.at, read.at, read.rssi
        else:
            window.count += read.count
            window.last = read.at
            if read.rssi is not None and (window.rssi is None or read.rssi > window.rssi):
                window.rssi = read.rssi
        antenna = read.antenna
        zone = (
            self._zones[antenna] if antenna in self._zones else self._zones.setdefault(antenna, self.zone_of(antenna))
        )
        stay = self._stays.get((zone, read.epc))
        if stay is None:
            self._stays[(zone, read.epc)] = [read.at, read.at]
        else:
            stay[1] = read.at
        return True

    def flush(self, now: float) -> list[Sighting]:
        """The sightings due now (new tags, windows that ended with reads); forgets finished windows and stays."""
        out: list[Sighting] = []
        dedup_s = self.dedup_s
        for key, window in list(self._windows.items()):
            if not window.reported:
                out.append(self._sighting(key, window))
                window.reported, window.count = True, 0
            elif now - window.opened >= dedup_s:
                if window.count:
                    out.append(self._sighting(key, window))
                    window.opened, window.count = now, 0
                else:
                    del self._windows[key]
        horizon = now - self.zone_absent_s
        for key, stay in list(self._stays.items()):
            if stay[1] < horizon:
                del self._stays[key]
        return out

    def drain(self) -> list[Sighting]:
        """Every read not yet reported (at shutdown: nothing counted is lost)."""
        out = [self._sighting(key, w) for key, w in self._windows.items() if w.count]
        self._windows.clear()
        return out

    def _sighting(self, key: tuple[str, int], window: _Window) -> Sighting:
        epc, antenna = key
        zone = self._zones.get(antenna, self.zone_of(antenna))
        stay = self._stays.get((zone, epc))
        since = min(stay[0], window.first) if stay is not None else None
        return Sighting(epc, antenna, window.rssi, window.count, window.first, window.last, zone, since)
