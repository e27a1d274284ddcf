"""`cces reporting …`: summary reporting under Decree 09/2019 from the command line.

`cces reporting export REGIME PERIOD UNIT --format docx|xlsx|pdf [--out FILE]` writes the consolidated report of
the reports sent to UNIT for the period (the template's layout, the official heading, a chart);
`cces reporting export --report ID --format …` one unit's report. It acts as the hub's tool (system admin).

`cces reporting period --frequency monthly|quarterly|half-year|nine-month|yearly --period P [--json]` prints
the data cut-off of a period (hub.reporting.periods): `{"start": "2026-02-15", "end": "2026-03-14"}`. A period
that does not exist (2026-13, 2026-Q5, one of another frequency, garbage) is one line on stderr, Vietnamese and
English, and exit code 2. It needs no database.

Module-level imports stay light: `cces` on a device (no hub dependencies) builds this parser too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from cces.errors import UserError


def cmd_reporting_period(args: argparse.Namespace) -> int:
    from hub.reporting.periods import InvalidFrequency, InvalidPeriod, frequency, parse_period

    try:
        period = parse_period(frequency(args.frequency), args.period)
        start, end = period.cutoff(args.cutoff_day)
    except (InvalidFrequency, InvalidPeriod) as exc:
        raise UserError(str(exc)) from None
    if args.json:
        print(json.dumps({"start": start.isoformat(), "end": end.isoformat()}))
    else:
        print(f"{period.key}: {start:%d/%m/%Y} – {end:%d/%m/%Y} (số liệu từ ngày … đến hết ngày / data from … to)")
    return 0


def cmd_reporting_export(args: argparse.Namespace) -> int:
    from cces.context import migrated_database
    from hub.accounts.principal import Principal
    from hub.db import open_pool
    from hub.domain import DomainError
    from hub.reporting.service import ReportingService
    from hub.services import utc_now

    if args.report is None and not (args.regime and args.period and args.unit):
        raise UserError("cần REGIME PERIOD UNIT hoặc --report ID / REGIME PERIOD UNIT or --report ID is needed")
    tool = Principal.tool("cli", "Dòng lệnh / command line")
    with migrated_database(args) as url:
        pool = open_pool(url, 2, name="cces-reporting-export")
        try:
            service = ReportingService(pool, utc_now)
            try:
                if args.report is not None:
                    found = service.export_report(tool, args.report, args.format)
                else:
                    found = service.export_consolidated(tool, args.regime, args.period, args.unit, args.format)
            except DomainError as exc:
                raise UserError(str(exc)) from exc
        finally:
            pool.close()
    if args.out is not None and str(args.out) == "-":
        sys.stdout.buffer.write(found.content)
        return 0
    out = args.out or Path(found.filename)
    out.write_bytes(found.content)
    print(f"{out} ({len(found.content)} bytes)")
    return 0


def add_reporting_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `cces reporting period` and `cces reporting export` with cli.build_parser's helpers."""
    reporting = add("reporting", None, "summary reporting under Decree 09/2019 (tổng hợp – báo cáo)", sub)
    reporting_sub = reporting.add_subparsers(dest="reporting_command", required=True, metavar="ACTION")
    p = add("period", cmd_reporting_period, "the data cut-off of a reporting period (Decree 09/2019 Art. 12)",
            reporting_sub)  # fmt: skip
    p.add_argument(
        "--frequency", required=True, metavar="FREQUENCY",
        help="monthly | quarterly | half-year | nine-month | yearly",
    )  # fmt: skip
    p.add_argument("--period", required=True, metavar="P", help="2026-03, 2026-Q1, 2026-H1, 2026-9M or 2026")
    p.add_argument("--cutoff-day", type=int, default=15, help="the day of the month the data starts on (default 15)")
    p.add_argument("--json", action="store_true", help='print {"start": ISO date, "end": ISO date}')

    e = add("export", cmd_reporting_export, "a consolidated report or one unit's report as DOCX, XLSX or PDF",
            reporting_sub)  # fmt: skip
    hub_config(e)
    e.add_argument("regime", nargs="?", metavar="REGIME", help="the regime's code")
    e.add_argument("period", nargs="?", metavar="PERIOD", help="2026-03, 2026-Q1, 2026-H1, 2026-9M or 2026")
    e.add_argument("unit", nargs="?", metavar="UNIT", help="the receiving unit whose consolidation is printed")
    e.add_argument("--report", type=int, metavar="ID", help="print this report instead (one unit's)")
    e.add_argument("--format", choices=("docx", "xlsx", "pdf"), default="pdf")
    e.add_argument("--out", type=Path, help="the file (default: its name here; - for standard output)")
