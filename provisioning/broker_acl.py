"""Topic ACLs for Mosquitto, the same rules the embedded broker applies in code.

A device (username = device id) publishes only under its own `cces/v1/devices/{id}/…` and
reads only its own config and commands; the hub's user reads and writes everything of v1.
"""

from __future__ import annotations

from protocol.topics import ROOT


def mosquitto_acl(hub_username: str) -> str:
    return "\n".join(
        [
            "# written by CCES: device = username = client id",
            f"user {hub_username}",
            f"topic readwrite {ROOT}/#",
            "",
            f"pattern write {ROOT}/devices/%u/events",
            f"pattern write {ROOT}/devices/%u/telemetry",
            f"pattern write {ROOT}/devices/%u/status",
            f"pattern write {ROOT}/devices/%u/replies",
            f"pattern read {ROOT}/devices/%u/config",
            f"pattern read {ROOT}/devices/%u/commands",
            f"pattern read {ROOT}/devices/%u/receipts",
            "",
        ]
    )
