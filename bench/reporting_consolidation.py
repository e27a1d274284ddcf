"""Consolidating summary reports (issue 18): 200 reporting units × 50 indicators summed at their receiving unit,
with the previous period and the same period last year beside it. Goal: p95 under 1 s.

    python -m bench.reporting_consolidation [--units 200] [--indicators 50] [--repeat 30] [--exports 3]
                                            [--json] [--database-url postgresql://…]   # default: embedded pgserver

The database: a department (the receiving unit) with `--units` branches under it; a regime whose template has
`--indicators` indicators (numbers, 3 formulas over them, a table with a total row and a text); its reports
opened for three periods (2026-03, the previous 2026-02 and 2025-03 a year before), every one filled and
submitted through the service. Timed: `ReportingService.consolidate` as the API and the page call it (read the
reports and their values of the three periods, sum, compute the formulas), `--repeat` times; then the
consolidated report rendered as DOCX, XLSX and PDF `--exports` times each (with its chart).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time as clock
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.timesheet_db import bench_database
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.people.models import UnitKind
from hub.people.service import create_unit
from hub.reporting.service import ReportingService

REGIME = "bench-thang"
PERIODS = (("2025-03", datetime(2025, 3, 16, 2, tzinfo=UTC)), ("2026-02", datetime(2026, 2, 16, 2, tzinfo=UTC)),
           ("2026-03", datetime(2026, 3, 16, 2, tzinfo=UTC)))  # fmt: skip


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def template(indicators: int) -> dict:
    numbers = max(1, indicators - 5)
    found = [{"code": f"n{i:02d}", "name_vi": f"Chỉ tiêu số {i + 1}", "name_en": f"Figure {i + 1}", "unit": "vụ"}
             for i in range(numbers)]  # fmt: skip
    found += [
        {"code": "sum_ab", "name_vi": "Tổng hai chỉ tiêu đầu", "name_en": "First two", "formula": "n00 + n01"},
        {"code": "ratio", "name_vi": "Tỷ lệ", "name_en": "Ratio", "unit": "%", "formula": "100 * n00 / n01"},
        {"code": "cases", "name_vi": "Vụ việc", "name_en": "Cases", "kind": "table", "total": True,
         "columns": [{"code": "kind", "name_vi": "Loại", "name_en": "Kind", "kind": "text"},
                     {"code": "count", "name_vi": "Số vụ", "name_en": "Count"}]},
        {"code": "cases_total", "name_vi": "Tổng số vụ", "name_en": "Cases in all", "formula": "cases.count"},
        {"code": "summary", "name_vi": "Tình hình chung", "name_en": "Summary", "kind": "text"},
    ]  # fmt: skip
    return {"indicators": found[:indicators] if indicators >= 5 else found}


def load(url: str, units: int, indicators: int) -> tuple[ReportingService, list[str]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        create_unit(conn, "TCHQ", "Tổng cục Hải quan", UnitKind.GENERAL_DEPARTMENT)
        create_unit(conn, "CHQ00", "Cục Hải quan khu vực", UnitKind.DEPARTMENT, "TCHQ")
        codes = [f"CC{i:03d}" for i in range(units)]
        for code in codes:
            create_unit(conn, code, f"Chi cục Hải quan số {code[2:]}", UnitKind.BRANCH, "CHQ00")
    now = Clock(PERIODS[0][1])
    pool = open_pool(url, max_size=4, name="cces-bench-reporting", wait_s=60)
    service = ReportingService(pool, now)
    tool = Principal.tool("bench", "Bench")
    shape = template(indicators)
    service.define(
        tool, REGIME, valid_from=datetime(2025, 1, 1).date(), name_vi="Báo cáo hằng tháng (bench)",
        name_en="Monthly report (bench)", basis="Nghị định 09/2019/NĐ-CP", frequency_name="monthly",
        deadline_days=2, owner_unit="CHQ00", template=shape, reporters=[(c, "CHQ00") for c in codes],
    )  # fmt: skip
    rng = random.Random(9)
    fillable = [i for i in shape["indicators"] if not i.get("formula")]
    for key, moment in PERIODS:
        now.now = moment
        service.open_period(tool, REGIME, key)
        for r in _all(key, service):
            values: dict = {}
            for ind in fillable:
                kind = ind.get("kind", "number")
                if kind == "number":
                    values[ind["code"]] = rng.randint(0, 500)
                elif kind == "table":
                    values[ind["code"]] = [{"kind": "Buôn lậu", "count": rng.randint(0, 9)},
                                           {"kind": "Gian lận thương mại", "count": rng.randint(0, 9)}]  # fmt: skip
                else:
                    values[ind["code"]] = f"Tình hình ổn định tại {r.unit_name}."
            service.save(tool, r.id, values)
            service.submit(tool, r.id)
    return service, codes


def _all(key: str, service: ReportingService) -> list:
    from hub.reporting import repository as repo

    with service.pool.connection() as conn:
        return repo.reports(conn, regime=REGIME, period_key=key, paths=None, limit=100_000)


def run(url: str, units: int, indicators: int, repeat: int, exports: int) -> dict[str, float | int]:
    began = clock.perf_counter()
    service, _ = load(url, units, indicators)
    loaded = clock.perf_counter() - began
    tool = Principal.tool("bench", "Bench")
    try:
        c = service.consolidate(tool, REGIME, "2026-03", "CHQ00")  # warm
        assert len(c.parts) == units and c.previous and c.last_year, "every part, previous and last year present"
        times = []
        for _ in range(repeat):
            t0 = clock.perf_counter()
            service.consolidate(tool, REGIME, "2026-03", "CHQ00")
            times.append(clock.perf_counter() - t0)
        times.sort()
        out: dict[str, float | int] = {
            "units": units,
            "indicators": indicators,
            "reports": units * len(PERIODS),
            "load_s": round(loaded, 1),
            "consolidate_p50_ms": round(statistics.median(times) * 1000, 1),
            "consolidate_p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 1),
            "consolidate_max_ms": round(times[-1] * 1000, 1),
        }
        for fmt in ("docx", "xlsx", "pdf") if exports else ():
            found = []
            for _ in range(exports):
                t0 = clock.perf_counter()
                f = service.export_consolidated(tool, REGIME, "2026-03", "CHQ00", fmt)
                found.append(clock.perf_counter() - t0)
            out[f"export_{fmt}_p50_ms"] = round(statistics.median(found) * 1000, 1)
            out[f"export_{fmt}_kb"] = round(len(f.content) / 1024)
        return out
    finally:
        service.pool.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--exports", type=int, default=3, help="renders of each export format (0: none)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cces-bench-reporting-") as workdir:
        with bench_database(args.database_url, Path(workdir)) as url:
            result = run(url, args.units, args.indicators, args.repeat, args.exports)
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>22}: {v}")
        goal = "met" if result["consolidate_p95_ms"] < 1000 else "NOT met"
        print(f"goal p95 < 1000 ms: {goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
