"""The `rfid` capability: a reader's reads → filter and de-duplication → `rfid.read` events in the outbox.

One thread owns the reader: it reads for at most `batch_s`, feeds the aggregator (`edge_agent.rfid_filter`)
and every `batch_s` stores the due sightings as events in one outbox transaction. A reader that fails
(`ReaderGone`: unplugged, no answer) is closed and opened again after a backoff doubling from
`reconnect_min_s` to `reconnect_max_s`; meanwhile the windows still close and their reads are stored.
Its state (`connected`, `connecting`, `backoff`, `stopped`), reconnects and last error are in the heartbeat
(`rfid.*` metrics). The hub's config (`protocol.config.RfidConfig`) is applied by `configure`: filter
settings at once, a new reader, port or power by reopening the reader on this thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from devices.rfid.base import ReaderError, TagReader
from edge_agent.capabilities.base import BatchSink, EventSink
from edge_agent.ids import uuid7
from edge_agent.rfid_filter import ReadAggregator, Sighting
from edge_agent.rfid_settings import RfidSettings
from protocol.envelope import RfidReadData, RfidReadEvent
from protocol.telemetry import MetricValue

log = logging.getLogger(__name__)

ReaderFactory = Callable[[RfidSettings], TagReader]


def open_reader(settings: RfidSettings) -> TagReader:
    """The reader the settings name (not opened)."""
    if settings.port is None:
        raise ReaderError("rfid.port is not set")
    if settings.reader == "chafon":
        from devices.rfid.chafon import ChafonReader

        return ChafonReader(
            settings.port, name=settings.name, baudrate=settings.baudrate or 57600, power_dbm=settings.power_dbm
        )
    if settings.reader == "yrm100":
        from devices.rfid.yrm100 import Yrm100Reader

        return Yrm100Reader(
            settings.port, name=settings.name, baudrate=settings.baudrate or 115200, power_dbm=settings.power_dbm
        )
    if settings.reader == "llrp":
        from devices.rfid.llrp import LLRP_PORT, LlrpReader

        host, _, port = settings.port.rpartition(":") if settings.port.count(":") == 1 else (settings.port, "", "")
        if port and not port.isdigit():
            raise ReaderError(f"rfid.port {settings.port!r}: expected host[:port]")
        return LlrpReader(
            host or settings.port,
            port=int(port) if port else LLRP_PORT,
            name=settings.name,
            antennas=tuple(a.port for a in settings.antennas if a.port > 0) or (1,),
            power_dbm=settings.power_dbm,
        )
    from devices.rfid.wedge import WedgeReader

    return WedgeReader(settings.port, name=settings.name)


def _ts(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _event(device_id: str, reader: str, decode: bool, sighting: Sighting, seq: int) -> RfidReadEvent:
    scheme = uri = None
    if decode:
        from protocol.epc import identify  # cached: a tag seen again costs a dictionary lookup

        found = identify(sighting.epc)
        if found is not None:
            scheme, uri = found.scheme, found.pure_uri
    return RfidReadEvent(
        id=uuid7(),
        device_id=device_id,
        ts=_ts(sighting.last_seen),
        seq=seq,
        data=RfidReadData(
            epc=sighting.epc,
            antenna=sighting.antenna,
            rssi=sighting.rssi,
            count=sighting.count,
            first_seen=_ts(sighting.first_seen),
            last_seen=_ts(sighting.last_seen),
            scheme=scheme,
            uri=uri,
            zone=sighting.zone,
            reader=reader,
            zone_first_seen=_ts(sighting.zone_first_seen) if sighting.zone_first_seen is not None else None,
        ),
    )


class RfidCapability:
    name = "rfid"

    def __init__(self, settings: RfidSettings, reader_factory: ReaderFactory = open_reader) -> None:
        self._settings = settings
        self.base_settings = settings  # the device's own (agent.toml): the hub's config is laid over these
        self._factory = reader_factory
        self._aggregator = self._new_aggregator(settings)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pending_settings: RfidSettings | None = None
        self._lock = threading.Lock()
        self.state = "stopped"
        self.connects = 0
        self.reconnects = 0
        self.events = 0
        self.last_error: str | None = None
        self.backoff_s = 0.0
        self.connected = threading.Event()

    @property
    def settings(self) -> RfidSettings:
        return self._settings

    @staticmethod
    def _new_aggregator(settings: RfidSettings) -> ReadAggregator:
        return ReadAggregator(
            dedup_s=settings.dedup_s,
            zone_absent_s=settings.zone_absent_s,
            rssi_floor_dbm=settings.rssi_floor_dbm,
            zone_of=settings.zone_of,
        )

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, sink: EventSink) -> None:
        if self._thread is not None:
            raise RuntimeError("rfid capability already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name="cap-rfid", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def configure(self, settings: RfidSettings) -> None:
        """New settings (the hub's config): taken by the reader thread before its next read."""
        with self._lock:
            self._pending_settings = settings

    def metrics(self) -> dict[str, MetricValue]:
        a = self._aggregator
        return {
            "reader": self._settings.name,
            "reader_kind": self._settings.reader,
            "state": self.state,
            "connects": self.connects,
            "reconnects": self.reconnects,
            "backoff_s": round(self.backoff_s, 3),
            "last_error": self.last_error,
            "reads": a.reads,
            "below_floor": a.below_floor,
            "events": self.events,
            "open_windows": a.open_windows,
            "tags_present": a.tags_present,
            "zone": self._settings.zone,
        }

    # -- the reader thread ---------------------------------------------------------------------

    def _run(self, sink: EventSink) -> None:
        delay = self._settings.reconnect_min_s
        reader: TagReader | None = None
        next_flush = time.monotonic() + self._settings.batch_s
        try:
            while not self._stop.is_set():
                if self._take_settings() and reader is not None:
                    reader.close()
                    reader = None  # reopened below with the new reader, port or power
                if reader is None:
                    reader = self._connect()
                    if reader is None:
                        self.state, self.backoff_s = "backoff", delay
                        until = time.monotonic() + delay
                        while not self._stop.is_set() and (left := until - time.monotonic()) > 0:
                            next_flush = self._maybe_flush(sink, next_flush)
                            self._stop.wait(min(left, self._settings.batch_s))
                        delay = min(delay * 2, self._settings.reconnect_max_s)
                        continue
                    delay, self.backoff_s = self._settings.reconnect_min_s, 0.0
                try:
                    wait = max(0.0, min(next_flush - time.monotonic(), self._settings.batch_s))
                    for read in reader.read(wait):
                        self._aggregator.add(read)
                except ReaderError as exc:
                    self._lost(reader, exc)
                    reader = None
                    continue
                next_flush = self._maybe_flush(sink, next_flush)
        except Exception:  # a capability thread must not die silently
            log.exception("rfid capability failed")
            self.last_error = "internal error (see the agent's log)"
        finally:
            if reader is not None:
                reader.close()
            self.connected.clear()
            try:
                self._store(sink, self._aggregator.drain())
            except Exception:
                log.exception("rfid: reads counted at shutdown could not be stored")
            self.state = "stopped"

    def _take_settings(self) -> bool:
        with self._lock:
            fresh, self._pending_settings = self._pending_settings, None
        if fresh is None or fresh == self._settings:
            return False
        old, self._settings = self._settings, fresh
        self._aggregator.configure(
            dedup_s=fresh.dedup_s,
            zone_absent_s=fresh.zone_absent_s,
            rssi_floor_dbm=fresh.rssi_floor_dbm,
            zone_of=fresh.zone_of,
        )
        reopen = (old.reader, old.port, old.baudrate, old.power_dbm, old.name) != (
            fresh.reader,
            fresh.port,
            fresh.baudrate,
            fresh.power_dbm,
            fresh.name,
        )
        log.info("rfid: new settings applied%s", " (reader reopened)" if reopen else "")
        return reopen

    def _connect(self) -> TagReader | None:
        self.state = "connecting"
        reader: TagReader | None = None
        try:
            reader = self._factory(self._settings)
            reader.open()
        except ReaderError as exc:
            if reader is not None:
                reader.close()
            self.last_error = " ".join(str(exc).split())[:300]
            log.warning("rfid: reader %s not available: %s", self._settings.name, self.last_error)
            return None
        if self.connects:
            self.reconnects += 1
        self.connects += 1
        self.state = "connected"
        self.connected.set()
        log.info(
            "rfid: reader %s (%s) connected on %s", self._settings.name, self._settings.reader, self._settings.port
        )
        return reader

    def _lost(self, reader: TagReader, exc: ReaderError) -> None:
        self.connected.clear()
        self.last_error = " ".join(str(exc).split())[:300]
        log.warning("rfid: reader %s lost: %s", self._settings.name, self.last_error)
        reader.close()

    def _maybe_flush(self, sink: EventSink, next_flush: float) -> float:
        now = time.monotonic()
        if now < next_flush:
            return next_flush
        self._store(sink, self._aggregator.flush(time.time()))
        return now + self._settings.batch_s

    def _store(self, sink: EventSink, sightings: list[Sighting]) -> None:
        if not sightings:
            return
        s = self._settings
        builds = [partial(_event, sink.device_id, s.name, s.decode, sighting) for sighting in sightings]
        if isinstance(sink, BatchSink):
            sink.emit_many(builds)
        else:
            for build in builds:
                sink.emit(build)
        self.events += len(builds)
