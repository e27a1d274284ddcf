"""Topic names of contract v1.

Device ids are part of topic names, so their alphabet is restricted: a device id that could
contain `/`, `+` or `#` would let one device address another's topics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROTOCOL_VERSION = 1
ROOT = f"cces/v{PROTOCOL_VERSION}"
DEVICE_ID_PATTERN = r"^[a-z0-9-]{3,64}$"
ROOM_ID_PATTERN = r"^[a-z0-9-]{1,64}$"
_DEVICE_ID = re.compile(DEVICE_ID_PATTERN)
_ROOM_ID = re.compile(ROOM_ID_PATTERN)
_DEVICE_TOPIC = re.compile(rf"^{ROOT}/devices/([^/]+)/([a-z]+)$")

#: the channels a device owns under `cces/v1/devices/{id}/…`, with who publishes them
DEVICE_TO_HUB = ("events", "telemetry", "status", "replies")
HUB_TO_DEVICE = ("config", "commands", "receipts")

#: the name of the MQTT v5 shared-subscription group the hub's ingest workers join
SHARED_GROUP = "cces-hub"


def is_device_id(value: str) -> bool:
    """True when `value` is a valid device id (safe to embed in a topic)."""
    return bool(_DEVICE_ID.match(value))


def check_device_id(value: str) -> str:
    """Return `value` or raise ValueError with a message a person can act on."""
    if not is_device_id(value):
        raise ValueError(f"invalid device id {value!r}: use 3-64 characters from a-z, 0-9 and '-'")
    return value


def check_room_id(value: str) -> str:
    """Return `value` or raise ValueError: room ids are embedded in topic names too."""
    if not _ROOM_ID.match(value):
        raise ValueError(f"invalid room id {value!r}: use 1-64 characters from a-z, 0-9 and '-'")
    return value


@dataclass(frozen=True)
class Topics:
    """The topics of one device, built once from its (validated) id."""

    device_id: str

    def __post_init__(self) -> None:
        check_device_id(self.device_id)

    @property
    def base(self) -> str:
        return f"{ROOT}/devices/{self.device_id}"

    @property
    def events(self) -> str:
        return f"{self.base}/events"

    @property
    def telemetry(self) -> str:
        return f"{self.base}/telemetry"

    @property
    def status(self) -> str:
        return f"{self.base}/status"

    @property
    def config(self) -> str:
        return f"{self.base}/config"

    @property
    def commands(self) -> str:
        return f"{self.base}/commands"

    @property
    def receipts(self) -> str:
        """Hub → device, QoS 1: which events are committed (see protocol.receipts)."""
        return f"{self.base}/receipts"

    @property
    def replies(self) -> str:
        return f"{self.base}/replies"

    # wildcard filters the hub subscribes to
    @staticmethod
    def all_events() -> str:
        return f"{ROOT}/devices/+/events"

    @staticmethod
    def all_telemetry() -> str:
        return f"{ROOT}/devices/+/telemetry"

    @staticmethod
    def all_status() -> str:
        return f"{ROOT}/devices/+/status"

    @staticmethod
    def all_replies() -> str:
        return f"{ROOT}/devices/+/replies"

    @staticmethod
    def shared(topic_filter: str, group: str = SHARED_GROUP) -> str:
        """An MQTT v5 shared subscription: the broker gives each message to one group member."""
        return f"$share/{group}/{topic_filter}"

    @staticmethod
    def room_display(room_id: str) -> str:
        return f"{ROOT}/rooms/{check_room_id(room_id)}/display"


def parse_device_topic(topic: str) -> tuple[str, str]:
    """Split `cces/v1/devices/{id}/{channel}` into (device_id, channel).

    Raises ValueError for anything else, including a device id outside the allowed alphabet.
    """
    match = _DEVICE_TOPIC.match(topic)
    if not match:
        raise ValueError(f"not a device topic of contract v{PROTOCOL_VERSION}: {topic!r}")
    device_id, channel = match.groups()
    check_device_id(device_id)
    if channel not in DEVICE_TO_HUB + HUB_TO_DEVICE:
        raise ValueError(f"unknown device channel {channel!r} in topic {topic!r}")
    return device_id, channel
