"""Leave at scale: a year's balances of 10,000 employees, and the team calendar of a 1,000-person unit.

    python -m bench.leave [--employees 10000] [--unit-size 1000] [--year 2026] [--repeat 3] [--json]
                          [--database-url postgresql://…]   # default: an embedded pgserver

Loads an org tree (1 General Department, 10 departments, 5 teams each; the first department holds
`--unit-size` people), employees with varied service starts, working conditions and mid-year
joiners, ~6 leave requests each (annual approved and pending, sick, business trips; COPY) and some
carry-over and HR adjustments. Then times `LeaveService.balances` for everyone (entitlement with
seniority and prorating, carried, adjusted, taken, pending — one balance per person) and
`LeaveService.team_calendar` for the big department for a month. Loading is not timed.
Goals (issue 14): balances < 1 s; the team calendar < 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time as clock
from datetime import date, timedelta
from pathlib import Path

import psycopg

from bench.timesheet_db import bench_database
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.leave.days import count_days
from hub.leave.service import LeaveService
from hub.people.models import UnitKind
from hub.people.service import create_unit
from hub.people.text import fold
from hub.timekeeping.calendar import WorkCalendar

DEPARTMENTS = 10
TEAMS_PER_DEPARTMENT = 5
TYPES = (("annual", 0.55), ("sick", 0.15), ("business_trip", 0.2), ("marriage", 0.02), ("study", 0.08))


def load(conn: psycopg.Connection, employees: int, unit_size: int, year: int, seed: int = 14) -> dict[str, int]:
    rng = random.Random(seed)
    create_unit(conn, "TCHQ", "Tổng cục Hải quan", UnitKind.GENERAL_DEPARTMENT)
    big = create_unit(conn, "CHQ00", "Cục Hải quan số 0", UnitKind.DEPARTMENT, "TCHQ").id
    teams: list[int] = []
    for d in range(1, DEPARTMENTS):
        create_unit(conn, f"CHQ{d:02d}", f"Cục Hải quan số {d}", UnitKind.DEPARTMENT, "TCHQ")
        for t in range(TEAMS_PER_DEPARTMENT):
            teams.append(create_unit(conn, f"DOI{d:02d}{t}", f"Đội {t}", UnitKind.TEAM, f"CHQ{d:02d}").id)
    calendar = WorkCalendar()
    with conn.transaction():
        with conn.cursor().copy(
            "COPY employees (employee_code, full_name, search_text, unit_id, person_id, service_start, active_from,"
            " working_condition) FROM STDIN"
        ) as copy:
            for i in range(employees):
                code, name = f"NV{i:05d}", f"Cán bộ {i:05d}"
                unit = big if i < unit_size else teams[i % len(teams)]
                joined = date(year, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.05 else None
                start = joined or date(rng.randint(1985, year - 1), rng.randint(1, 12), rng.randint(1, 28))
                condition = rng.choices(("normal", "heavy", "especially_heavy"), (0.85, 0.12, 0.03))[0]
                copy.write_row((code, name, fold(f"{name} {code}"), unit, f"p-{i:05d}", start, joined, condition))
        rows = conn.execute("SELECT id, unit_id, active_from FROM employees ORDER BY id").fetchall()
        requests = 0
        with conn.cursor().copy(
            "COPY leave_requests (employee_id, unit_id, leave_type, first_day, last_day, working_days, status,"
            " requested_by) FROM STDIN"
        ) as copy:
            for employee_id, unit_id, joined in rows:
                day = max(date(year, 1, 5), joined or date(year, 1, 5))
                for _ in range(6):
                    day += timedelta(days=rng.randint(10, 60))
                    last = day + timedelta(days=rng.choice((0, 0, 1, 2, 4)))
                    if last.year != year:
                        break
                    kind = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
                    days = count_days(calendar, day, last).working_days
                    if days == 0:
                        continue
                    status = "pending" if rng.random() < 0.1 else "approved"
                    copy.write_row((employee_id, unit_id, kind, day, last, days, status, "bench"))
                    requests += 1
                    day = last
        adjustments = 0
        with conn.cursor().copy(
            "COPY leave_adjustments (employee_id, year, kind, days, expires_on, reason, author) FROM STDIN"
        ) as copy:
            for employee_id, _, _ in rows:
                if rng.random() < 0.4:
                    copy.write_row((employee_id, year, "carry_over", rng.randint(1, 12), None, "năm trước", "bench"))
                    adjustments += 1
                if rng.random() < 0.05:
                    copy.write_row((employee_id, year, "adjustment", -1, None, "điều chỉnh", "bench"))
                    adjustments += 1
    conn.execute("ANALYZE")
    return {"employees": employees, "requests": requests, "adjustments": adjustments, "unit_size": unit_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--unit-size", type=int, default=1_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--month", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    admin = Principal.tool("bench", "Bench")
    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-pg-") as workdir,
        bench_database(args.database_url, Path(workdir)) as url,
    ):
        with psycopg.connect(url, autocommit=True) as conn:
            started = clock.perf_counter()
            counts = load(conn, args.employees, args.unit_size, args.year)
            load_seconds = clock.perf_counter() - started
        pool = open_pool(url, max_size=2, name="cces-bench-leave")
        try:
            service = LeaveService(pool)
            balance_runs, calendar_runs = [], []
            for _ in range(args.repeat):
                started = clock.perf_counter()
                balances = service.balances(admin, None, args.year)
                balance_runs.append(clock.perf_counter() - started)
            assert len(balances) == args.employees
            for _ in range(args.repeat):
                started = clock.perf_counter()
                team = service.team_calendar(admin, "CHQ00", args.year, args.month)
                calendar_runs.append(clock.perf_counter() - started)
            assert len(team.rows) == args.unit_size
        finally:
            pool.close()
    away = sum(1 for r in team.rows if any(r.cells))
    figures = {
        **counts,
        "load_seconds": round(load_seconds, 1),
        "balances_first_seconds": round(balance_runs[0], 3),
        "balances_seconds": round(min(balance_runs), 3),
        "balances_goal_seconds": 1.0,
        "team_calendar_first_seconds": round(calendar_runs[0], 3),
        "team_calendar_seconds": round(min(calendar_runs), 3),
        "team_calendar_goal_seconds": 0.5,
        "away_in_month": away,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{counts['employees']} employees, {counts['requests']} requests, {counts['adjustments']} adjustments"
            f" (loaded in {load_seconds:.1f} s): balances of everyone for {args.year} in"
            f" {figures['balances_seconds']:.3f} s (first {figures['balances_first_seconds']:.3f} s) — goal < 1 s;"
            f" team calendar of a {args.unit_size}-person unit for {args.year}-{args.month:02d} in"
            f" {figures['team_calendar_seconds']:.3f} s (first {figures['team_calendar_first_seconds']:.3f} s,"
            f" {away} people away that month) — goal < 0.5 s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
