"""The simulated capability and uuid7: valid v1 events, seq from the outbox, count honoured."""

from __future__ import annotations

import uuid
from pathlib import Path

from edge_agent.agent import OutboxSink
from edge_agent.capabilities.base import Capability
from edge_agent.capabilities.simulated import SimulatedCapability
from edge_agent.ids import uuid7
from edge_agent.outbox import Outbox
from edge_agent.settings import SimulatedSettings
from protocol import parse_event
from protocol.envelope import AttendanceFaceEvent, FaceUnknownEvent


def test_uuid7_layout_and_order() -> None:
    first = uuid7(1_700_000_000_000)
    second = uuid7(1_700_000_000_001)
    assert first.version == 7 and first.variant == uuid.RFC_4122
    assert first.int >> 80 == 1_700_000_000_000
    assert first < second
    assert len({uuid7() for _ in range(10_000)}) == 10_000


def test_emits_count_valid_events_cycling_people(tmp_path: Path) -> None:
    settings = SimulatedSettings(enabled=True, interval_s=0.01, count=7, person_ids=["a", "b", "c"])
    cap = SimulatedCapability(settings)
    assert isinstance(cap, Capability)
    with Outbox(tmp_path / "outbox.sqlite3") as box:
        cap.start(OutboxSink("door-sim-01", box))
        assert cap.finished.wait(10)
        cap.stop()
        parsed = [parse_event(item.payload) for item in box.pending(100)]
    assert cap.emitted == 7
    events = [e for e in parsed if isinstance(e, AttendanceFaceEvent)]
    assert len(events) == len(parsed)
    assert [e.seq for e in events] == list(range(1, 8))
    assert [e.data.person_id for e in events] == ["a", "b", "c", "a", "b", "c", "a"]
    assert {e.device_id for e in events} == {"door-sim-01"}
    assert {e.data.model for e in events} == {"simulated"}
    assert len({e.id for e in events}) == 7
    assert all(e.ts.tzinfo is not None for e in events)


def test_stop_interrupts_an_endless_run(tmp_path: Path) -> None:
    cap = SimulatedCapability(SimulatedSettings(enabled=True, interval_s=60))
    with Outbox(tmp_path / "outbox.sqlite3") as box:
        cap.start(OutboxSink("door-sim-02", box))
        cap.stop()  # returns at once although the interval is a minute
        assert cap.finished.is_set()
        assert box.stats().pending_count in (0, 1)


def test_face_unknown_mode(tmp_path: Path) -> None:
    cap = SimulatedCapability(SimulatedSettings(enabled=True, interval_s=0.01, count=2, event_type="face.unknown"))
    with Outbox(tmp_path / "outbox.sqlite3") as box:
        cap.start(OutboxSink("door-sim-03", box))
        assert cap.finished.wait(10)
        cap.stop()
        events = [parse_event(item.payload) for item in box.pending(100)]
    assert [type(e) for e in events] == [FaceUnknownEvent, FaceUnknownEvent]
