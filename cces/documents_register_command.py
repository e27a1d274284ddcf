"""`cces documents register print UNIT YEAR SERIES [--format pdf|xlsx] [--out FILE]`: a register as its book
(Decree 30 Appendix IV; hub.documents.printouts). The command line acts as the hub's tool (system admin,
not cleared): a secret entry prints as its number only."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from cces.errors import UserError


def cmd_register_print(args: argparse.Namespace) -> int:
    from cces.context import migrated_database
    from hub.accounts.principal import Principal
    from hub.db import open_pool
    from hub.documents.printouts.service import PrintoutsService
    from hub.domain import DomainError
    from hub.services import utc_now

    with migrated_database(args) as url:
        pool = open_pool(url, 2, name="cces-register-print")
        try:
            service = PrintoutsService(pool, utc_now)
            make = service.book_pdf if args.format == "pdf" else service.book_xlsx
            try:
                name, data = make(Principal.tool("cli", "Dòng lệnh / command line"), args.unit, args.year, args.series)
            except DomainError as exc:
                raise UserError(str(exc)) from exc
        finally:
            pool.close()
    if args.out is None:
        out = Path(name)
    elif str(args.out) == "-":
        sys.stdout.buffer.write(data)
        return 0
    else:
        out = args.out
    out.write_bytes(data)
    print(f"{out} ({len(data)} bytes)")
    return 0


def add_register_commands(
    add: Callable[..., argparse.ArgumentParser],
    documents_sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    register = add("register", None, "the registers (sổ văn bản)", documents_sub)
    register_sub = register.add_subparsers(dest="register_command", required=True, metavar="ACTION")
    p = add("print", cmd_register_print, "print a register as its book: A4 landscape PDF or XLSX", register_sub)
    hub_config(p)
    p.add_argument("unit", metavar="UNIT", help="the unit's code (a unit with a seal)")
    p.add_argument("year", type=int, metavar="YEAR")
    p.add_argument("series", nargs="?", default="den", metavar="SERIES", help="den (incoming, default), di, mat, sao")
    p.add_argument("--format", choices=("pdf", "xlsx"), default="pdf")
    p.add_argument("--out", type=Path, help="the file (default: so-SERIES-UNIT-YEAR.pdf here; - for standard output)")
