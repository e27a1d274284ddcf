"""What an agent can do at its door or room: each capability turns hardware into events."""

from edge_agent.capabilities.base import Capability, EventSink

__all__ = ["Capability", "EventSink"]
