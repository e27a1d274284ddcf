"""Wire contract v1 between edge agents and the hub.

Everything that crosses MQTT is defined here once, as pydantic models, so that the agent,
the hub and the JSON Schemas handed to third-party device makers can never disagree.
This package imports nothing of ours.
"""

from protocol.commands import Command, CommandReply
from protocol.config import DeviceConfig
from protocol.display import RoomDisplayState
from protocol.envelope import (
    DURABLE_EVENT_TYPES,
    EVENT_MODELS,
    EVENT_TYPES,
    AttendanceFaceData,
    EventEnvelope,
    FaceUnknownData,
    InvalidEvent,
    MeetingCheckinData,
    RfidInventoryData,
    RfidReadData,
    parse_event,
)
from protocol.status import DeviceStatus
from protocol.telemetry import Telemetry
from protocol.topics import PROTOCOL_VERSION, Topics, parse_device_topic

__all__ = [
    "DURABLE_EVENT_TYPES",
    "EVENT_MODELS",
    "InvalidEvent",
    "EVENT_TYPES",
    "PROTOCOL_VERSION",
    "AttendanceFaceData",
    "Command",
    "CommandReply",
    "DeviceConfig",
    "DeviceStatus",
    "EventEnvelope",
    "FaceUnknownData",
    "MeetingCheckinData",
    "RfidInventoryData",
    "RfidReadData",
    "RoomDisplayState",
    "Telemetry",
    "Topics",
    "parse_device_topic",
    "parse_event",
]
