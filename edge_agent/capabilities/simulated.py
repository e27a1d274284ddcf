"""A capability that emits recognitions without a camera: for demos, tests and load.

It goes through exactly the same path as a real capability (protocol models, outbox, link),
so an end-to-end run with it exercises everything but the hardware.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from functools import partial
from itertools import cycle

from edge_agent.capabilities.base import EventSink
from edge_agent.ids import uuid7
from edge_agent.settings import SimulatedSettings
from protocol.envelope import AttendanceFaceData, AttendanceFaceEvent, FaceUnknownData, FaceUnknownEvent

log = logging.getLogger(__name__)

SIMULATED_MODEL = "simulated"
SIMULATED_SCORE = 0.6


class SimulatedCapability:
    """Emits one event every `interval_s`, cycling through `person_ids`, until the device has made `count`."""

    name = "simulated"

    def __init__(self, settings: SimulatedSettings) -> None:
        self._settings = settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._emitted = 0
        self.finished = threading.Event()

    @property
    def emitted(self) -> int:
        """How many events this instance has stored so far."""
        return self._emitted

    def start(self, sink: EventSink) -> None:
        if self._thread is not None:
            raise RuntimeError("simulated capability already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name="cap-simulated", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self, sink: EventSink) -> None:
        settings = self._settings
        people = cycle(settings.person_ids)
        try:
            while not self._stop.is_set() and (settings.count is None or sink.last_seq < settings.count):
                person_id = next(people)
                if settings.event_type == "attendance.face":
                    sink.emit(partial(_attendance, sink.device_id, person_id))
                else:
                    sink.emit(partial(_unknown, sink.device_id))
                self._emitted += 1
                if settings.count is not None and sink.last_seq >= settings.count:
                    return
                if self._stop.wait(settings.interval_s):
                    return
        except Exception:  # a capability thread must not die silently
            log.exception("simulated capability failed after %d events", self._emitted)
        finally:
            self.finished.set()


def _attendance(device_id: str, person_id: str, seq: int) -> AttendanceFaceEvent:
    return AttendanceFaceEvent(
        id=uuid7(),
        device_id=device_id,
        ts=datetime.now(UTC),
        seq=seq,
        data=AttendanceFaceData(person_id=person_id, score=SIMULATED_SCORE, liveness=None, model=SIMULATED_MODEL),
    )


def _unknown(device_id: str, seq: int) -> FaceUnknownEvent:
    return FaceUnknownEvent(
        id=uuid7(),
        device_id=device_id,
        ts=datetime.now(UTC),
        seq=seq,
        data=FaceUnknownData(score=0.2, model=SIMULATED_MODEL),
    )
