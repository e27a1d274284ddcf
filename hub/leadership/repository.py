"""Where the leadership screen's figures come from: one set-based read per tile, each kept (with its SQL) in the
repository of the domain that owns the records, plus the units (hub.people). Its only SQL starts the read-only snapshot
the tiles are read in: the screen stores nothing.

Each read returns rows `(unit path, figure, figure, …)` grouped by unit over the subtrees asked for (None: every
unit); the service folds the units into the lines of the screen (a sub-unit and everything below it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import psycopg

from hub.assets import repository as assets_repo
from hub.documents.handling import repository as handling_repo
from hub.leadership.models import Tile
from hub.leave.repository import leave_requests as leave_repo
from hub.meetings import repository as meetings_repo
from hub.people import repository as people_repo
from hub.people.models import OrgUnit
from hub.reporting.repository import leadership as reporting_repo
from hub.timekeeping import repository as timekeeping_repo

#: the figures each tile's read returns, in its columns' order (hub.leadership.models.FIGURES)
TILE_FIGURES: dict[Tile, tuple[str, ...]] = {
    Tile.DOCUMENTS: ("docs_open", "docs_overdue"),
    Tile.MEETINGS: ("meetings_today",),
    Tile.PRESENCE: ("staff", "present", "away"),
    Tile.ASSETS: ("asset_portal", "asset_waiting", "asset_not_returned"),
    Tile.REPORTS: ("reports_open", "reports_late"),
    Tile.TASKS: ("tasks_open", "tasks_overdue"),
}


def snapshot(conn: psycopg.Connection) -> None:
    """Make the transaction just begun one read-only snapshot (the tiles agree with each other)."""
    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def units(conn: psycopg.Connection) -> list[OrgUnit]:
    """Every unit that exists now, parents before children."""
    return people_repo.list_units(conn)


def unit(conn: psycopg.Connection, code: str) -> OrgUnit | None:
    return people_repo.unit_by_code(conn, code)


def counts(
    conn: psycopg.Connection, under: Sequence[str] | None, day: date, start: datetime, end: datetime
) -> list[tuple[str, dict[str, int]]]:
    """(unit path, {figure: value}) of every tile, one query per tile over the subtrees `under` (None: all);
    `start`/`end` bound the local day `day`."""
    found: list[tuple[str, dict[str, int]]] = []

    def add(tile: Tile, rows: Sequence[Sequence]) -> None:
        names = TILE_FIGURES[tile]
        for path, *values in rows:
            found.append((path, {n: int(v) for n, v in zip(names, values, strict=True)}))

    add(Tile.DOCUMENTS, handling_repo.open_parts_by_unit(conn, under, day))
    add(Tile.MEETINGS, meetings_repo.meetings_by_unit(conn, under, start, end))
    staff = timekeeping_repo.presence_by_unit(conn, under, day, start, end)
    away = leave_repo.away_by_unit(conn, under, day)
    add(Tile.PRESENCE, [(p, s, seen, 0) for p, s, seen in staff] + [(p, 0, 0, n) for p, n in away])
    add(Tile.ASSETS, assets_repo.alerts_by_unit(conn, under, day))
    add(Tile.REPORTS, reporting_repo.open_reports_by_unit(conn, under, day))
    add(Tile.TASKS, meetings_repo.open_tasks_by_unit(conn, under, day))
    return found


def documents(conn: psycopg.Connection, path: str, day: date, limit: int) -> list[dict]:
    return handling_repo.open_parts_under(conn, path, day, limit)


def meetings(conn: psycopg.Connection, path: str, start: datetime, end: datetime) -> list[dict]:
    return meetings_repo.meetings_under(conn, path, start, end)


def presence(
    conn: psycopg.Connection, path: str, day: date, start: datetime, end: datetime, limit: int
) -> tuple[list[dict], list[dict]]:
    """(staff with their first sighting today, approved leave covering today) of the subtree."""
    return (
        timekeeping_repo.presence_under(conn, path, day, start, end, limit),
        leave_repo.away_under(conn, path, day, limit),
    )


def assets(conn: psycopg.Connection, path: str, day: date, limit: int) -> list[dict]:
    return assets_repo.alerts_under(conn, path, day, limit)


def reports(conn: psycopg.Connection, path: str, limit: int) -> list[dict]:
    return reporting_repo.open_reports_under(conn, path, limit)


def tasks(conn: psycopg.Connection, path: str, limit: int) -> list[dict]:
    return meetings_repo.open_tasks_under(conn, path, limit)
