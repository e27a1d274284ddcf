"""The durable outbox: every message is written here before any publish.

Why: a door terminal must never lose an attendance record because the network, the broker or
the hub is down, nor because the power is cut. Capabilities only ever call `put*`; the MQTT
link publishes what is pending, in id order, and deletes a row only once the broker has
acknowledged it (PUBACK). A row may therefore be published more than once (the hub
deduplicates on the event id); it is never lost once `put` has returned.

Storage: one SQLite file in WAL mode with `synchronous=FULL`, one transaction per `put`, so a
row whose `put` returned survives a SIGKILL and a power cut. Row ids are AUTOINCREMENT, never
reused, and give the publish order.

Byte budget and drop policy (stated, because a full disk on a Raspberry Pi stops everything):
- the budget is the sum of the payload sizes of pending rows, `max_bytes`;
- when a `put` takes the outbox over budget, the OLDEST non-durable rows (telemetry, status)
  are deleted first, until it is within budget again; each one is counted in
  `telemetry_dropped`, which is persisted and reported in telemetry;
- durable rows (every event type: attendance, face.unknown, rfid, meeting) are NEVER dropped.
  If only durable rows remain and the outbox is still over budget, they are all kept,
  `over_budget` becomes true and a warning is logged once (until it is within budget again).
  The disk, not the budget, is then the limit; the hub sees it in telemetry.

End-to-end receipts (when the agent runs with `await_receipts`): an event acknowledged by the
broker is only marked published; it is deleted when the hub's commit receipt names its id
(see protocol.receipts), and published again when no receipt comes within a timeout. Rows
without an event id (telemetry, status) are deleted on PUBACK as before.

The envelope `seq` is a per-device counter kept in the same database (`meta` table), bumped in
its own durable transaction, so it never repeats, even after a SIGKILL; `put_new_event`
allocates the seq and stores the event in one transaction, so a crash leaves no gap either.

Thread safety: one connection shared by the capability threads (writers) and the link's
publisher thread, serialised by a lock; SQLite holds it for one short transaction at a time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Self, TypeVar

from edge_agent.outbox_file import Event, Kind, OutboxItem, OutboxStats, connect
from protocol.telemetry import Telemetry
from protocol.topics import Topics

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_DROP_BATCH = 256


class Outbox:
    """A SQLite-backed FIFO of messages waiting for a broker acknowledgement."""

    def __init__(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {max_bytes}")
        self.path = path
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = connect(path)
        row = self._db.execute("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM outbox").fetchone()
        self._pending_count, self._pending_bytes = int(row[0]), int(row[1])
        self._over_budget = False
        self._closed = False

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Call `callback()` (from the writer's thread, so keep it tiny) after each stored row.

        The link uses it to wake its publisher instead of polling.
        """
        self._listeners.append(callback)

    # -- writing ---------------------------------------------------------------------------

    def put(
        self,
        topic: str,
        payload: bytes,
        qos: int,
        durable: bool,
        kind: Kind = "event",
        retain: bool = False,
    ) -> int:
        """Store one message durably and return its id (its place in the publish order)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row_id = self._insert(topic, payload, qos, durable, kind, retain)
                self._enforce_budget()
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        self._notify()
        return row_id

    def put_event(self, event: Event) -> int:
        """Store an event for `cces/v1/devices/{device_id}/events`, QoS 1, never dropped."""
        return self._put_event(lambda: event)[0]

    def put_new_event(self, build: Callable[[int], E]) -> tuple[int, E]:
        """Allocate the next seq, build the event with it and store it, in one transaction.

        A crash can then leave neither a stored event without its seq being consumed, nor a
        consumed seq without its event (no false gap at the hub). Returns (row id, event).
        """
        return self._put_event(lambda: build(self._bump_seq()))

    def put_new_events(self, builds: Sequence[Callable[[int], E]]) -> list[E]:
        """Like `put_new_event` for many events in ONE transaction (one fsync): the RFID capability
        stores a batch of reads this way, so a room of 1,000 tags costs one disk flush, not 1,000.
        All are stored, each with its seq, or none (the exception propagates)."""
        if not builds:
            return []
        events: list[E] = []
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for build in builds:
                    event = build(self._bump_seq())
                    payload = event.model_dump_json().encode()
                    self._insert(Topics(event.device_id).events, payload, 1, True, "event", False, str(event.id))
                    events.append(event)
                self._enforce_budget()
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        self._notify()
        return events

    def _put_event(self, make: Callable[[], E]) -> tuple[int, E]:
        """`make` runs inside the transaction, so a seq it takes is stored with its event or not at all."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                event = make()
                payload = event.model_dump_json().encode()
                row_id = self._insert(Topics(event.device_id).events, payload, 1, True, "event", False, str(event.id))
                self._enforce_budget()
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        self._notify()
        return row_id, event

    def put_telemetry(self, telemetry: Telemetry) -> int:
        """Store a heartbeat: QoS 0, first to go when the outbox is over budget."""
        topic = Topics(telemetry.device_id).telemetry
        return self.put(topic, telemetry.model_dump_json().encode(), qos=0, durable=False, kind="telemetry")

    def next_seq(self) -> int:
        """The next value of the persistent per-device counter (1, 2, …); never repeats."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                seq = self._bump_seq()
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        return seq

    def last_seq(self) -> int:
        """The last seq handed out (0 before the first event): how many events this device made."""
        with self._lock:
            return self._meta("seq")

    def mark_sent(self, ids: Iterable[int]) -> int:
        """Delete acknowledged rows; ids already gone (duplicate acks) are ignored. Returns rows deleted."""
        id_list = sorted(set(ids))
        if not id_list:
            return 0
        deleted = 0
        freed = 0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for start in range(0, len(id_list), 500):
                    chunk = id_list[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(
                        f"DELETE FROM outbox WHERE id IN ({marks}) RETURNING size", chunk
                    ).fetchall()
                    deleted += len(rows)
                    freed += sum(int(r[0]) for r in rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            self._pending_count -= deleted
            self._pending_bytes -= freed
            if self._over_budget and self._pending_bytes <= self.max_bytes:
                self._over_budget = False
                log.info("outbox back within its budget of %d bytes", self.max_bytes)
        return deleted

    def mark_published(self, ids: Iterable[int]) -> int:
        """PUBACK in receipt mode: events wait for the hub's receipt; anything else is done.

        Returns how many rows were deleted (those without an event id).
        """
        id_list = sorted(set(ids))
        if not id_list:
            return 0
        now = time.time()
        doomed: list[int] = []
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for start in range(0, len(id_list), 500):
                    chunk = id_list[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    self._db.execute(
                        f"UPDATE outbox SET published_at = ? WHERE id IN ({marks}) AND event_id IS NOT NULL",
                        [now, *chunk],
                    )
                    doomed += [
                        int(r[0])
                        for r in self._db.execute(
                            f"SELECT id FROM outbox WHERE id IN ({marks}) AND event_id IS NULL", chunk
                        )
                    ]
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        return self.mark_sent(doomed)

    def confirm(self, event_ids: Iterable[str]) -> int:
        """A commit receipt: delete these events for good. Unknown ids (already gone) are ignored."""
        id_list = sorted(set(event_ids))
        if not id_list:
            return 0
        with self._lock:
            rows: list[int] = []
            for start in range(0, len(id_list), 500):
                chunk = id_list[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows += [
                    int(r[0]) for r in self._db.execute(f"SELECT id FROM outbox WHERE event_id IN ({marks})", chunk)
                ]
        return self.mark_sent(rows)

    def requeue_unconfirmed(self, older_than_s: float) -> int:
        """Events published longer ago than this without a receipt go back to pending (resent)."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE outbox SET published_at = NULL WHERE published_at IS NOT NULL AND published_at < ?",
                (time.time() - older_than_s,),
            )
            return int(cursor.rowcount)

    # -- reading ---------------------------------------------------------------------------

    def pending(self, limit: int, after_id: int | None = None) -> list[OutboxItem]:
        """Up to `limit` pending rows with id > `after_id`, in id (publish) order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, topic, payload, qos, retain, kind, durable, created_at, size FROM outbox"
                " WHERE id > ? AND published_at IS NULL ORDER BY id LIMIT ?",
                (after_id if after_id is not None else 0, limit),
            ).fetchall()
        return [
            OutboxItem(
                id=r[0],
                topic=r[1],
                payload=bytes(r[2]),
                qos=r[3],
                retain=bool(r[4]),
                kind=r[5],
                durable=bool(r[6]),
                created_at=r[7],
                size=r[8],
            )
            for r in rows
        ]

    def stats(self) -> OutboxStats:
        with self._lock:
            dropped = self._meta("telemetry_dropped")
            return OutboxStats(self._pending_count, self._pending_bytes, dropped)

    @property
    def over_budget(self) -> bool:
        """True while only durable rows remain and they exceed the budget (they are all kept)."""
        return self._over_budget

    # -- internals (called with the lock held, inside a transaction) ------------------------

    def _insert(
        self, topic: str, payload: bytes, qos: int, durable: bool, kind: Kind, retain: bool, event_id: str | None = None
    ) -> int:
        if qos not in (0, 1, 2):
            raise ValueError(f"qos must be 0, 1 or 2, got {qos}")
        size = len(payload)
        cursor = self._db.execute(
            "INSERT INTO outbox (topic, payload, qos, retain, kind, durable, created_at, size, event_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (topic, payload, qos, int(retain), kind, int(durable), time.time(), size, event_id),
        )
        self._pending_count += 1
        self._pending_bytes += size
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _enforce_budget(self) -> None:
        dropped = 0
        while self._pending_bytes > self.max_bytes:
            victims: Sequence[tuple[int, int]] = self._db.execute(
                "SELECT id, size FROM outbox WHERE durable = 0 ORDER BY id LIMIT ?", (_DROP_BATCH,)
            ).fetchall()
            if not victims:
                break
            chosen: list[int] = []
            for row_id, size in victims:
                if self._pending_bytes <= self.max_bytes:
                    break
                chosen.append(row_id)
                self._pending_bytes -= size
                self._pending_count -= 1
            marks = ",".join("?" * len(chosen))
            self._db.execute(f"DELETE FROM outbox WHERE id IN ({marks})", chosen)
            dropped += len(chosen)
        if dropped:
            self._db.execute("UPDATE meta SET value = value + ? WHERE key = 'telemetry_dropped'", (dropped,))
            log.debug("outbox over budget: dropped %d oldest non-durable rows", dropped)
        if self._pending_bytes > self.max_bytes:
            if not self._over_budget:
                self._over_budget = True
                log.warning(
                    "outbox holds %d bytes of durable events, over its budget of %d bytes; keeping them all",
                    self._pending_bytes,
                    self.max_bytes,
                )
        else:
            self._over_budget = False

    def _bump_seq(self) -> int:
        row = self._db.execute("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value").fetchone()
        return int(row[0])

    def _meta(self, key: str) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def _rollback(self) -> None:
        """Undo a failed transaction and re-read the counters it may have moved."""
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")
        row = self._db.execute("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM outbox").fetchone()
        self._pending_count, self._pending_bytes = int(row[0]), int(row[1])

    def _notify(self) -> None:
        for callback in self._listeners:
            callback()
