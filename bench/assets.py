"""The asset register at scale: search and the year's wear table over 200,000 assets.

    python -m bench.assets [--assets 200000] [--year 2025] [--repeat 3] [--json]
                           [--database-url postgresql://…]   # default: an embedded pgserver

Loads an org tree (1 General Department, 10 departments, 5 teams each), five categories with rates
from 2 % to 20 % (bench data, not the annex), and `--assets` assets (COPY; costs 10–2,000 million đồng,
acquired 2000–2025, 5 % used for business, 2 % liquidated). Loading is not timed. Then times, through
`AssetsService`: a search of a rare word combination and of a common word (first page and its total),
for the system admin and for an asset officer of one department (scoped); the wear table of `--year`
(every asset, totals) and its XLSX.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time as clock
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg

from bench.timesheet_db import bench_database
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.assets.service import AssetsService
from hub.assets.wear import wear_schedule
from hub.db import open_pool
from hub.people.models import UnitKind
from hub.people.service import create_unit
from hub.people.text import fold

DEPARTMENTS = 10
TEAMS_PER_DEPARTMENT = 5
CATEGORIES = (  # bench data only: the real rates come from TT 23/2023 Appendix I
    ("b-may-tinh", "Máy vi tính", 5, 20),
    ("b-o-to", "Xe ô tô", 10, 10),
    ("b-ban-ghe", "Bàn ghế", 8, Decimal("12.5")),
    ("b-may-in", "Máy in, photocopy", 8, Decimal("12.5")),
    ("b-nha", "Nhà làm việc", 50, 2),
)
NAMES = ("Máy tính xách tay", "Máy tính để bàn", "Xe ô tô 7 chỗ", "Bàn làm việc", "Ghế xoay", "Máy in laser",
         "Máy photocopy", "Tủ tài liệu", "Máy chiếu", "Điều hòa")  # fmt: skip


def load(conn: psycopg.Connection, assets: int, seed: int = 16) -> dict[str, int]:
    rng = random.Random(seed)
    create_unit(conn, "TCHQ", "Tổng cục Hải quan", UnitKind.GENERAL_DEPARTMENT)
    teams: list[int] = []
    for d in range(DEPARTMENTS):
        create_unit(conn, f"CHQ{d:02d}", f"Cục Hải quan số {d}", UnitKind.DEPARTMENT, "TCHQ")
        for t in range(TEAMS_PER_DEPARTMENT):
            teams.append(create_unit(conn, f"DOI{d:02d}{t}", f"Đội {t}", UnitKind.TEAM, f"CHQ{d:02d}").id)
    with conn.transaction():
        for code, name, life, rate in CATEGORIES:
            conn.execute(
                "INSERT INTO asset_categories (code, name_vi, name_en, service_life_years, wear_rate_pct, legal_basis)"
                " VALUES (%s, %s, %s, %s, %s, 'bench')",
                (code, name, name, life, rate),
            )
        with conn.cursor().copy(
            "COPY assets (asset_number, name, search_text, category_code, unit_id, cost, funding_source, acquired_on,"
            " business_use, status, liquidated_on, serial_number) FROM STDIN"
        ) as copy:
            for i in range(assets):
                number = f"HQ-{2000 + i % 26}-{i:06d}"
                name = f"{NAMES[i % len(NAMES)]} {i % 997}"
                serial = f"SN{rng.randrange(10**9):09d}"
                acquired = date(2000, 1, 1) + timedelta(days=rng.randrange(26 * 365))
                liquidated = acquired + timedelta(days=400) if rng.random() < 0.02 else None
                if liquidated is not None and liquidated > date(2025, 12, 31):
                    liquidated = None
                copy.write_row((
                    number, name, fold(f"{number} {name} {serial}"), CATEGORIES[i % len(CATEGORIES)][0],
                    teams[i % len(teams)], rng.randrange(10, 2000) * 1_000_000 + rng.randrange(1000),
                    "state_budget", acquired, rng.random() < 0.05, "liquidated" if liquidated else "in_use",
                    liquidated, serial,
                ))  # fmt: skip
    conn.execute("ANALYZE assets")
    return {"assets": assets, "units": 1 + DEPARTMENTS * (1 + TEAMS_PER_DEPARTMENT)}


def _time(repeat: int, call) -> tuple[float, object]:  # noqa: ANN001
    runs, result = [], None
    for _ in range(repeat):
        started = clock.perf_counter()
        result = call()
        runs.append(clock.perf_counter() - started)
    return statistics.median(runs), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=200_000)
    parser.add_argument("--year", type=int, default=2025)
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
            counts = load(conn, args.assets)
            load_seconds = clock.perf_counter() - started
            department = conn.execute("SELECT path FROM org_units WHERE code = 'CHQ02'").fetchone()[0]
        officer = Principal(1, "ts", "Cán bộ tài sản", None, None, (RoleGrant(Role.ASSET_OFFICER, department),))
        pool = open_pool(url, max_size=2, name="cces-bench-assets")
        try:
            service = AssetsService(pool, lambda: datetime.now(UTC))
            figures: dict[str, object] = {**counts, "load_seconds": round(load_seconds, 1)}
            for label, who in (("admin", admin), ("officer", officer)):
                rare_s, (rows, total) = _time(args.repeat, lambda w=who: service.search(w, "may tinh xach tay 123"))
                common_s, (_, common_total) = _time(args.repeat, lambda w=who: service.search(w, "ban lam viec"))
                number_s, (found, _) = _time(args.repeat, lambda w=who: service.search(w, "HQ-2003-000003"))
                figures |= {
                    f"search_rare_{label}_seconds": round(rare_s, 3), f"search_rare_{label}_total": total,
                    f"search_common_{label}_seconds": round(common_s, 3),
                    f"search_common_{label}_total": common_total,
                    f"search_number_{label}_seconds": round(number_s, 3),
                }  # fmt: skip
            table_s, rows = _time(args.repeat, lambda: list(service.wear_rows(admin, args.year)))
            xlsx_s, data = _time(1, lambda: service.wear_xlsx(admin, args.year))
            scoped_s, scoped = _time(args.repeat, lambda: list(service.wear_rows(officer, args.year)))
            one = rows[0]
            check = wear_schedule(one.cost, one.rate_pct, one.acquired_on)
            assert sum(y.wear for y in check) == one.cost or one.business_use
            figures |= {
                "wear_table_rows": len(rows),
                "wear_table_seconds": round(table_s, 3),
                "wear_table_total_wear": sum(r.wear for r in rows),
                "wear_table_officer_rows": len(scoped),
                "wear_table_officer_seconds": round(scoped_s, 3),
                "wear_xlsx_seconds": round(xlsx_s, 2),
                "wear_xlsx_bytes": len(data),  # type: ignore[arg-type]
            }
        finally:
            pool.close()
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:36} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
