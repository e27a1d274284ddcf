"""`cces demo` seeds a realistic organisation, marked as demo data, idempotently — and nothing else does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from cces.demo_office_context import LEADERS, head_username
from cces.demo_seed import DEMO, UNITS, employees, seed_demo
from hub.accounts.repository import user_by_username
from hub.accounts.sessions import load_principal
from hub.db import open_pool
from hub.org.service import LOCAL_TZ
from hub.services import HubServices

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 4, 18, 0, tzinfo=LOCAL_TZ)  # a Friday evening: a whole working week behind it


@pytest.fixture
def services(database_url: str) -> Iterator[HubServices]:
    pool = open_pool(database_url, max_size=3, name="cces-demo-test")
    try:
        yield HubServices(pool, None)
    finally:
        pool.close()


def counts(database_url: str) -> tuple[int, ...]:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM org_units), (SELECT count(*) FROM employees),"
            " (SELECT count(*) FROM attendance_events), (SELECT count(*) FROM devices),"
            " (SELECT count(*) FROM audit_log), (SELECT count(*) FROM demo_seed)"
        ).fetchone()
    assert row is not None
    return tuple(row)


def test_the_demo_seeds_a_living_organisation_once(services: HubServices, database_url: str) -> None:
    assert services.org.is_empty() and not services.org.demo_seeded()
    first = seed_demo(services, NOW)
    assert (first.units, first.employees, first.already) == (len(UNITS), 60, False)
    assert first.events > 400  # five working days of 60 people, in and out, a few absent
    units = {u.code: u for u in services.org.units(DEMO)}
    assert units["CHQ"].kind == "customs_department" and units["KV1-NB"].parent_code == "KV1"
    assert sum(1 for u in units.values() if u.kind == "regional_branch") == 3
    assert services.org.demo_seeded()
    was = counts(database_url)
    assert was[:4] == (len(UNITS), 60, first.events, 2) and was[5] == 1
    again = seed_demo(services, NOW)  # idempotent: nothing new, nothing changed
    assert (again.units, again.employees, again.events, again.already) == (0, 0, 0, True)
    assert counts(database_url) == was
    later = seed_demo(services, NOW.replace(day=7, hour=9))  # Monday morning: that morning's check-ins
    assert 0 < later.events <= 60
    names = {e["full_name"] for e in employees()}
    assert len(names) == 60 and all(len(n.split()) == 3 for n in names)


def office_counts(database_url: str) -> tuple[int, ...]:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM leave_requests),"
            " (SELECT count(*) FROM documents), (SELECT count(*) FROM document_assignments),"
            " (SELECT count(*) FROM meeting_rooms), (SELECT count(*) FROM meetings),"
            " (SELECT count(*) FROM meeting_tasks), (SELECT count(*) FROM assets),"
            " (SELECT count(*) FROM asset_movements), (SELECT count(*) FROM reporting_reports),"
            " (SELECT count(*) FROM audit_log)"
        ).fetchone()
    assert row is not None
    return tuple(row)


def test_the_demo_office_fills_every_tile_of_the_leadership_screen_once(database_url: str) -> None:
    pool = open_pool(database_url, max_size=3, name="cces-demo-office-test")
    try:
        hub = HubServices(pool, None, clock=lambda: NOW)  # the leadership screen's "today" is the seeding's
        first = seed_demo(hub, NOW)
        assert first.office["accounts"] == len(LEADERS) and first.password and not first.office_failed
        assert first.office["leave"] == 12 and first.office["documents"] >= 30
        assert first.office["assets"] == 150 and first.office["reporting"] == 6
        totals = hub.leadership.overview(DEMO).totals
        for figure in ("docs_open", "docs_overdue", "meetings_today", "away", "asset_not_returned", "asset_waiting",
                       "reports_open", "reports_late", "tasks_open", "tasks_overdue", "staff", "present"):  # fmt: skip
            assert totals[figure] > 0, figure
        assert totals["meetings_today"] == 3
        # the records behind: a meeting running now, a manager's inbox with leave to decide, a rejected request
        with pool.connection() as conn:
            statuses = dict(conn.execute("SELECT status, count(*) FROM leave_requests GROUP BY status").fetchall())
            running = conn.execute("SELECT count(*) FROM meetings WHERE status = 'in_progress'").fetchone()
            present = conn.execute("SELECT count(*) FROM meeting_participants WHERE present_at IS NOT NULL").fetchone()
            lent = dict(conn.execute("SELECT status, count(*) FROM assets GROUP BY status").fetchall())
        assert statuses["pending"] >= 4 and statuses["rejected"] == 1 and statuses["approved"] >= 5
        assert running == (1,) and present is not None and present[0] > 0
        assert lent["under_repair"] == 2 and lent["lent"] == 1
        # the leaders' inboxes: leave waiting for their decision
        with pool.connection() as conn:
            users = [user_by_username(conn, head_username(code)) for code in LEADERS]
            leaders = [load_principal(conn, u.id) for u in users if u]
        assert len(leaders) == len(LEADERS)
        assert sum(len(hub.leave.inbox(p)) for p in leaders if p) == statuses["pending"]
        was = office_counts(database_url)
        again = seed_demo(hub, NOW)  # nothing twice
        assert again.office == {} and again.password is None and again.events == 0 and not again.office_failed
        assert office_counts(database_url) == was
    finally:
        pool.close()


def test_only_the_demo_seeds() -> None:
    callers = [
        p.relative_to(ROOT).as_posix()
        for folder in ("hub", "ui", "cces")
        for p in (ROOT / folder).rglob("*.py")
        if "seed_demo(" in p.read_text(encoding="utf-8") and p.name != "demo_seed.py"
    ]
    assert callers == ["cces/demo.py"]
