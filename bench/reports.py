"""Reports, dashboard, exports and the live feed at 10,000 employees (~440,000 FaceID events a month).

    python -m bench.reports [--employees 10000] [--devices 500] [--repeat 3] [--skip-big-exports] [--json]
                            [--database-url postgresql://…]   # default: an embedded pgserver

Seeds the database exactly as `bench/timesheet_db.py` does (org tree of 1 + 10 departments + 50
teams, March 2025's events, absences, corrections), adds `--devices` door terminals with a month of
status history (a few outages each), then times, for the whole General Department (everyone), one
department (~1,000) and one team (~200):

- the leaders' dashboard (today's presence at 09:00 of a working day, late arrivals, devices offline);
- presence on a past day, the lateness ranking and the absence report over the month;
- the monthly timesheet (for comparison: the same engine run);
- the same month reports through the hub's `DayResultsCache`: the first open (computes the month's
  closed days), then repeats of lateness, absences, timesheet and a past day (one version check);
- this month in progress (10:00 on the 20th, later events removed): first open, then a repeat after
  an arrival of today (the closed days stay cached; today and the days ahead are computed with now);
- device uptime over the month for all devices;
- XLSX and PDF exports of the monthly timesheet (team, department; the whole 10,000 unless skipped);
- the live feed: batches stored with NOTIFY → subscriber, p50/p99 latency, and NOTIFY's cost per batch.

Loading is not timed. Goal for a page: < 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time as clock
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.timesheet_db import bench_database, load
from hub.ingest.repository import BatchRows, ensure_partitions, store_batch
from hub.live.feed import LiveFeed
from hub.live.models import CheckIn
from hub.localtime import LOCAL_TZ as HANOI
from hub.reports import compute as reports
from hub.reports.documents import ExportFormat, timesheet_document
from hub.reports.export import render
from hub.timekeeping.days import DayResultsCache
from hub.timekeeping.service import unit_timesheet


def seed_devices(conn: psycopg.Connection, devices: int, year: int, month: int) -> int:
    """`devices` terminals, each online from the month's start with 0–4 outages of 10 min–6 h."""
    import random

    rng = random.Random(11)
    start = datetime(year, month, 1, tzinfo=UTC)
    rows = []
    with conn.transaction():
        for i in range(devices):
            device = f"door-{i:04d}"
            conn.execute(
                "INSERT INTO devices (device_id, kind, site, online, status_at) VALUES (%s, 'faceid', %s, %s, now())",
                (device, f"site-{i % 50:02d}", i % 25 != 0),
            )
            rows.append((device, start, True))
            for _ in range(rng.randint(0, 4)):
                down = start + timedelta(seconds=rng.randint(0, 30 * 86400))
                rows.append((device, down, False))
                rows.append((device, down + timedelta(seconds=rng.randint(600, 6 * 3600)), True))
            if i % 25 == 0:
                rows.append((device, start + timedelta(days=30, hours=12), False))
        with conn.cursor().copy("COPY device_status_changes (device_id, at, online) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    conn.execute("ANALYZE device_status_changes")
    return len(rows)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = clock.perf_counter()
        result = fn()
        best = min(best, clock.perf_counter() - started)
    return best, result


def live_latency(url: str, batches: int) -> dict[str, float]:
    """Store `batches` one-row batches through ingest's store_batch; time until the subscriber has each."""
    feed = LiveFeed(url, poll_interval_s=0.5)
    feed.start()
    assert feed.wait_connected(10)
    sub = feed.subscribe(kinds={CheckIn})
    latencies, notify_cost = [], []
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            now = datetime.now(UTC)
            ensure_partitions(conn, now, now + timedelta(days=1))
            for i in range(batches):
                row = (uuid.uuid4(), datetime.now(UTC), "door-0001", i, "P00001", 0.8, 0.9, "yunet-sface", "in", None)
                started = clock.perf_counter()
                store_batch(conn, "bench", BatchRows([row], [], [], [], [], []))
                stored = clock.perf_counter()
                item = sub.get(timeout=10)
                assert isinstance(item, CheckIn) and item.full_name, item
                latencies.append(clock.perf_counter() - stored)
                notify_cost.append(stored - started)
            # a batch of ingest's default size: one notification, 500 check-ins read back and fanned out
            rows = [(uuid.uuid4(), datetime.now(UTC), "door-0002", i, f"P{i:05d}", 0.8, 0.9, "m", "in", None)
                    for i in range(500)]  # fmt: skip
            started = clock.perf_counter()
            store_batch(conn, "bench", BatchRows(rows, [], [], [], [], []))
            big_batch = clock.perf_counter() - started
            deadline = clock.monotonic() + 10
            got = 0
            while got < 500 and clock.monotonic() < deadline:
                if sub.get(timeout=0.5) is not None:
                    got += 1 + len(sub.drain())
    finally:
        feed.stop()
    latencies.sort()
    return {
        "batches": batches,
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1),
        "store_batch_1_row_ms": round(1000 * statistics.median(notify_cost), 2),
        "store_batch_500_rows_ms": round(1000 * big_batch, 1),
        "received_of_500": got,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--month", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-big-exports", action="store_true", help="no XLSX/PDF of all 10,000 (slow)")
    parser.add_argument("--live-batches", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    figures: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-pg-") as workdir,
        bench_database(args.database_url, Path(workdir)) as url,
    ):
        with psycopg.connect(url, autocommit=True) as conn:
            started = clock.perf_counter()
            counts = load(conn, args.employees, args.year, args.month)
            counts["status_changes"] = seed_devices(conn, args.devices, args.year, args.month)
            figures.update(counts, load_seconds=round(clock.perf_counter() - started, 1))
            first, last = reports.month_period(args.year, args.month)
            workday = next(d for d in (first + timedelta(days=i) for i in range(7, 14)) if d.weekday() < 5)
            at_nine = datetime(workday.year, workday.month, workday.day, 9, 0, tzinfo=HANOI)
            after = datetime(last.year, last.month, last.day, 23, 59, tzinfo=HANOI) + timedelta(days=1)
            units = {"all": "TCHQ", "department": "CHQ00", "team": "DOI000"}
            r = args.repeat
            cache = DayResultsCache()
            for scope, unit in units.items():
                # the hub's way: through a DayResultsCache; the first open computes the month for it
                def first_open(u: str = unit) -> float:
                    cache.clear()
                    started = clock.perf_counter()
                    reports.lateness(conn, u, first, last, after, cache=cache)
                    return clock.perf_counter() - started

                figures[f"month_first_open_{scope}_s"] = min(first_open() for _ in range(r))
                figures[f"lateness_month_{scope}_cached_s"], _ = timed(
                    lambda u=unit: reports.lateness(conn, u, first, last, after, cache=cache), r
                )
                figures[f"absences_month_{scope}_cached_s"], _ = timed(
                    lambda u=unit: reports.absences(conn, u, first, last, after, cache=cache), r
                )
                figures[f"timesheet_month_{scope}_cached_s"], cached_sheet = timed(
                    lambda u=unit: unit_timesheet(conn, u, args.year, args.month, now=after, cache=cache), r
                )
                figures[f"presence_past_day_{scope}_cached_s"], _ = timed(
                    lambda u=unit: reports.day_presence(conn, u, workday, after, cache=cache), r
                )
                # without a cache: the engine over the month on every call
                figures[f"dashboard_{scope}_s"], board = timed(lambda u=unit: reports.dashboard(conn, u, at_nine), r)
                figures[f"presence_past_day_{scope}_s"], _ = timed(
                    lambda u=unit: reports.day_presence(conn, u, workday, after), r
                )
                figures[f"lateness_month_{scope}_s"], late = timed(
                    lambda u=unit: reports.lateness(conn, u, first, last, after), r
                )
                figures[f"absences_month_{scope}_s"], _ = timed(
                    lambda u=unit: reports.absences(conn, u, first, last, after), r
                )
                figures[f"timesheet_month_{scope}_s"], sheet = timed(
                    lambda u=unit: unit_timesheet(conn, u, args.year, args.month, now=after), r
                )
                assert cached_sheet.sheet == sheet.sheet, "the cached month differs from the engine's"
                figures[f"staff_{scope}"] = len(sheet.staff)
                figures[f"late_people_{scope}"] = len(late.rows)
                if scope != "all" or not args.skip_big_exports:
                    doc = timesheet_document(sheet, after)
                    figures[f"timesheet_xlsx_{scope}_s"], xlsx = timed(lambda d=doc: render(d, ExportFormat.XLSX), 1)
                    figures[f"timesheet_pdf_{scope}_s"], pdf = timed(lambda d=doc: render(d, ExportFormat.PDF), 1)
                    figures[f"timesheet_xlsx_{scope}_kb"] = len(xlsx.content) // 1024
                    figures[f"timesheet_pdf_{scope}_kb"] = len(pdf.content) // 1024
            # this month, at 10:00 on the 20th: the closed days (1st–18th) cached, the 19th–20th computed with
            # `now`; today's arrivals do not throw the closed days away
            mid = datetime(first.year, first.month, 20, 10, 0, tzinfo=HANOI)
            conn.execute("DELETE FROM attendance_events WHERE ts > %s", (mid,))  # a month in progress: none yet
            cache.clear()
            figures["this_month_first_open_all_s"], _ = timed(
                lambda: reports.lateness(conn, "TCHQ", first, last, mid, cache=cache), 1
            )
            conn.execute(
                "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, model, direction)"
                " VALUES (%s, %s, 'door-0001', 1, %s, 0.8, 'yunet-sface', 'in')",
                (uuid.uuid4(), mid - timedelta(minutes=5), sheet.staff[0].person_id),
            )
            figures["this_month_after_an_arrival_all_s"], _ = timed(
                lambda: reports.lateness(conn, "TCHQ", first, last, mid, cache=cache), r
            )
            board = reports.dashboard(conn, "TCHQ", at_nine)
            figures["presence_all_at_nine"] = {
                "present": board.presence.counts.present,
                "late": board.presence.counts.late,
                "absent": board.presence.counts.absent,
                "on_leave": board.presence.counts.on_leave + board.presence.counts.business_trip,
                "offline_devices": len(board.offline_devices),
            }
            month_start = datetime(first.year, first.month, first.day, tzinfo=HANOI)
            figures["device_uptime_month_s"], uptime = timed(
                lambda: reports.device_uptime(conn, month_start, month_start + timedelta(days=31), after), r
            )
            known = [row.uptime for row in uptime.rows if row.uptime is not None]
            figures["device_uptime_mean"] = round(statistics.mean(known), 4) if known else None
        figures["live_feed"] = live_latency(url, args.live_batches)
    if args.json:
        print(json.dumps(figures, default=str))
        return 0
    print(
        f"{figures['employees']} employees, {figures['events']} events, {args.devices} devices with "
        f"{figures['status_changes']} status changes (loaded in {figures['load_seconds']} s); best of {args.repeat}:"
    )
    for scope in ("all", "department", "team"):
        line = (
            f"  {scope:<10} ({figures[f'staff_{scope}']:>5} staff): dashboard {figures[f'dashboard_{scope}_s']:.3f} s,"
            f" past day {figures[f'presence_past_day_{scope}_s']:.3f} s,"
            f" lateness month {figures[f'lateness_month_{scope}_s']:.3f} s,"
            f" absences month {figures[f'absences_month_{scope}_s']:.3f} s,"
            f" timesheet {figures[f'timesheet_month_{scope}_s']:.3f} s"
        )
        if f"timesheet_xlsx_{scope}_s" in figures:
            xlsx_s, xlsx_kb = figures[f"timesheet_xlsx_{scope}_s"], figures[f"timesheet_xlsx_{scope}_kb"]
            pdf_s, pdf_kb = figures[f"timesheet_pdf_{scope}_s"], figures[f"timesheet_pdf_{scope}_kb"]
            line += f"; export XLSX {xlsx_s:.2f} s ({xlsx_kb} KB), PDF {pdf_s:.2f} s ({pdf_kb} KB)"
        print(line)
        print(
            f"  {'':<10} with the hub's cache: first open of the month {figures[f'month_first_open_{scope}_s']:.3f} s,"
            f" then lateness {figures[f'lateness_month_{scope}_cached_s']:.3f} s,"
            f" absences {figures[f'absences_month_{scope}_cached_s']:.3f} s,"
            f" timesheet {figures[f'timesheet_month_{scope}_cached_s']:.3f} s,"
            f" past day {figures[f'presence_past_day_{scope}_cached_s']:.3f} s"
        )
    print(
        f"  this month at 10:00 on the 20th (all), with the cache: lateness first open"
        f" {figures['this_month_first_open_all_s']:.3f} s,"
        f" after today's arrivals {figures['this_month_after_an_arrival_all_s']:.3f} s"
    )
    print(f"  presence at 09:00 (all): {figures['presence_all_at_nine']}")
    print(
        f"  device uptime, {args.devices} devices over the month: {figures['device_uptime_month_s']:.3f} s"
        f" (mean uptime {figures['device_uptime_mean']})"
    )
    live = figures["live_feed"]
    print(
        f"  live feed: stored → subscriber p50 {live['p50_ms']} ms, p99 {live['p99_ms']} ms over {live['batches']}"
        f" one-row batches (store_batch incl. NOTIFY {live['store_batch_1_row_ms']} ms);"
        f" a 500-row batch {live['store_batch_500_rows_ms']} ms, {live['received_of_500']} of 500 delivered"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
