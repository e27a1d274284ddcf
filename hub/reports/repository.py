"""SQL of the reports that are not timekeeping's: device uptime from the status history, devices offline now.

Attendance reports read through `hub.timekeeping.repository` (the same staff, punches, absences and
corrections the monthly sheet uses), so a report and the signed sheet can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import psycopg

from hub.reports.models import DeviceUptime, OfflineDevice

# one office (`site`), and the caller's offices (`sites`, hub.devices.models.DeviceScope; NULL: every device)
_SITE = (
    "(%(site)s::text IS NULL OR d.site = %(site)s) AND (%(sites)s::text[] IS NULL OR d.site = ANY(%(sites)s::text[]))"
)


def _sites(sites: Sequence[str] | None) -> list[str] | None:
    return None if sites is None else list(sites)


def device_uptime(
    conn: psycopg.Connection,
    start: datetime,
    end: datetime,
    site: str | None = None,
    sites: Sequence[str] | None = None,
) -> list[DeviceUptime]:
    """Each registered device's online time in [start, end), from `device_status_changes`.

    The state at `start` is the device's last change before it; time before a device's first
    known status is not counted (neither up nor down). One query: segments between consecutive
    changes (window `lead`), clipped to the period and summed per device.
    """
    rows = conn.execute(
        f"""
        WITH changes AS (
            SELECT c.device_id, c.at, c.online, true AS inside
            FROM device_status_changes c WHERE c.at >= %(start)s AND c.at < %(end)s
            UNION ALL
            (SELECT DISTINCT ON (c.device_id) c.device_id, %(start)s::timestamptz, c.online, false
             FROM device_status_changes c WHERE c.at < %(start)s ORDER BY c.device_id, c.at DESC)
        ), segments AS (
            SELECT device_id, online, inside, at,
                   lead(at, 1, %(end)s::timestamptz) OVER (PARTITION BY device_id ORDER BY at) AS until
            FROM changes
        ), totals AS (
            SELECT device_id,
                   COALESCE(sum(extract(epoch FROM until - at)) FILTER (WHERE online), 0) AS online_s,
                   COALESCE(sum(extract(epoch FROM until - at)), 0) AS known_s,
                   count(*) FILTER (WHERE inside) AS changes,
                   max(at) FILTER (WHERE inside) AS last_change
            FROM segments GROUP BY device_id
        )
        SELECT d.device_id, d.kind, d.site, d.room, d.online,
               COALESCE(t.online_s, 0), COALESCE(t.known_s, 0), COALESCE(t.changes, 0), t.last_change
        FROM devices d LEFT JOIN totals t USING (device_id)
        WHERE {_SITE}
        ORDER BY d.device_id
        """,
        {"start": start, "end": end, "site": site, "sites": _sites(sites)},
    ).fetchall()
    return [DeviceUptime(r[0], r[1], r[2], r[3], r[4], float(r[5]), float(r[6]), int(r[7]), r[8]) for r in rows]


def offline_devices(
    conn: psycopg.Connection, site: str | None = None, sites: Sequence[str] | None = None
) -> list[OfflineDevice]:
    """Devices whose last status is offline, longest offline first (never seen online: first of all)."""
    rows = conn.execute(
        f"""
        SELECT d.device_id, d.kind, d.site, d.room,
               (SELECT max(c.at) FROM device_status_changes c WHERE c.device_id = d.device_id AND NOT c.online),
               d.last_seen
        FROM devices d
        WHERE NOT d.online AND {_SITE}
        ORDER BY 5 ASC NULLS FIRST, d.device_id
        """,
        {"site": site, "sites": _sites(sites)},
    ).fetchall()
    return [OfflineDevice(*r) for r in rows]


def device_counts(
    conn: psycopg.Connection, site: str | None = None, sites: Sequence[str] | None = None
) -> tuple[int, int]:
    """(registered, online now)."""
    row = conn.execute(
        f"SELECT count(*), count(*) FILTER (WHERE d.online) FROM devices d WHERE {_SITE}",
        {"site": site, "sites": _sites(sites)},
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])
