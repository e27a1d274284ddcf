"""amqtt's Broker with two holes closed that would lose acknowledged QoS 1 messages.

amqtt acknowledges a device's PUBLISH as soon as it is queued inside the device's session, and
routes it to subscribers a moment later. Two things break that promise:

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
from typing import Any

from amqtt.broker import Broker
from amqtt.session import Session

log = logging.getLogger(__name__)


class LosslessBroker(Broker):
    async def _client_message_loop(self, client_session: Session, handler: Any) -> None:
        await super()._client_message_loop(client_session, handler)
        await self._route_leftovers(client_session, handler)

    async def _route_leftovers(self, session: Session, handler: Any) -> None:
        queue = session.delivered_message_queue
        routed = 0
        while not queue.empty():
            message = queue.get_nowait()
            if message is None:
                continue
            delivered: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            delivered.set_result(message)
            await self._handle_message_delivery(session, handler, delivered)
            routed += 1
        if routed:
            log.info("routed %d message(s) %s published just before disconnecting", routed, session.client_id)

    def _hub_pending(self, hub_client_id: str) -> int:
        entry = self._sessions.get(hub_client_id)
        if entry is None:
            return 0
        session = entry[0]
        return len(session.inflight_out) + session.retained_messages.qsize()

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
