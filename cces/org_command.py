"""`cces org …`: the organisation from the command line, with the machine operator's authority (system admin,
audited as actor 'cli'): `cces org list`, `cces org import FILE`.

Module-level imports stay light: `cces` on a device (no hub dependencies) builds this parser too.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cces.errors import UserError


def _services(url: str) -> Any:
    from hub.db import open_pool
    from hub.services import HubServices

    return HubServices(open_pool(url, 2, name="cces-org"), None)


def _cli() -> Any:
    from hub.accounts.principal import Principal

    return Principal.tool("cli", "Dòng lệnh / command line")


def cmd_org_list(args: argparse.Namespace) -> int:
    """The units in tree order, indented; closed and merged ones with --all."""
    from cces.context import migrated_database

    with migrated_database(args) as url:
        services = _services(url)
        try:
            units = services.org.units(_cli(), include_closed=args.all)
            kinds = {k.code: k for k in services.org.kinds()}
            counts = services.org.employee_counts()
        finally:
            services.pool.close()
    if args.json:
        print(json.dumps([
            {"code": u.code, "name": u.name, "kind": u.kind, "parent_code": u.parent_code,
             "valid_from": u.valid_from.isoformat() if u.valid_from else None,
             "valid_to": u.valid_to.isoformat() if u.valid_to else None, "successor_code": u.successor_code,
             "has_seal": u.has_seal, "is_office": u.is_office, "employees": counts.get(u.id, 0)}
            for u in units
        ], ensure_ascii=False))  # fmt: skip
        return 0
    if not units:
        print("Chưa có đơn vị nào; tạo bằng: cces org import FILE / no units yet; create them: cces org import FILE")
        return 0
    for u in units:
        marks = "".join(m for m, on in ((" [dấu/seal]", u.has_seal), (" [trụ sở/office]", u.is_office)) if on)
        ended = ""
        if u.valid_to is not None:
            ended = f" (đến/until {u.valid_to:%d/%m/%Y}" + (f" → {u.successor_code})" if u.successor_code else ")")
        print(
            f"{'  ' * u.depth}{u.code}  {u.name} — {kinds[u.kind].name_vi}{marks}"
            f"  · {counts.get(u.id, 0)} cán bộ/staff{ended}"
        )
    return 0


def cmd_org_import(args: argparse.Namespace) -> int:
    """Import units from CSV/XLSX; rejected rows are reported (exit 0), an unreadable file is exit 2."""
    from cces.context import hub_settings, migrated_database
    from hub.accounts.audit import CLI_ACTOR
    from hub.org.importing import ORG_COLUMNS
    from hub.org.models import OrgError
    from hub.people.sheet_process import read_employee_file
    from hub.people.sheets import ImportFileError, ImportLimits

    limits = ImportLimits.from_settings(hub_settings(args).imports)
    try:  # read and check the file before any database is started or touched
        rows, ignored = read_employee_file(args.file, limits, ORG_COLUMNS)
    except (ImportFileError, OSError) as exc:
        raise UserError(f"cannot read {args.file}: {exc}") from exc
    with migrated_database(args) as url:
        services = _services(url)
        try:
            report = services.org.import_units(_cli(), CLI_ACTOR, rows, ignored)
        except OrgError as exc:
            raise UserError(str(exc)) from exc
        finally:
            services.pool.close()
    if args.json:
        print(json.dumps({
            "rows": report.rows, "created": report.created, "unchanged": report.unchanged,
            "created_codes": report.created_codes,
            "rejected": [{"row": e.row, "column": e.column, "reason": e.reason} for e in report.rejected],
            "ignored_columns": report.ignored_columns, "summary": report.summary(),
        }, ensure_ascii=False))  # fmt: skip
        return 0
    for e in report.rejected:
        print(f"dòng/row {e.row}, cột/column {e.column}: {e.reason}")
    if report.ignored_columns:
        print(f"cột bỏ qua / ignored columns: {', '.join(report.ignored_columns)}")
    print(report.summary())
    return 0


def add_org_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `cces org list|import` with cli.build_parser's helpers."""
    org = add("org", None, "the organisation: units, their kinds and history (đơn vị)", sub)
    org_sub = org.add_subparsers(dest="org_command", required=True, metavar="ACTION")
    p = add("list", cmd_org_list, "list the units as a tree (with seal, office, staff count)", org_sub)
    hub_config(p)
    p.add_argument("--all", action="store_true", help="also closed and merged units")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p = add("import", cmd_org_import, "create units from a CSV (UTF-8) or XLSX file", org_sub)
    hub_config(p)
    p.add_argument("file", type=Path, metavar="FILE", help="columns: code, name, kind, parent code, valid from")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
