"""The live feed: committed check-ins and device status changes, pushed to in-process subscribers.

Any hub process (an API/UI node, an ingest worker) runs one `LiveFeed`. Ingest workers may be
other processes, so the feed learns of new rows from PostgreSQL itself: ingest sends
`pg_notify('cces_attendance', …)` in the transaction that inserts the rows, and a trigger on
`devices` sends `cces_device_status` (migration 0030). PostgreSQL delivers a notification only
after COMMIT, so what the feed announces is stored.

One listener thread holds one dedicated connection (not from the pool: LISTEN is per session),
reads the announced rows back joined with the employee's name and unit, and hands each item to
every subscriber's bounded inbox. Nothing here waits for a subscriber: a full inbox drops its
oldest item (and counts it), so a slow page never slows the listener — and the listener keeps
draining, so PostgreSQL's notification queue never fills and ingest's NOTIFY never blocks.

When the connection is lost (database restart, network), the listener reconnects with backoff,
reads back what was stored meanwhile (bounded), and then sends a `FeedGap` so pages reload
their figures.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg

from hub.live import repository
from hub.live.models import (
    ATTENDANCE_CHANNEL,
    DEVICE_STATUS_CHANNEL,
    INBOX_CHANNEL,  # notifications (hub.notifications): the bell
    CheckIn,
    DeviceStatusChange,
    FeedGap,
    InboxChanged,
    LiveItem,
)

log = logging.getLogger(__name__)

#: rows stored within this before the last one seen are read again after a reconnect (a batch's
#: received_at is its transaction's start, which may precede an earlier-committed batch's)
_WATERMARK_MARGIN = timedelta(seconds=10)
#: event ids remembered to deliver each check-in once (catch-up and notifications overlap)
_SEEN_IDS = 50_000


class Subscription:
    """A subscriber's bounded inbox. Thread-safe; the listener puts, the subscriber takes.

    `get(timeout)` waits for one item; `drain()` takes whatever is there (for a UI timer).
    When the inbox is full the oldest item is dropped and counted in `dropped`.
    """

    def __init__(
        self,
        feed: LiveFeed,
        maxsize: int,
        unit_path: str | None,
        kinds: frozenset[type] | None,
    ) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self._feed = feed
        self._items: deque[LiveItem] = deque()
        self._maxsize = maxsize
        self._ready = threading.Condition()
        self.unit_path = unit_path
        self.kinds = kinds
        self.dropped = 0
        self.closed = False

    def wants(self, item: LiveItem) -> bool:
        if self.kinds is not None and type(item) not in self.kinds:
            return False
        if self.kinds is None and isinstance(item, InboxChanged):  # only to those asking for it (the bell)
            return False
        if self.unit_path is not None and isinstance(item, CheckIn):
            return item.unit_path is not None and item.unit_path.startswith(self.unit_path)
        return True

    def offer(self, item: LiveItem) -> None:
        """Called by the listener: never blocks."""
        with self._ready:
            if self.closed:
                return
            if len(self._items) >= self._maxsize:
                self._items.popleft()
                self.dropped += 1
            self._items.append(item)
            self._ready.notify()

    def get(self, timeout: float | None = None) -> LiveItem | None:
        """The next item, waiting up to `timeout` seconds (None: until one comes or the subscription closes)."""
        with self._ready:
            if not self._items and not self.closed:
                self._ready.wait_for(lambda: self._items or self.closed, timeout)
            return self._items.popleft() if self._items else None

    def drain(self, max_items: int | None = None) -> list[LiveItem]:
        """Everything waiting (at most `max_items`), oldest first, without waiting."""
        with self._ready:
            n = len(self._items) if max_items is None else min(max_items, len(self._items))
            return [self._items.popleft() for _ in range(n)]

    def close(self) -> None:
        """Stop receiving; a blocked `get` returns None."""
        self._feed.unsubscribe(self)
        with self._ready:
            self.closed = True
            self._items.clear()
            self._ready.notify_all()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@dataclass
class FeedStats:
    notifications: int = 0
    delivered: int = 0  # items handed to subscribers (each item once, however many subscribers)
    reconnects: int = 0
    gaps: int = 0
    last_error: str | None = None


@dataclass
class _State:
    """The listener thread's own bookkeeping (touched by that thread only)."""

    seen: OrderedDict[object, None] = field(default_factory=OrderedDict)
    checkin_mark: datetime | None = None  # latest received_at delivered (or the connect time)
    status_mark: datetime | None = None  # latest status change delivered (or the connect time)

    def first_time(self, key: object) -> bool:
        if key in self.seen:
            return False
        self.seen[key] = None
        if len(self.seen) > _SEEN_IDS:
            self.seen.popitem(last=False)
        return True


class LiveFeed:
    """LISTEN for committed check-ins and device status changes; fan them out to subscribers.

    `start()` returns at once (the listener connects in the background: see `wait_connected`);
    `stop()` ends the thread and closes its connection.
    """

    def __init__(
        self,
        database_url: str,
        *,
        poll_interval_s: float = 1.0,
        keepalive_s: float = 30.0,
        reconnect_max_s: float = 10.0,
        catch_up_window: timedelta = timedelta(days=1),
        catch_up_limit: int = 5000,
    ) -> None:
        self._url = database_url
        self._poll = poll_interval_s
        self._keepalive = keepalive_s
        self._reconnect_max = reconnect_max_s
        self._catch_up_window = catch_up_window
        self._catch_up_limit = catch_up_limit
        self._subscribers: list[Subscription] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connected = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: psycopg.Connection | None = None
        self._state = _State()
        self.stats = FeedStats()

    # -- subscribers -------------------------------------------------------------------------

    def subscribe(
        self,
        *,
        unit_path: str | None = None,
        kinds: Iterable[type] | None = None,
        maxsize: int = 1000,
        callback: Callable[[LiveItem], None] | None = None,
    ) -> Subscription:
        """A new inbox. `unit_path` ("/1/7/") keeps only check-ins of that subtree (device changes and
        gaps always pass); `kinds` keeps only those item types (e.g. {CheckIn}).

        With `callback`, a thread of the subscription's own calls it for each item (exceptions are
        logged): a slow callback only fills its own inbox. Without, call `get`/`drain`.
        """
        sub = Subscription(self, maxsize, unit_path, frozenset(kinds) if kinds is not None else None)
        with self._lock:
            self._subscribers.append(sub)
        if callback is not None:
            threading.Thread(target=_call_back, args=(sub, callback), name="live-subscriber", daemon=True).start()
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            if sub in self._subscribers:
                self._subscribers.remove(sub)

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)

    def subscribers_of(self, kind: type) -> int:
        """Subscriptions that receive items of `kind` (the bell's one subscription aside, for instance)."""
        with self._lock:
            wanted = [kind in s.kinds if s.kinds is not None else kind is not InboxChanged for s in self._subscribers]
            return sum(wanted)

    def _publish(self, items: Iterable[LiveItem]) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for item in items:
            self.stats.delivered += 1
            for sub in subscribers:
                if sub.wants(item):
                    sub.offer(item)

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the live feed is already started")
        self._thread = threading.Thread(target=self._run, name="live-feed", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        with self._lock:
            subscribers = list(self._subscribers)
        for sub in subscribers:
            sub.close()

    # -- the listener thread -----------------------------------------------------------------

    def _run(self) -> None:
        delay = 0.5
        lost_at: datetime | None = None
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as conn:
                    repository.listen(conn, (ATTENDANCE_CHANNEL, DEVICE_STATUS_CHANNEL, INBOX_CHANNEL))
                    now = repository.database_now(conn)
                    if lost_at is None:
                        self._state.checkin_mark = self._state.status_mark = now
                    else:
                        self._catch_up(conn, lost_at, now)
                    self._connected.set()
                    delay = 0.5
                    log.info("live feed listening on %s, %s", ATTENDANCE_CHANNEL, DEVICE_STATUS_CHANNEL)
                    self._listen(conn)
            except psycopg.Error as exc:
                self.stats.last_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                lost_at = lost_at or _utcnow()
                self._connected.clear()
                if self._stopping.is_set():
                    break
                self.stats.reconnects += 1
                log.warning("live feed lost the database (%s); reconnecting in %.1fs", self.stats.last_error, delay)
                self._stopping.wait(delay)
                delay = min(delay * 2, self._reconnect_max)
            except Exception:  # a bug must not silently end the feed: log it, reconnect
                log.exception("live feed listener failed; restarting it")
                self._connected.clear()
                lost_at = lost_at or _utcnow()
                self._stopping.wait(delay)
                delay = min(delay * 2, self._reconnect_max)
            else:
                lost_at = None
        self._connected.clear()

    def _listen(self, conn: psycopg.Connection) -> None:
        idle = 0.0
        while not self._stopping.is_set():
            notes = list(conn.notifies(timeout=self._poll, stop_after=1))
            if not notes:
                idle += self._poll
                if idle >= self._keepalive:  # a silent network loss shows only when we speak
                    repository.database_now(conn)
                    idle = 0.0
                continue
            idle = 0.0
            notes += list(conn.notifies(timeout=0.0))  # whatever else already arrived
            self.stats.notifications += len(notes)
            self._handle(conn, notes)

    def _handle(self, conn: psycopg.Connection, notes: list[psycopg.Notify]) -> None:
        status_payloads = []
        for note in notes:
            if note.channel == ATTENDANCE_CHANNEL:
                try:
                    notice = repository.AttendanceNotice.parse(note.payload)
                except ValueError as exc:
                    log.warning("live feed: %s", exc)
                    continue
                self._deliver_checkins(repository.checkins_of(conn, notice))
            elif note.channel == DEVICE_STATUS_CHANNEL:
                status_payloads.append(note.payload)
            elif note.channel == INBOX_CHANNEL:  # notifications: whose unread count changed
                self._publish([_inbox_changed(note.payload)])
        if status_payloads:
            self._deliver_status(conn, status_payloads)

    def _deliver_checkins(self, checkins: list[CheckIn]) -> int:
        fresh = [c for c in checkins if self._state.first_time(c.event_id)]
        if checkins:
            latest = max(c.received_at for c in checkins)
            if self._state.checkin_mark is None or latest > self._state.checkin_mark:
                self._state.checkin_mark = latest
        self._publish(fresh)
        return len(fresh)

    def _deliver_status(self, conn: psycopg.Connection, payloads: list[str]) -> None:
        parsed = []
        for payload in payloads:
            try:
                obj = json.loads(payload)
                parsed.append((str(obj["device_id"]), bool(obj["online"]), datetime.fromisoformat(obj["at"])))
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("live feed: not a device status notice %r (%s)", payload[:200], exc)
        info = repository.devices_info(conn, sorted({p[0] for p in parsed}))
        changes = [DeviceStatusChange(d, online, at, *info.get(d, (None, None, None))) for d, online, at in parsed]
        self._deliver_changes(changes)

    def _deliver_changes(self, changes: list[DeviceStatusChange]) -> int:
        fresh = [c for c in changes if self._state.first_time((c.device_id, c.at, c.online))]
        for c in changes:
            if self._state.status_mark is None or c.at > self._state.status_mark:
                self._state.status_mark = c.at
        self._publish(fresh)
        return len(fresh)

    def _catch_up(self, conn: psycopg.Connection, lost_at: datetime, now: datetime) -> None:
        """After a reconnect: deliver what was stored meanwhile (bounded), then a FeedGap."""
        recovered = 0
        mark = self._state.checkin_mark or lost_at
        since = mark - _WATERMARK_MARGIN
        recovered += self._deliver_checkins(
            repository.checkins_received_since(conn, since, since - self._catch_up_window, self._catch_up_limit)
        )
        status_since = (self._state.status_mark or lost_at) - _WATERMARK_MARGIN
        recovered += self._deliver_changes(repository.device_changes_since(conn, status_since, self._catch_up_limit))
        self.stats.gaps += 1
        self._publish([FeedGap(since=lost_at, until=now, recovered=recovered)])
        log.info("live feed reconnected: %d item(s) recovered from %s to %s", recovered, lost_at, now)


def _call_back(sub: Subscription, callback: Callable[[LiveItem], None]) -> None:
    while not sub.closed:
        item = sub.get(timeout=0.5)
        if item is None:
            continue
        try:
            callback(item)
        except Exception:  # one subscriber's bug must not end its delivery
            log.exception("live feed subscriber callback failed")


def _inbox_changed(payload: str) -> InboxChanged:
    """`{"u": [user ids]}` or `{"all": true}` (hub.notifications.repository.notify_inbox); anything else: all."""
    try:
        obj = json.loads(payload)
        if not obj.get("all"):
            return InboxChanged(frozenset(int(u) for u in obj["u"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        log.warning("live feed: not an inbox notice %r", payload[:200])
    return InboxChanged(frozenset(), everyone=True)


def _utcnow() -> datetime:
    return datetime.now(UTC)
