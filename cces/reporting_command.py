"""`cces reporting …`: summary reporting under Decree 09/2019 from the command line.

`cces reporting period --frequency monthly|quarterly|half-year|nine-month|yearly --period P [--json]` prints
the data cut-off of a period (hub.reporting.periods): `{"start": "2026-02-15", "end": "2026-03-14"}`. A period
that does not exist (2026-13, 2026-Q5, one of another frequency, garbage) is one line on stderr, Vietnamese and
English, and exit code 2. It needs no database.

Module-level imports stay light: `cces` on a device (no hub dependencies) builds this parser too.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

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


def add_reporting_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `cces reporting period` with cli.build_parser's helpers."""
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
