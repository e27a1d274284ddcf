"""The leadership screen (thông tin lãnh đạo quan tâm) over a year of data at full scale.

    python -m bench.leadership [--employees 10000] [--documents 1000000] [--assets 200000] [--repeat 20] [--json]
                               [--database-url postgresql://…]   # default: an embedded pgserver

Loads, with set-based SQL (generate_series; not timed): an org tree of 1 General Department, 10 Cục, 5 Chi cục
each and 4 Đội under each Chi cục (261 units); `--employees` staff with accounts for one in five; a year of
check-ins (one a working day each, 90 % of the staff, up to 09:00 of "today", Monday 16 March 2026);
`--documents` documents over the year, half incoming, every incoming one assigned to a unit (a fifth also to a
person) with a deadline 10 days on, all finished in 5–14 days except the last month's and one in fifty older ones,
5 % with an approved extension; 50 meetings a working day with 5 conclusion tasks each (90 % done); 6 leave
requests a year per person; `--assets` assets with a year of movements (some waiting, some check-outs overdue)
and portal alerts (1 % open); a monthly report from every Chi cục and Đội for 12 periods (the last one open, one in
ten of the previous ones still a late draft). Then `LeadershipService.overview` is timed `--repeat` times for
the system admin (every unit) and for a Chi cục manager (one subtree), and the drill-down records of the
documents tile for that Chi cục. Goal: the overview under 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time as clock
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg

from bench.timesheet_db import bench_database
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.db import open_pool
from hub.ingest.repository import ensure_partitions
from hub.leadership.service import LeadershipService
from hub.people.models import UnitKind
from hub.people.service import create_unit

TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
FIRST = TODAY - timedelta(days=365)
DEPARTMENTS, BRANCHES, TEAMS = 10, 5, 4


def load(url: str, employees: int, documents: int, assets: int) -> dict[str, float]:
    timings: dict[str, float] = {}

    def step(name: str, conn: psycopg.Connection, sql: str, params: dict | None = None) -> None:
        started = clock.perf_counter()
        conn.execute(sql, params or {})
        timings[name] = timings.get(name, 0.0) + clock.perf_counter() - started

    p = {"first": FIRST, "today": TODAY, "n_emp": employees, "n_docs": documents, "n_assets": assets}
    with psycopg.connect(url, autocommit=True) as conn:
        create_unit(conn, "TCHQ", "Tổng cục Hải quan", UnitKind.GENERAL_DEPARTMENT)
        for d in range(DEPARTMENTS):
            create_unit(conn, f"C{d:02d}", f"Cục Hải quan {d}", UnitKind.DEPARTMENT, "TCHQ")
            for b in range(BRANCHES):
                create_unit(conn, f"C{d:02d}B{b}", f"Chi cục {d}.{b}", UnitKind.BRANCH, f"C{d:02d}")
                for t in range(TEAMS):
                    create_unit(conn, f"C{d:02d}B{b}T{t}", f"Đội {d}.{b}.{t}", UnitKind.TEAM, f"C{d:02d}B{b}")
        # the units staff and records belong to: every Chi cục and Đội, as an array to pick from
        step("units", conn, "CREATE TABLE bench_units AS SELECT row_number() OVER (ORDER BY code) - 1 AS i, id, path"
             " FROM org_units WHERE kind IN ('branch', 'team')")  # fmt: skip
        n_units = conn.execute("SELECT count(*) FROM bench_units").fetchone()[0]
        p["n_units"] = n_units
        step("employees", conn,
             "INSERT INTO employees (employee_code, full_name, search_text, unit_id, person_id)"
             " SELECT 'E' || g, 'Cán bộ ' || g, 'can bo ' || g, u.id, 'p-' || g"
             " FROM generate_series(1, %(n_emp)s) g JOIN bench_units u ON u.i = g %% %(n_units)s", p)  # fmt: skip
        step("users", conn,
             "INSERT INTO users (username, display_name, password_hash, employee_id, created_by)"
             " SELECT 'u' || e.id, e.full_name, 'x', e.id, 'bench' FROM employees e WHERE e.id %% 5 = 0")  # fmt: skip
        # a year of check-ins: one per working day, 90 % of the staff; today's until 09:00
        ensure_partitions(conn, datetime(2025, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
        step("attendance", conn,
             "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, model, direction)"
             " SELECT gen_random_uuid(), (d::date + time '07:30' + (e.id %% 80) * interval '1 minute')"
             "   AT TIME ZONE 'Asia/Ho_Chi_Minh', 'door-' || (e.unit_id %% 50), e.id, e.person_id, 0.8,"
             "   'yunet-sface', 'in'"
             " FROM generate_series(%(first)s::date, %(today)s::date, interval '1 day') d CROSS JOIN employees e"
             " WHERE extract(isodow FROM d) < 6 AND (e.id + extract(doy FROM d)::int) %% 10 <> 0", p)  # fmt: skip
        # documents: registers per unit and year, half incoming (assigned), half outgoing
        step("registers", conn,
             "INSERT INTO document_registers (unit_id, year, series_code) SELECT u.id, y, s"
             " FROM bench_units u, (VALUES (2025), (2026)) ys(y), (VALUES ('den'), ('di')) ss(s)")  # fmt: skip
        step("documents", conn,
             "INSERT INTO documents (register_id, number, direction, type_key, code_number, code_notation, issued_date,"
             " organ_name, subject, arrival_date, registered_at, registered_by, secrecy)"
             " SELECT r.id, g, CASE WHEN g %% 2 = 0 THEN 'incoming' ELSE 'outgoing' END, 'cong_van', (g %% 9000)::text,"
             "  'BTC-HQ', x.day, 'Bộ Tài chính', 'Về việc số ' || g, x.day, x.day + time '08:00', 'bench',"
             "  CASE WHEN g %% 50 = 0 THEN 1 ELSE 0 END"
             " FROM generate_series(1, %(n_docs)s) g"
             " CROSS JOIN LATERAL (SELECT %(first)s::date + ((g::bigint * 365) / %(n_docs)s)::int AS day,"
             "   g %% %(n_units)s AS ui) x"
             " JOIN bench_units u ON u.i = x.ui"
             " JOIN document_registers r ON r.unit_id = u.id AND r.year = extract(year FROM x.day)"
             "   AND r.series_code = CASE WHEN g %% 2 = 0 THEN 'den' ELSE 'di' END", p)  # fmt: skip
        step(
            "assignments",
            conn,
            "INSERT INTO document_assignments (document_id, assigned_by, assigned_at)"
            " SELECT id, 'bench', registered_at + interval '2 hours' FROM documents WHERE direction = 'incoming'",
        )
        step("handlers", conn,
             "INSERT INTO document_handlers (assignment_id, lead, unit_id, deadline, finished_at, finished_by,"
             " result_note)"
             " SELECT a.id, true, r.unit_id, a.assigned_at::date + 10, f.at,"
             "  CASE WHEN f.at IS NOT NULL THEN 'bench' END,"
             "  CASE WHEN f.at IS NOT NULL THEN 'Xong' END"
             " FROM document_assignments a JOIN documents d ON d.id = a.document_id"
             " JOIN document_registers r ON r.id = d.register_id"
             " CROSS JOIN LATERAL (SELECT CASE WHEN a.assigned_at::date >= %(today)s::date - 30 OR a.id %% 50 = 0"
             "   THEN NULL ELSE a.assigned_at + (5 + a.id %% 10) * interval '1 day' END AS at) f", p)  # fmt: skip
        step("handlers", conn,
             "INSERT INTO document_handlers (assignment_id, lead, user_id, deadline, finished_at, finished_by,"
             " result_note)"
             " SELECT h.assignment_id, false, us.id, h.deadline, h.finished_at, h.finished_by, h.result_note"
             " FROM document_handlers h JOIN users us ON us.id = (SELECT min(id) FROM users) + h.assignment_id %% 2000"
             " WHERE h.lead AND h.assignment_id %% 5 = 0")  # fmt: skip
        step(
            "extensions",
            conn,
            "INSERT INTO document_extensions (handler_id, requested_at, requested_by, new_deadline, reason, decision,"
            " decided_at, decided_by)"
            " SELECT h.id, a.assigned_at + interval '3 days', 'bench', h.deadline + 7, 'Chờ số liệu', 'approved',"
            "  a.assigned_at + interval '4 days', 'bench'"
            " FROM document_handlers h JOIN document_assignments a ON a.id = h.assignment_id WHERE h.id %% 20 = 0",
        )
        # meetings: 50 a working day over the year, 5 tasks each (the last month's open, 90 % of the rest done)
        step("meetings", conn,
             "INSERT INTO meetings (unit_id, title, starts_at, ends_at, status, created_by)"
             " SELECT u.id, 'Họp ' || d::date || ' ' || k, (d::date + time '08:00' + (k %% 8) * interval '1 hour')"
             "  AT TIME ZONE 'Asia/Ho_Chi_Minh', (d::date + time '09:00' + (k %% 8) * interval '1 hour')"
             "  AT TIME ZONE 'Asia/Ho_Chi_Minh', CASE WHEN d::date < %(today)s THEN 'closed' ELSE 'planned' END,"
             "  'bench'"
             " FROM generate_series(%(first)s::date, %(today)s::date, interval '1 day') d"
             " CROSS JOIN generate_series(1, 50) k"
             " JOIN bench_units u ON u.i = (extract(doy FROM d)::int * 50 + k) %% %(n_units)s"
             " WHERE extract(isodow FROM d) < 6", p)  # fmt: skip
        step("tasks", conn,
             "INSERT INTO meeting_tasks (meeting_id, title, owner_id, deadline, assigned_by, assigned_at, finished_at)"
             " SELECT m.id, 'Nhiệm vụ ' || k, 1 + (m.id * 5 + k) %% %(n_emp)s, m.starts_at::date + 14, 'bench',"
             "  m.ends_at, CASE WHEN m.starts_at::date < %(today)s::date - 30 AND (m.id + k) %% 10 <> 0"
             "  THEN m.ends_at + interval '7 days' END"
             " FROM meetings m CROSS JOIN generate_series(1, 5) k WHERE m.status = 'closed'", p)  # fmt: skip
        # leave: 6 requests a year per person, 2 working days each, approved
        step("leave", conn,
             "INSERT INTO leave_requests (employee_id, unit_id, leave_type, first_day, last_day, working_days, status,"
             " requested_by)"
             " SELECT e.id, e.unit_id, 'annual', x.day, x.day + 1, 2, 'approved', 'bench'"
             " FROM employees e CROSS JOIN generate_series(0, 5) k"
             " CROSS JOIN LATERAL (SELECT %(first)s::date + ((e.id * 37 + k * 61) %% 366)::int AS day)"
             " x", p)  # fmt: skip
        # assets, movements and portal alerts
        step("assets", conn,
             "INSERT INTO assets (asset_number, name, search_text, category_code, unit_id, cost, funding_source,"
             " acquired_on) SELECT 'TS' || g, 'Tài sản ' || g, 'tai san ' || g, 'may-vi-tinh', u.id, 10000000,"
             " 'state_budget', date '2020-01-01' + (g %% 2000)"
             " FROM generate_series(1, %(n_assets)s) g JOIN bench_units u ON u.i = g %% %(n_units)s", p)  # fmt: skip
        step("movements", conn,
             "INSERT INTO asset_movements (asset_id, kind, status, to_employee_id, reason, due_on, requested_by,"
             " requested_at, returned_at)"
             " SELECT a.id, 'checkout', CASE WHEN a.id %% 4 = 0 THEN 'returned' WHEN a.id %% 4 = 1 THEN 'approved'"
             "  ELSE 'rejected' END, 1 + a.id %% %(n_emp)s, 'Công tác',"
             "  %(first)s::date + (a.id %% 365)::int, 'bench', %(first)s::date + (a.id %% 365)::int - 3,"
             "  CASE WHEN a.id %% 4 = 0 THEN %(first)s::date + (a.id %% 365)::int END"
             " FROM assets a WHERE a.id %% 4 = 0 OR a.id %% 40 = 1 OR a.id %% 4 = 2", p)  # fmt: skip
        step("movements", conn,
             "INSERT INTO asset_movements (asset_id, kind, status, to_unit_id, reason, requested_by, requested_at)"
             " SELECT a.id, 'transfer', 'requested', a.unit_id, 'Điều chuyển', 'bench',"
             " %(today)s::date - (a.id %% 20)::int"
             " FROM assets a WHERE a.id %% 100 = 3", p)  # fmt: skip
        step(
            "portals",
            conn,
            "WITH loc AS (INSERT INTO asset_locations (kind, code, name, unit_id)"
            "  SELECT 'office', 'L' || u.i, 'Trụ sở ' || u.i, u.id FROM bench_units u WHERE u.i < 50 RETURNING id)"
            " INSERT INTO asset_portals (code, name, device_id, inner_antenna, outer_antenna, location_id)"
            " SELECT 'P' || id, 'Cổng ' || id, 'portal-' || id, 1, 2, id FROM loc",
        )
        step("alerts", conn,
             "INSERT INTO asset_portal_alerts (portal_id, asset_id, epc, passed_at, acknowledged_by, acknowledged_at)"
             " SELECT (SELECT min(id) FROM asset_portals) + a.id %% 50, a.id, 'E' || a.id,"
             "  %(first)s::date + (a.id %% 365)::int + time '10:00', CASE WHEN a.id %% 100 <> 7 THEN 'bench' END,"
             "  CASE WHEN a.id %% 100 <> 7 THEN %(first)s::date + (a.id %% 365)::int + time '11:00' END"
             " FROM assets a WHERE a.id %% 100 IN (5, 7)", p)  # fmt: skip
        # reporting: one monthly regime, every Chi cục and Đội reporting to its parent, 12 periods
        step("reporting", conn,
             "WITH g AS (INSERT INTO reporting_regimes (code, created_by) VALUES ('thang', 'bench') RETURNING id),"
             " v AS (INSERT INTO reporting_regime_versions (regime_id, version, valid_from, name_vi, name_en, basis,"
             "  frequency, deadline_days, owner_unit_id, template, created_by)"
             "  SELECT g.id, 1, %(first)s, 'Báo cáo tháng', 'Monthly report', 'NĐ 09/2019', 'monthly', 5,"
             "  (SELECT id FROM org_units WHERE code = 'TCHQ'), '{\"indicators\": []}', 'bench' FROM g RETURNING id,"
             "  regime_id)"
             " INSERT INTO reporting_reports (regime_id, version_id, period_key, period_start, period_end, unit_id,"
             "  recipient_unit_id, deadline, status)"
             " SELECT v.regime_id, v.id, to_char(m, 'YYYY-MM'), (m - interval '1 month')::date + 14, m::date + 13,"
             "  o.id, o.parent_id, m::date + 20,"
             "  CASE WHEN m::date + 20 >= %(today)s OR (o.id + extract(month FROM m)::int) %% 10 = 0 THEN 'draft'"
             "  ELSE 'accepted' END"
             " FROM v CROSS JOIN generate_series(date '2025-04-01', date '2026-03-01', interval '1 month') m"
             " JOIN bench_units u ON true JOIN org_units o ON o.id = u.id", p)  # fmt: skip
        conn.execute("DROP TABLE bench_units")
        started = clock.perf_counter()
        conn.execute("VACUUM ANALYZE")
        timings["analyze"] = clock.perf_counter() - started
    return timings


def counts(url: str) -> dict[str, int]:
    tables = ("org_units", "employees", "attendance_events", "documents", "document_handlers", "document_extensions",
              "meetings", "meeting_tasks", "leave_requests", "assets", "asset_movements", "asset_portal_alerts",
              "reporting_reports")  # fmt: skip
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def measure(url: str, repeat: int) -> dict[str, dict[str, float]]:
    pool = open_pool(url, max_size=2, name="cces-bench-leadership")
    try:
        svc = LeadershipService(pool, lambda: NOW)
        admin = Principal.tool("bench", "Bench")
        with pool.connection() as conn:
            path = conn.execute("SELECT path FROM org_units WHERE code = 'C03B2'").fetchone()[0]
        manager = Principal(1, "chi-cuc", "Chi cục trưởng", None, None, (RoleGrant(Role.MANAGER, path),))
        runs = {
            "overview, system admin (every unit)": lambda: svc.overview(admin),
            "overview, system admin, one Cục": lambda: svc.overview(admin, "C03"),
            "overview, Chi cục manager (own subtree)": lambda: svc.overview(manager),
            "records: documents of the Chi cục": lambda: svc.records(manager, "documents"),
            "records: presence of the Chi cục": lambda: svc.records(manager, "presence"),
        }
        out = {}
        for name, run in runs.items():
            run()  # warm the pool and the caches
            times = []
            for _ in range(repeat):
                started = clock.perf_counter()
                run()
                times.append((clock.perf_counter() - started) * 1000)
            times.sort()
            out[name] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1)}  # fmt: skip
        # each tile's read alone, over every unit (where the system admin's time goes)
        from hub.leadership import repository as repo
        from hub.leadership.service import day_window

        start, end = day_window(TODAY)
        reads = {
            "documents": lambda c: repo.handling_repo.open_parts_by_unit(c, None, TODAY),
            "meetings": lambda c: repo.meetings_repo.meetings_by_unit(c, None, start, end),
            "presence": lambda c: repo.timekeeping_repo.presence_by_unit(c, None, TODAY, start, end),
            "leave": lambda c: repo.leave_repo.away_by_unit(c, None, TODAY),
            "assets": lambda c: repo.assets_repo.alerts_by_unit(c, None, TODAY),
            "reports": lambda c: repo.reporting_repo.open_reports_by_unit(c, None, TODAY),
            "tasks": lambda c: repo.meetings_repo.open_tasks_by_unit(c, None, TODAY),
        }
        with pool.connection() as conn:
            for name, read in reads.items():
                read(conn)
                times = []
                for _ in range(max(3, repeat // 4)):
                    started = clock.perf_counter()
                    read(conn)
                    times.append((clock.perf_counter() - started) * 1000)
                out[f"tile {name} (every unit)"] = {"p50_ms": round(statistics.median(times), 1)}
        sample = svc.overview(admin).totals
        out["totals (system admin)"] = sample  # type: ignore[assignment]
        return out
    finally:
        pool.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--assets", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-pg-") as workdir,
        bench_database(args.database_url, Path(workdir)) as url,
    ):
        started = clock.perf_counter()
        steps = load(url, args.employees, args.documents, args.assets)
        loaded = clock.perf_counter() - started
        report = {
            "rows": counts(url), "load_s": round(loaded, 1),
            "load_steps_s": {k: round(v, 1) for k, v in steps.items()}, "timings": measure(url, args.repeat),
        }  # fmt: skip
    if args.json:
        print(json.dumps(report, default=str))
    else:
        print(f"loaded in {report['load_s']} s: " + ", ".join(f"{k} {v:,}" for k, v in report["rows"].items()))
        for name, t in report["timings"].items():
            print(f"{name:45s} {t}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
