"""SQL of the kiosk screens: the last few people seen at one door (màn hình cửa ra vào), and the
screens' links (their keys' hashes).

Deliberately narrow: a door screen shows who was just greeted there (name, time, direction) and
nothing else, so this returns only that, only for one device, only for recent hours. Both
recognised check-ins and unknown faces count (an unknown face is greeted "please see the admin").
The time bound keeps the scan to today's partition(s) and uses the BRIN on `ts`.
"""

from __future__ import annotations

from datetime import datetime

import psycopg

from hub.kiosk.models import DoorGreeting, KioskKind, KioskLink


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


_LINK_COLUMNS = "id, kind, target, label, created_by, created_at, last_used_at, revoked_by, revoked_at"


def _link(row: tuple) -> KioskLink:
    return KioskLink(row[0], KioskKind(row[1]), *row[2:])


def insert_link(
    conn: psycopg.Connection, kind: KioskKind, target: str, key_sha256: bytes, label: str | None, created_by: str
) -> KioskLink:
    row = conn.execute(
        f"INSERT INTO kiosk_links (kind, target, key_sha256, label, created_by) VALUES (%s, %s, %s, %s, %s)"
        f" RETURNING {_LINK_COLUMNS}",
        (kind.value, target, key_sha256, label, created_by),
    ).fetchone()
    assert row is not None
    return _link(row)


def active_link(conn: psycopg.Connection, kind: KioskKind, target: str, key_sha256: bytes) -> KioskLink | None:
    """The unrevoked link of this screen with this key's hash, if any."""
    row = conn.execute(
        f"SELECT {_LINK_COLUMNS} FROM kiosk_links"
        " WHERE key_sha256 = %s AND kind = %s AND target = %s AND revoked_at IS NULL",
        (key_sha256, kind.value, target),
    ).fetchone()
    return _link(row) if row else None


def touch_link(conn: psycopg.Connection, link_id: int) -> None:
    conn.execute("UPDATE kiosk_links SET last_used_at = now() WHERE id = %s", (link_id,))


def links(conn: psycopg.Connection, kind: KioskKind | None = None, sites: list[str] | None = None) -> list[KioskLink]:
    """Newest first. `sites`: door links only of devices at those offices (rooms' links all); None: every one."""
    rows = conn.execute(
        f"SELECT {', '.join('k.' + c for c in _LINK_COLUMNS.split(', '))} FROM kiosk_links k"
        " LEFT JOIN devices d ON k.kind = 'terminal' AND d.device_id = k.target"
        " WHERE (%(kind)s::text IS NULL OR k.kind = %(kind)s)"
        " AND (%(sites)s::text[] IS NULL OR k.kind = 'room' OR d.site = ANY(%(sites)s))"
        " ORDER BY k.created_at DESC, k.id DESC",
        {"kind": kind.value if kind else None, "sites": sites},
    ).fetchall()
    return [_link(r) for r in rows]


def get_link(conn: psycopg.Connection, link_id: int) -> KioskLink | None:
    row = conn.execute(f"SELECT {_LINK_COLUMNS} FROM kiosk_links WHERE id = %s", (link_id,)).fetchone()
    return _link(row) if row else None


def revoke_link(conn: psycopg.Connection, link_id: int, revoked_by: str) -> KioskLink | None:
    """Revoke it (once: a revoked link keeps its first revocation); None if there is no such link."""
    row = conn.execute(
        f"UPDATE kiosk_links SET revoked_by = %s, revoked_at = now() WHERE id = %s AND revoked_at IS NULL"
        f" RETURNING {_LINK_COLUMNS}",
        (revoked_by, link_id),
    ).fetchone()
    return _link(row) if row else get_link(conn, link_id)
