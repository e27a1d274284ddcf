"""The contract between the agent and its capabilities (faceid, rfid, display, simulated).

A capability produces events and hands them to an `EventSink`, which stores them in the
durable outbox and returns at once: capabilities never touch the network, so a broker outage
can never stall a camera pipeline or an RFID reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar, runtime_checkable

from edge_agent.outbox_file import Event
from protocol.telemetry import MetricValue

E = TypeVar("E", bound=Event)


class EventSink(Protocol):
    """Where a capability sends its events (the agent's outbox)."""

    @property
    def device_id(self) -> str:
        """The id to put in each envelope's `device_id`."""
        ...

    @property
    def last_seq(self) -> int:
        """The last seq given to an event of this device (persistent across restarts)."""
        ...

    def emit(self, build: Callable[[int], E]) -> E:
        """Build an event with the next per-device `seq` and store it durably; returns it.

        `build` receives the seq, so seq allocation and storage are one transaction.
        """
        ...


@runtime_checkable
class BatchSink(Protocol):
    """Optional: a sink that stores many events in one transaction (the outbox's). A capability with
    bursts of events (RFID) uses it when the sink has it, else emits one by one."""

    def emit_many(self, builds: Sequence[Callable[[int], E]]) -> list[E]: ...


@runtime_checkable
class Capability(Protocol):
    """A source of events with its own thread(s); started and stopped by the agent."""

    name: str

    def start(self, sink: EventSink) -> None:
        """Begin producing events into `sink`; must return promptly."""
        ...

    def stop(self) -> None:
        """Stop producing and release the hardware; must return within a few seconds."""
        ...


class Link(Protocol):
    """The agent's MQTT link as a capability that reads from the broker sees it (`edge_agent.link.MqttLink`)."""

    @property
    def connected(self) -> bool: ...

    def subscribe(self, topic: str, qos: int, handler: Callable[[bytes], None]) -> None:
        """Deliver each message of `topic` to `handler` (on the network thread: it must only queue or store)."""
        ...

    def unsubscribe(self, topic: str) -> None: ...


@runtime_checkable
class ReadsBroker(Protocol):
    """Optional: a capability fed by the broker (the room display), given the link before the agent connects."""

    name: str

    def attach_link(self, link: Link) -> None: ...


@runtime_checkable
class ReportsMetrics(Protocol):
    """Optional: a capability with figures for the heartbeat (fps, camera state, …).

    Called from the heartbeat thread every `telemetry_interval_s`: it must be cheap and must
    not block on the capability's own work. Values are scalars (`MetricValue`).
    """

    name: str

    def metrics(self) -> dict[str, MetricValue]: ...
