"""Topic ACLs for Mosquitto, the same rules the embedded amqtt broker applies in code.

A device (username = device id) publishes only under its own `cces/v1/devices/{id}/…`, reads only
its own config, commands and receipts, and its room's display; the hub's user reads and writes
everything of v1. Part of the contract because it says who may use which topic; the embedded
Mosquitto (hub) and `cces provision broker-config` (provisioning) both write it.
"""

from __future__ import annotations

from collections.abc import Mapping

from protocol.topics import ROOT, Topics


def mosquitto_acl(hub_username: str, device_rooms: Mapping[str, str] | None = None) -> str:
    """The ACL file; `device_rooms` (device username → room id) adds each display's read of its room."""
    lines = [
        "# written by CCES: device = username = client id",
        f"pattern write {ROOT}/devices/%u/events",
        f"pattern write {ROOT}/devices/%u/telemetry",
        f"pattern write {ROOT}/devices/%u/status",
        f"pattern write {ROOT}/devices/%u/replies",
        f"pattern read {ROOT}/devices/%u/config",
        f"pattern read {ROOT}/devices/%u/commands",
        f"pattern read {ROOT}/devices/%u/receipts",
        "",
        f"user {hub_username}",
        f"topic readwrite {ROOT}/#",
        "",
    ]
    for username, room in sorted((device_rooms or {}).items()):
        lines += [f"user {username}", f"topic read {Topics.room_display(room)}", ""]
    return "\n".join(lines)
