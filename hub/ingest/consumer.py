"""The hub's MQTT consumer: messages in, one transaction per batch, PUBACK after COMMIT.

Why this shape:
- paho's network thread only queues messages (a bounded queue: when the database is slow the
  queue fills, the network thread waits, and the broker holds the rest — backpressure, not
  unbounded memory);
- one writer thread turns a batch into rows and commits them in one transaction, and only
  then acknowledges each message (manual ack), so a crash before COMMIT means the broker
  redelivers and nothing is lost; a redelivery after COMMIT is a duplicate the (id, ts) key
  absorbs;
- after a reconnect the broker redelivers everything unacknowledged, so queued messages of
  the old connection are dropped from the queue, never acknowledged on the new one;
- one bad message never stops ingest: the contract refuses what no column can keep before any
  SQL, and a batch the database refuses anyway (for any reason but a lost connection) is split
  until the one refused message is found, which is dead-lettered with the database's reason
  while the others are stored;
- the writer runs under a supervisor (hub.supervisor): if it dies it is logged and started
  again, resuming its unfinished batch, and health reports ingest down meanwhile.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import paho.mqtt.client as mqtt
import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from hub.db import describe_error, is_refusal
from hub.devices import repository as devices_repo
from hub.ingest import repository as ingest_repo
from hub.ingest.classify import AcceptedEvent, AcceptedTelemetry, Classified, Reject, classify
from hub.ingest.records import SESSION_NEVER_EXPIRES, IngestConfig, IngestCounters, IngestHealth
from hub.ingest.rows import build_rows
from hub.mqtt import connect_async, new_client
from hub.snapshots.store import SnapshotStore
from hub.supervisor import SupervisedThread
from protocol.receipts import CommitReceipt
from protocol.topics import Topics, parse_device_topic

log = logging.getLogger(__name__)

#: receipts are coalesced: at most this often, or sooner for a device with this many ids
RECEIPT_INTERVAL_S = 0.5
RECEIPT_MAX_IDS = 2000


@dataclass
class _Message:
    generation: int
    mid: int
    qos: int
    topic: str
    payload: bytes
    done: bool = False  # committed (or dead-lettered) and acknowledged: never stored or acked twice


class _Refused(Exception):
    """The database (or the rows built for it) refused this batch for a reason that is not an outage."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class IngestService:
    def __init__(self, config: IngestConfig, pool: ConnectionPool, files: SnapshotStore) -> None:
        self.config = config
        self._pool = pool
        self._files = files
        self._queue: queue.Queue[_Message] = queue.Queue(maxsize=config.queue_size)
        self._generation = 0
        self._connected = threading.Event()
        self._stopping = threading.Event()
        self._writer = SupervisedThread(
            "ingest-writer", self._write_loop, self._stopping, min_backoff_s=config.restart_backoff_s
        )
        self._current: list[_Message] = []  # the batch being stored; resumed if the writer restarts
        self._last_commit = time.monotonic()
        self._known_devices: set[str] = set()
        self._months_ready: set[tuple[int, int]] = set()
        self.counters = IngestCounters()
        self._receipts: dict[str, list[UUID]] = {}  # committed, not yet receipted (writer thread only)
        self._receipts_sent_at = 0.0
        #: told, after COMMIT, which devices just said they are online (hub.commands.resend re-sends to them)
        self.on_online: Callable[[list[str]], None] | None = None
        self._client = self._make_client()

    # -- MQTT side -------------------------------------------------------------------------
    def _make_client(self) -> mqtt.Client:
        client = new_client(self.config.login, self.config.client_id, persistent=True, manual_ack=True)
        client.max_inflight_messages_set(1000)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        return client

    def _topic(self, topic_filter: str) -> str:
        return Topics.shared(topic_filter) if self.config.shared_subscription else topic_filter

    def _on_connect(
        self, client: mqtt.Client, _userdata: object, _flags: object, reason: object, _props: object
    ) -> None:
        if getattr(reason, "is_failure", False):
            log.error("broker refused the hub: %s", reason)
            return
        client.subscribe(
            [
                (self._topic(Topics.all_events()), 1),
                (self._topic(Topics.all_telemetry()), 0),
                (Topics.all_status(), 1),
            ]
        )
        self._connected.set()
        log.info("ingest connected to %s", self.config.broker.url)

    def _on_disconnect(
        self, _client: mqtt.Client, _userdata: object, _flags: object, reason: object, _props: object
    ) -> None:
        self._connected.clear()
        self._generation += 1
        if not self._stopping.is_set():
            log.warning("ingest lost the broker (%s); reconnecting", reason)

    def _on_message(self, _client: mqtt.Client, _userdata: object, message: mqtt.MQTTMessage) -> None:
        item = _Message(self._generation, message.mid, message.qos, message.topic, bytes(message.payload))
        self.counters.received += 1  # only paho's network thread writes it
        while not self._stopping.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self._last_commit = time.monotonic()
        self._writer.start()
        connect_async(self._client, self.config.login, session_expiry_s=SESSION_NEVER_EXPIRES)
        self._client.loop_start()

    def health(self) -> IngestHealth:
        waiting = self._queue.qsize() + sum(1 for m in self._current if not m.done)
        return IngestHealth(
            writer=self._writer.state,
            connected=self.connected,
            backlog=waiting,
            last_commit_age_s=time.monotonic() - self._last_commit,
            stuck_after_s=self.config.stuck_after.total_seconds(),
        )

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def stop(self) -> None:
        """Stop taking messages; what is queued but not committed stays unacknowledged at the broker."""
        self._stopping.set()
        self._writer.join(timeout=30)
        self._client.disconnect()
        self._client.loop_stop()

    # -- writer side -----------------------------------------------------------------------
    def _next_batch(self) -> list[_Message]:
        try:
            first = self._queue.get(timeout=0.2)
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + self.config.batch_wait_s
        while len(batch) < self.config.batch_size:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _write_loop(self) -> None:
        """The writer's body (supervised): a batch at a time, resuming one a failure interrupted."""
        while not self._stopping.is_set():
            if not any(not m.done for m in self._current):
                self._current = self._next_batch()
                if not self._current:
                    self._last_commit = time.monotonic()  # nothing waits: ingest is not behind
                    self._flush_receipts()
                    continue
            self._store_with_retry(self._current)
        self._flush_receipts(force=True)

    def _registry(self, conn: psycopg.Connection, topics: list[str]) -> set[str] | None:
        """The registered devices among this batch's senders (cached; a new device is looked up once)."""
        if not self.config.check_registry:
            return None
        senders = {t.split("/")[3] for t in topics if t.count("/") >= 4}
        unknown = sorted(senders - self._known_devices)
        if unknown:
            self._known_devices |= devices_repo.registered_among(conn, unknown)
        return self._known_devices

    def _store_with_retry(self, batch: list[_Message]) -> None:
        """Store the batch's messages that are not done yet; while the database is away, wait and retry."""
        delay = 0.5
        while not self._stopping.is_set():
            pending = [m for m in batch if not m.done]
            if not pending:
                return
            try:
                self._store(pending)
                return
            except (psycopg.Error, PoolTimeout, OSError) as exc:
                self.counters.db_errors += 1
                self.counters.last_error = describe_error(exc)
                log.warning(
                    "database unavailable (%s); %d message(s) kept, retrying in %.1fs",
                    self.counters.last_error,
                    len(pending),
                    delay,
                )
                self._stopping.wait(delay)
                delay = min(delay * 2, 10.0)
        left = sum(1 for m in batch if not m.done)
        if left:
            log.info("stopping with %d messages uncommitted; the broker will redeliver them", left)

    def _store(self, messages: list[_Message]) -> None:
        """Commit `messages`; when the database refuses them, halve until the refused one is alone."""
        try:
            self._commit(messages)
        except _Refused as refused:
            if len(messages) == 1:
                self._dead_letter(messages[0], refused.cause)
                return
            log.warning(
                "the database refused a batch of %d (%s); splitting it to find the message",
                len(messages),
                describe_error(refused.cause),
            )
            middle = len(messages) // 2
            self._store(messages[:middle])
            self._store(messages[middle:])

    def _commit(self, batch: list[_Message]) -> None:
        now = datetime.now(UTC)
        started = time.perf_counter()
        with self._pool.connection() as conn:
            try:
                known = self._registry(conn, [m.topic for m in batch])
                items = [classify(m.topic, m.payload, known, now, self.config.max_future) for m in batch]
                rows, statuses = build_rows(items, self._files)
                self._ensure_months(conn, rows)
                with conn.transaction():  # rows, counters, device statuses: all or nothing
                    result = ingest_repo.store_batch(conn, self.config.worker, rows)
                    for status in statuses:
                        devices_repo.set_status(
                            conn, status.device_id, status.status.online, status.status.software_version
                        )
                    devices_repo.touch_last_seen(conn, {i.device_id for i in items if not isinstance(i, Reject)})
                    devices_repo.set_model_packs(conn, _reported_model_packs(items))
            except Exception as exc:
                if is_refusal(conn, exc):
                    raise _Refused(exc) from exc
                raise
        self.counters.commit_seconds.observe(time.perf_counter() - started)
        self._acknowledge(batch)
        if self.on_online is not None and (online := [s.device_id for s in statuses if s.status.online]):
            try:
                self.on_online(online)  # only queues them: the re-send runs on its own thread
            except Exception:  # a re-send missed now is made by the periodic round
                log.exception("telling the command re-sender about devices online failed")
        if self.config.send_receipts:
            self._send_receipts(items)
        self._count(result, [i.reason for i in items if isinstance(i, Reject)])

    def _dead_letter(self, message: _Message, cause: BaseException) -> None:
        """Keep a message the database refused, with the database's reason, and go on with the others."""
        device_id: str | None
        try:
            device_id, _ = parse_device_topic(message.topic)
        except ValueError:
            device_id = None
        reject = Reject(message.topic, device_id, "db_refused", describe_error(cause), message.payload)
        log.error("dead-lettered a message from %s that the database refused: %s", device_id, reject.detail)
        rows, _ = build_rows([reject], self._files)
        with self._pool.connection() as conn:
            result = ingest_repo.store_batch(conn, self.config.worker, rows)
        self._acknowledge([message])
        if self.config.send_receipts:
            self._send_receipts([reject])
        self._count(result, [reject.reason])

    def _acknowledge(self, messages: list[_Message]) -> None:
        """PUBACK what is now committed, once: a message of an earlier connection is redelivered instead."""
        generation = self._generation
        for message in messages:
            if message.qos > 0 and message.generation == generation and not message.done:
                self._client.ack(message.mid, message.qos)
            message.done = True
        self._last_commit = time.monotonic()

    def _count(self, result: ingest_repo.BatchResult, reasons: list[str]) -> None:
        with self.counters._lock:
            self.counters.batches += 1
            self.counters.accepted += result.accepted
            self.counters.duplicates += result.duplicates
            self.counters.rejected += result.rejected
            for reason in reasons:
                self.counters.rejected_by_reason[reason] = self.counters.rejected_by_reason.get(reason, 0) + 1

    def _send_receipts(self, items: list[Classified]) -> None:
        """Queue, per device, the ids of events now stored (or dead-lettered) for good.

        Receipts go for duplicates too: the device is waiting for them. A rejected payload is
        receipted when its id can be read, so a device never resends what the hub will always
        refuse. They are sent coalesced (see `_flush_receipts`), not one message per batch and
        device, which would cost the broker a message for every few events.
        """
        for item in items:
            if isinstance(item, AcceptedEvent):
                self._receipts.setdefault(item.device_id, []).append(item.event.id)
            elif isinstance(item, Reject) and item.device_id and (event_id := _readable_id(item.payload)):
                self._receipts.setdefault(item.device_id, []).append(event_id)
        self._flush_receipts()

    def _flush_receipts(self, force: bool = False) -> None:
        """Publish the queued receipts at most every RECEIPT_INTERVAL_S (or when one grows large)."""
        if not self._receipts:
            return
        due = force or time.monotonic() - self._receipts_sent_at >= RECEIPT_INTERVAL_S
        for device_id in list(self._receipts):
            ids = self._receipts[device_id]
            if not due and len(ids) < RECEIPT_MAX_IDS:
                continue
            for start in range(0, len(ids), RECEIPT_MAX_IDS):
                receipt = CommitReceipt(ids=ids[start : start + RECEIPT_MAX_IDS])
                self._client.publish(Topics(device_id).receipts, receipt.model_dump_json(), qos=1)
            del self._receipts[device_id]
        if due:
            self._receipts_sent_at = time.monotonic()

    def _ensure_months(self, conn: psycopg.Connection, rows: ingest_repo.BatchRows) -> None:
        stamps = [
            r[1].astimezone(UTC)
            for r in rows.attendance + rows.unknown_faces + rows.rfid_reads + rows.device_events + rows.telemetry
        ]
        missing = {(ts.year, ts.month) for ts in stamps} - self._months_ready
        if not missing:
            return
        earliest = min(ts for ts in stamps if (ts.year, ts.month) in missing)
        latest = max(ts for ts in stamps if (ts.year, ts.month) in missing)
        ingest_repo.ensure_partitions(conn, earliest, latest)
        self._months_ready |= missing


def _readable_id(payload: bytes) -> UUID | None:
    """The event id of a refused payload, when there is one to read."""
    try:
        obj = json.loads(payload)
        return UUID(str(obj["id"])) if isinstance(obj, dict) and "id" in obj else None
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def _reported_model_packs(items: list[Classified]) -> dict[str, str]:
    """The face model pack each device says it runs, from the heartbeats in a batch."""
    packs: dict[str, str] = {}
    for item in items:
        if isinstance(item, AcceptedTelemetry) and isinstance(pack := item.telemetry.metrics.get("faceid.model"), str):
            packs[item.device_id] = pack
    return packs
