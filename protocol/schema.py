"""JSON Schemas of contract v1, for device makers who do not use our Python code."""

from __future__ import annotations

from typing import Any

from protocol.commands import Command, CommandReply
from protocol.config import DeviceConfig
from protocol.display import RoomDisplayState
from protocol.envelope import event_json_schema
from protocol.receipts import CommitReceipt
from protocol.status import DeviceStatus
from protocol.telemetry import Telemetry
from protocol.topics import PROTOCOL_VERSION, ROOT


def all_schemas() -> dict[str, Any]:
    """Every message of the contract, keyed by the topic channel that carries it."""
    return {
        "protocol_version": PROTOCOL_VERSION,
        "topics": {
            "events": f"{ROOT}/devices/{{device_id}}/events",
            "telemetry": f"{ROOT}/devices/{{device_id}}/telemetry",
            "status": f"{ROOT}/devices/{{device_id}}/status",
            "config": f"{ROOT}/devices/{{device_id}}/config",
            "commands": f"{ROOT}/devices/{{device_id}}/commands",
            "replies": f"{ROOT}/devices/{{device_id}}/replies",
            "receipts": f"{ROOT}/devices/{{device_id}}/receipts",
            "room_display": f"{ROOT}/rooms/{{room_id}}/display",
        },
        "schemas": {
            "event": event_json_schema(),
            "telemetry": Telemetry.model_json_schema(),
            "status": DeviceStatus.model_json_schema(),
            "config": DeviceConfig.model_json_schema(),
            "command": Command.model_json_schema(),
            "reply": CommandReply.model_json_schema(),
            "receipt": CommitReceipt.model_json_schema(),
            "room_display": RoomDisplayState.model_json_schema(),
        },
    }
