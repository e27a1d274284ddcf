"""SQL of the kiosk screens: the last few people seen at one door (màn hình cửa ra vào).

Deliberately narrow: a door screen shows who was just greeted there (name, time, direction) and
nothing else, so this returns only that, only for one device, only for recent hours. Both
recognised check-ins and unknown faces count (an unknown face is greeted "please see the admin").
The time bound keeps the scan to today's partition(s) and uses the BRIN on `ts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import psycopg


@dataclass(frozen=True, slots=True)
class DoorGreeting:
    kind: Literal["recognised", "unknown"]
    person_id: str | None
    full_name: str | None  # None: an unknown face, or a FaceID id that belongs to no employee
    ts: datetime
    direction: str | None


def door_greetings(
    conn: psycopg.Connection, device_id: str, since: datetime, until: datetime, limit: int
) -> list[DoorGreeting]:
    """Newest first: at most `limit` greetings at `device_id` with `since <= ts <= until`."""
    rows = conn.execute(
        "(SELECT 'recognised', a.person_id, e.full_name, a.ts, a.direction FROM attendance_events a"
        "  LEFT JOIN employees e ON e.person_id = a.person_id"
        "  WHERE a.device_id = %(device)s AND a.ts >= %(since)s AND a.ts <= %(until)s"
        "  ORDER BY a.ts DESC LIMIT %(limit)s)"
        " UNION ALL"
        " (SELECT 'unknown', NULL, NULL, u.ts, u.direction FROM unknown_faces u"
        "  WHERE u.device_id = %(device)s AND u.ts >= %(since)s AND u.ts <= %(until)s"
        "  ORDER BY u.ts DESC LIMIT %(limit)s)"
        " ORDER BY 4 DESC LIMIT %(limit)s",
        {"device": device_id, "since": since, "until": until, "limit": limit},
    ).fetchall()
    return [DoorGreeting(*r) for r in rows]
