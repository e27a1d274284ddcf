"""`cces people …`: employees and the org tree from the command line, with the operator's authority.

Module-level imports stay light: `cces` on a device (no hub dependencies) builds this parser too.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cces.errors import UserError


def cmd_people_import(args: argparse.Namespace) -> int:
    """Import employees from a CSV/XLSX file; rejected rows are reported (exit 0), an unreadable file is exit 2."""
    from cces import cli
    from hub.accounts.audit import CLI_ACTOR
    from hub.accounts.principal import Principal
    from hub.db import open_pool
    from hub.org.models import OrgError
    from hub.people.sheet_process import read_employee_file
    from hub.people.sheets import ImportFileError, ImportLimits
    from hub.services import HubServices

    limits = ImportLimits.from_settings(cli._hub_settings(args).imports)
    try:  # read and check the file before any database is started or touched
        rows, ignored = read_employee_file(args.file, limits)
    except (ImportFileError, OSError) as exc:
        raise UserError(f"cannot read {args.file}: {exc}") from exc
    with cli._migrated_database(args) as url:
        pool = open_pool(url, 2, name="cces-import")
        try:  # through the services: audited like an import from the web
            report = HubServices(pool, None, import_limits=limits).people.import_employees(
                Principal.tool(CLI_ACTOR.username, CLI_ACTOR.username),  # the machine's own authority
                rows,
                all_or_nothing=args.all_or_nothing,
                ignored_columns=ignored,
                actor=CLI_ACTOR,
                create_units_under=args.create_units_under,  # org: units the file names, created with it
                unit_kind=args.unit_kind,
            )
        except OrgError as exc:
            raise UserError(str(exc)) from exc
        finally:
            pool.close()
    if args.json:
        result = {
            "rows": report.rows,
            "inserted": report.inserted,
            "updated": report.updated,
            "written": report.written,
            "rejected": [{"row": e.row, "column": e.column, "reason": e.reason} for e in report.rejected],
            "ignored_columns": report.ignored_columns,
            "summary": report.summary(),
            "unknown_units": report.unknown_units,
            "created_units": report.created_units,
        }
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for e in report.rejected:
        print(f"row {e.row}, column {e.column}: {e.reason}")
    if report.ignored_columns:
        print(f"ignored columns: {', '.join(report.ignored_columns)}")
    if report.unknown_units:  # org: say which, and how to create them
        print(report.unknown_units_hint() + ": --create-units-under CODE")
    print(report.summary())
    return 0


def add_people_commands(add: Callable[..., argparse.ArgumentParser], sub: Any, hub_config: Callable) -> None:
    """`cces people import FILE` (the people domain's commands, registered through hub.domains)."""
    ppl = add("people", None, "employees and the org tree")
    ppl_sub = ppl.add_subparsers(dest="people_command", required=True, metavar="ACTION")
    p = add("import", cmd_people_import, "import employees from a CSV (UTF-8) or XLSX file", ppl_sub)
    hub_config(p)
    p.add_argument("file", type=Path, metavar="FILE", help=".csv or .xlsx; rows matched by employee code")
    p.add_argument("--all-or-nothing", action="store_true", help="write nothing if any row is rejected")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--create-units-under",
        metavar="CODE",
        help="create the units the file names that do not exist, under this unit (named by a 'Tên đơn vị' column)",
    )
    p.add_argument("--unit-kind", metavar="KIND", help="their kind (default: the kind that fits, a team if it may)")
