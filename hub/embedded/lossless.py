"""amqtt's Broker with the holes closed that lose acknowledged QoS 1 messages.

amqtt acknowledges a device's PUBLISH as soon as it is queued inside the device's session, and
routes it to subscribers a moment later. Three things break that promise:

0. Delivery to a subscriber is one task per message, all at once, each waiting 5 s for the
   subscriber's PUBACK and then dropping the message for good (and more than 65,535 at once
   collide on packet ids and are dropped too). The hub acknowledges after COMMIT, so a flood
   (or a backlog replayed after an outage) outran those 5 s and lost tens of thousands of
   acknowledged events with nothing logged but "Timeout waiting for PUBACK". Messages for a
   persistent session (the hub's) now wait in a per-session outbox: at most `HUB_WINDOW` are in
   flight, one that times out is sent again, and while the session is away they stay queued.

1. When the device disconnects right after its PUBACK, amqtt stops the session's message loop
   and the queued, already-acknowledged messages are never routed. We route the leftovers.
2. On shutdown, whatever is still queued or in flight to the hub is dropped. `drain()` stops
   taking connections, closes the devices' connections (what they did not get a PUBACK for
   stays in their outboxes), and waits until everything acknowledged to a device has been
   acknowledged by the hub's ingest — which happens only after its COMMIT.

A crash of the process can still lose the messages of that instant (as a crash of Mosquitto
loses what arrived since its last autosave); production runs Mosquitto with persistence.
This reaches into amqtt internals, so `amqtt` is pinned to 0.12.x in pyproject.toml.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from typing import Any

from amqtt.broker import Broker
from amqtt.contexts import Action
from amqtt.mqtt.constants import QOS_1, QOS_2
from amqtt.session import Session

log = logging.getLogger(__name__)

#: QoS 1/2 messages in flight to one persistent session at a time: well inside amqtt's 5 s PUBACK
#: wait at the hub's commit rate, and far from the 65,535 packet ids
HUB_WINDOW = 500


class _Outbox:
    """What a persistent session is owed, in order; messages leave it only on the subscriber's PUBACK."""

    def __init__(self) -> None:
        self.pending: deque[tuple[str, bytes, int]] = deque()
        self.in_flight = 0
        self.wake = asyncio.Event()
        self.worker: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self.pending) + self.in_flight


class LosslessBroker(Broker):
    _outboxes: dict[int, tuple[Session, _Outbox]]

    # -- 0. delivery to persistent sessions ------------------------------------------------
    def _outbox(self, session: Session) -> _Outbox:
        if not hasattr(self, "_outboxes"):
            self._outboxes = {}
        entry = self._outboxes.get(id(session))
        if entry is None or entry[0] is not session:
            entry = (session, _Outbox())
            self._outboxes[id(session)] = entry
        outbox = entry[1]
        if outbox.worker is None or outbox.worker.done():
            outbox.worker = asyncio.ensure_future(self._deliver(session, outbox))
        return outbox

    @staticmethod
    def _is_persistent(session: Session, qos: int) -> bool:
        return qos in (QOS_1, QOS_2) and not session.clean_session and not session.is_anonymous

    async def _run_broadcast(self, running_tasks: deque[asyncio.Task[Any]]) -> None:
        """amqtt's routing of one message, with QoS 1/2 for persistent sessions going through their outbox."""
        broadcast = await self._broadcast_queue.get()
        for topic_filter, subscriptions in self._subscriptions.items():
            if not self._matches(broadcast["topic"], topic_filter):
                continue
            for target, subscribed_qos in subscriptions:
                qos = broadcast.get("qos", subscribed_qos)
                if not await self._topic_filtering(target, topic=broadcast["topic"], action=Action.RECEIVE):
                    continue
                if self._is_persistent(target, qos):
                    outbox = self._outbox(target)
                    outbox.pending.append((broadcast["topic"], broadcast["data"], qos))
                    outbox.wake.set()
                    continue
                if target.transitions.state != "connected":
                    continue  # a clean session that is away is owed nothing [MQTT-3.1.2-6]
                handler = self._get_handler(target)
                if handler:
                    running_tasks.append(
                        asyncio.ensure_future(handler.mqtt_publish(broadcast["topic"], broadcast["data"], qos, False))
                    )

    async def _publish_session_retained_messages(self, session: Session) -> None:
        """On (re)connect: what amqtt queued for the session goes out through its outbox, first."""
        if not session.clean_session and not session.is_anonymous:
            outbox = self._outbox(session)
            queued = []
            while not session.retained_messages.empty():
                message = session.retained_messages.get_nowait()
                queued.append((message.topic, message.data, message.qos or QOS_1))
            outbox.pending.extendleft(reversed(queued))
            outbox.wake.set()
            return
        await super()._publish_session_retained_messages(session)

    async def _deliver(self, session: Session, outbox: _Outbox) -> None:
        """Send while the session is connected, at most HUB_WINDOW in flight; wait for it otherwise."""
        slots = asyncio.Semaphore(HUB_WINDOW)
        while True:
            if not outbox.pending or session.transitions.state != "connected" or not self._get_handler(session):
                outbox.wake.clear()
                try:
                    await asyncio.wait_for(outbox.wake.wait(), timeout=0.5)  # a reconnect wakes us, or we look again
                except TimeoutError:
                    pass
                continue
            await slots.acquire()
            if not outbox.pending:
                slots.release()
                continue
            item = outbox.pending.popleft()
            outbox.in_flight += 1
            asyncio.ensure_future(self._send_one(session, outbox, item, slots))

    async def _send_one(
        self, session: Session, outbox: _Outbox, item: tuple[str, bytes, int], slots: asyncio.Semaphore
    ) -> None:
        topic, data, qos = item
        try:
            handler = self._get_handler(session)
            if handler is None:
                raise ConnectionError("the session has no connection")
            await handler.mqtt_publish(topic, data, qos, False)
        except (Exception, asyncio.CancelledError) as exc:  # timeout, connection gone, packet id in use
            # sent again (the subscriber may get it twice: the hub stores by event id, once)
            outbox.pending.appendleft(item)
            if not isinstance(exc, TimeoutError):
                await asyncio.sleep(0.05)
        finally:
            outbox.in_flight -= 1
            slots.release()
            outbox.wake.set()

    async def shutdown(self) -> None:
        """Stop the outboxes' workers (drain() has waited for what they owe), then amqtt's shutdown."""
        workers = [outbox.worker for _, outbox in getattr(self, "_outboxes", {}).values() if outbox.worker]
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        await super().shutdown()

    # -- 1. leftovers of a publisher that disconnected ---------------------------------------
    async def _client_message_loop(self, client_session: Session, handler: Any) -> None:
        try:
            await super()._client_message_loop(client_session, handler)
        finally:
            await self._route_leftovers(client_session, handler)

    async def _route_leftovers(self, session: Session, handler: Any) -> None:
        # Take them all first, without yielding: amqtt's session monitor clears a disconnected clean
        # session's queues every second, and routing yields at every message (it once cleared all but
        # 1,146 of 9,800 leftovers of a flood in the middle of this loop).
        queue = session.delivered_message_queue
        leftovers = []
        while not queue.empty():
            message = queue.get_nowait()
            if message is not None:
                leftovers.append(message)
        for message in leftovers:
            delivered: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            delivered.set_result(message)
            await self._handle_message_delivery(session, handler, delivered)
        if leftovers:
            log.info("routed %d message(s) %s published just before disconnecting", len(leftovers), session.client_id)

    def _hub_pending(self, hub_client_id: str) -> int:
        entry = self._sessions.get(hub_client_id)
        if entry is None:
            return 0
        session = entry[0]
        owed = sum(len(outbox) for s, outbox in getattr(self, "_outboxes", {}).values() if s is session)
        return len(session.inflight_out) + session.retained_messages.qsize() + owed

    def _routing_pending(self) -> int:
        queued = sum(s.delivered_message_queue.qsize() for s, _ in self._sessions.values())
        running = sum(1 for task in self._tasks_queue if not task.done())
        return queued + running + self._broadcast_queue.qsize()

    async def drain(self, hub_client_id: str, timeout: float) -> int:
        """Stop device traffic and wait until the hub has acknowledged everything; returns what is left."""
        for server in self._servers.values():
            if server.instance is not None:
                server.instance.close()
        for client_id, (session, handler) in list(self._sessions.items()):
            if client_id != hub_client_id and handler is not None and session.transitions.state == "connected":
                # closing the socket takes the ordinary "connection lost" path, which routes leftovers
                handler.writer._writer.close()
        deadline = time.monotonic() + timeout
        settled = 0
        while time.monotonic() < deadline:
            left = self._routing_pending() + self._hub_pending(hub_client_id)
            settled = settled + 1 if left == 0 else 0
            if settled >= 3:
                return 0
            await asyncio.sleep(0.05)
        left = self._routing_pending() + self._hub_pending(hub_client_id)
        if left:
            log.warning("embedded broker stops with %d message(s) not yet stored by the hub", left)
        return left
