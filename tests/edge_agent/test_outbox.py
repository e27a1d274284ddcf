"""The durable outbox against real SQLite files: order, acks, seq, budget, crash safety."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from edge_agent.ids import uuid7
from edge_agent.outbox import Outbox
from protocol import parse_event
from protocol.envelope import AttendanceFaceData, AttendanceFaceEvent
from protocol.telemetry import Telemetry

REPO_ROOT = Path(__file__).resolve().parents[2]
DEVICE = "door-test-01"


def attendance(seq: int, person_id: str = "p-1") -> AttendanceFaceEvent:
    return AttendanceFaceEvent(
        id=uuid7(),
        device_id=DEVICE,
        ts=datetime.now(UTC),
        seq=seq,
        data=AttendanceFaceData(person_id=person_id, score=0.6, model="simulated"),
    )


def telemetry() -> Telemetry:
    return Telemetry(
        device_id=DEVICE,
        ts=datetime.now(UTC),
        uptime_s=1.0,
        software_version="0.0.0",
        outbox_pending=0,
        outbox_bytes=0,
    )


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


def test_pending_is_in_put_order_and_paged(outbox: Outbox) -> None:
    ids = [outbox.put(f"t/{i}", f"payload {i}".encode(), qos=1, durable=True) for i in range(10)]
    assert ids == sorted(ids)
    items = outbox.pending(limit=4)
    assert [i.id for i in items] == ids[:4]
    assert [i.payload for i in items] == [f"payload {i}".encode() for i in range(4)]
    more = outbox.pending(limit=100, after_id=items[-1].id)
    assert [i.id for i in more] == ids[4:]
    assert outbox.stats().pending_count == 10


def test_mark_sent_deletes_rows_and_ignores_duplicates(outbox: Outbox) -> None:
    ids = [outbox.put("t", b"x" * 10, qos=1, durable=True) for _ in range(5)]
    assert outbox.mark_sent([ids[1], ids[3]]) == 2
    assert outbox.mark_sent([ids[1], ids[3]]) == 0  # a duplicate PUBACK after a replay
    assert [i.id for i in outbox.pending(100)] == [ids[0], ids[2], ids[4]]
    assert outbox.stats()[:2] == (3, 30)


def test_wal_and_full_sync(outbox: Outbox) -> None:
    assert outbox._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert outbox._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_put_event_stores_a_valid_v1_event(outbox: Outbox) -> None:
    event = attendance(outbox.next_seq())
    outbox.put_event(event)
    (item,) = outbox.pending(10)
    assert item.topic == f"cces/v1/devices/{DEVICE}/events"
    assert (item.qos, item.durable, item.kind) == (1, True, "event")
    parsed = parse_event(item.payload)
    assert (parsed.id, parsed.seq, parsed.data) == (event.id, event.seq, event.data)
    assert abs((parsed.ts - event.ts).total_seconds()) < 0.001  # the wire keeps milliseconds


def test_put_new_event_allocates_seq_and_stores_in_one_go(outbox: Outbox) -> None:
    row_id, event = outbox.put_new_event(attendance)
    assert event.seq == 1
    (item,) = outbox.pending(10)
    assert item.id == row_id
    assert parse_event(item.payload).seq == 1


def test_failed_build_rolls_back_the_seq(outbox: Outbox) -> None:
    def broken(seq: int) -> AttendanceFaceEvent:
        raise RuntimeError("camera gone")

    with pytest.raises(RuntimeError):
        outbox.put_new_event(broken)
    assert outbox.next_seq() == 1  # no gap
    assert outbox.stats().pending_count == 0


def test_seq_never_repeats_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    with Outbox(path) as first:
        seen = [first.next_seq() for _ in range(5)]
    with Outbox(path) as second:
        seen += [second.next_seq() for _ in range(5)]
    assert seen == list(range(1, 11))


def test_rows_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    with Outbox(path) as first:
        ids = [first.put("t", b"abc", qos=1, durable=True) for _ in range(3)]
        first.mark_sent(ids[:1])
    with Outbox(path) as second:
        assert [i.id for i in second.pending(10)] == ids[1:]
        assert second.stats()[:2] == (2, 6)
        assert second.put("t", b"abc", qos=1, durable=True) > ids[-1]  # ids are never reused


def test_budget_drops_oldest_telemetry_first_never_events(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.sqlite3", max_bytes=5000)
    tele = [box.put("t/tele", b"t" * 1000, qos=0, durable=False, kind="telemetry") for _ in range(3)]
    events = [box.put("t/ev", b"e" * 1000, qos=1, durable=True) for _ in range(2)]
    assert box.stats() == (5, 5000, 0)  # exactly at budget: nothing dropped
    events.append(box.put("t/ev", b"e" * 1000, qos=1, durable=True))
    # one row over: the oldest telemetry row goes
    assert [i.id for i in box.pending(100)] == tele[1:] + events
    assert box.stats() == (5, 5000, 1)
    events.append(box.put("t/ev", b"e" * 2500, qos=1, durable=True))
    assert [i.id for i in box.pending(100)] == events  # both remaining telemetry rows went
    assert box.stats().telemetry_dropped == 3
    assert box.over_budget  # 5500 bytes of events are kept over a 5000 budget
    box.close()
    with Outbox(tmp_path / "outbox.sqlite3", max_bytes=5000) as again:
        assert again.stats().telemetry_dropped == 3  # the count is persisted


def test_only_events_over_budget_are_all_kept_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="edge_agent.outbox")
    with Outbox(tmp_path / "outbox.sqlite3", max_bytes=4096) as box:
        ids = [box.put("t/ev", b"e" * 1000, qos=1, durable=True) for _ in range(10)]
        assert [i.id for i in box.pending(100)] == ids
        assert box.over_budget
        warnings = [r for r in caplog.records if "over its budget" in r.getMessage()]
        assert len(warnings) == 1
        # a telemetry row put while over budget is the one dropped: events still win
        box.put_telemetry(telemetry())
        assert [i.id for i in box.pending(100)] == ids
        assert box.stats().telemetry_dropped == 1
        box.mark_sent(ids[:7])
        assert not box.over_budget


def test_telemetry_rows_are_qos0_and_droppable(outbox: Outbox) -> None:
    outbox.put_telemetry(telemetry())
    (item,) = outbox.pending(10)
    assert (item.topic, item.qos, item.durable, item.kind) == (
        f"cces/v1/devices/{DEVICE}/telemetry",
        0,
        False,
        "telemetry",
    )
    assert Telemetry.model_validate_json(item.payload).device_id == DEVICE


def test_listener_is_called_after_each_put(outbox: Outbox) -> None:
    calls: list[int] = []
    outbox.add_listener(lambda: calls.append(1))
    outbox.put("t", b"x", qos=1, durable=True)
    outbox.put_new_event(attendance)
    assert len(calls) == 2


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tests.edge_agent.test_outbox import attendance
    from edge_agent.outbox import Outbox

    box = Outbox(Path(sys.argv[1]))
    while True:
        row_id, event = box.put_new_event(attendance)
        print(row_id, event.seq, event.id, flush=True)
    """
)


def test_every_row_put_returned_for_survives_sigkill(tmp_path: Path) -> None:
    """A writer is SIGKILLed mid-stream: every row whose put() returned is there on reopen."""
    path = tmp_path / "outbox.sqlite3"
    env = {**os.environ, "PYTHONPATH": f"{REPO_ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, env=env, cwd=REPO_ROOT, text=True
    )
    assert proc.stdout is not None
    confirmed: list[tuple[int, int, str]] = []
    try:
        for line in proc.stdout:
            row, seq_text, event_id = line.split()
            confirmed.append((int(row), int(seq_text), event_id))
            if len(confirmed) >= 150:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert len(confirmed) >= 150
    with Outbox(path) as box:
        stored = {item.id: parse_event(item.payload) for item in box.pending(100_000)}
        for row_id, seq, event_id in confirmed:
            assert row_id in stored, f"row {row_id} was confirmed by put() but is gone"
            assert stored[row_id].seq == seq
            assert str(stored[row_id].id) == event_id
        # the seq continues after everything the killed writer allocated
        assert box.next_seq() > max(e.seq for e in stored.values())
        seqs = sorted(e.seq for e in stored.values())
        assert seqs == list(range(1, len(seqs) + 1))  # no gap, no repeat
