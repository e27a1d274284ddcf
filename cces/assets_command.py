"""`cces assets …`: the asset register from the command line, with the machine operator's authority (system
admin, audited as actor 'cli'). For an asset officer moving a register in from a spreadsheet, or a night job
printing the year's books:

    cces assets import FILE [--json]            CSV/XLSX; rejected rows listed (exit 0), unreadable file exit 2
    cces assets list [WORDS] [--unit U] [--status S] [--category C] [--limit N] [--json]
    cces assets show NUMBER [--json]            the record, its remaining value today and its history
    cces assets card NUMBER [--out FILE]        the asset card (thẻ tài sản cố định) as PDF
    cces assets wear YEAR [--unit U] [--format xlsx|pdf] [--out FILE]   the wear table at 31 December
    cces assets book YEAR [--unit U] [--format xlsx|pdf] [--out FILE]   the fixed-asset book

`--out -` writes the file to standard output. Module-level imports stay light: `cces` on a device builds
this parser too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cces.errors import UserError

STATUSES = ("in_use", "in_store", "under_repair", "lent", "liquidated")


@contextmanager
def _service(args: argparse.Namespace) -> Iterator[Any]:
    """The assets service on the hub's database, built from the same [assets] settings as the running hub."""
    from cces.context import hub_settings, migrated_database
    from hub.assets.config import service_parts
    from hub.assets.service import AssetsService
    from hub.db import open_pool
    from hub.domain import DomainError
    from hub.services import utc_now

    settings = hub_settings(args)
    parts = service_parts(settings.assets)
    with migrated_database(args) as url:
        pool = open_pool(url, 2, name="cces-assets")
        try:
            yield AssetsService(pool, utc_now, parts["asset_policy"], parts["first_year"])
        except DomainError as exc:
            raise UserError(str(exc)) from exc
        finally:
            pool.close()


def _cli() -> Any:
    from hub.accounts.principal import Principal

    return Principal.tool("cli", "Dòng lệnh / command line")


def _write(data: bytes, out: Path | None, default_name: str) -> None:
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(data)
        return
    target = out or Path(default_name)
    target.write_bytes(data)
    print(f"{target} ({len(data)} bytes)")


def _asset_json(a: Any) -> dict[str, Any]:
    return {
        "asset_number": a.asset_number, "name": a.name, "category": a.category_code, "unit": a.unit_code,
        "custodian": a.custodian_code, "location": a.location_code, "cost": a.cost,
        "funding_source": a.funding_source, "acquired_on": a.acquired_on.isoformat(), "status": a.status,
        "business_use": a.business_use, "serial_number": a.serial_number, "epc": a.epc_hex,
        "liquidated_on": a.liquidated_on.isoformat() if a.liquidated_on else None,
    }  # fmt: skip


def cmd_assets_import(args: argparse.Namespace) -> int:
    from cces.context import hub_settings
    from hub.accounts.audit import CLI_ACTOR
    from hub.assets.importing import ASSET_COLUMNS
    from hub.people.sheet_process import read_employee_file
    from hub.people.sheets import ImportFileError, ImportLimits

    limits = ImportLimits.from_settings(hub_settings(args).imports)
    try:  # read and check the file before any database is started or touched
        rows, ignored = read_employee_file(args.file, limits, ASSET_COLUMNS)
    except (ImportFileError, OSError) as exc:
        raise UserError(f"không đọc được / cannot read {args.file}: {exc}") from exc
    with _service(args) as service:
        report = service.import_assets(_cli(), CLI_ACTOR, rows, ignored)
    if args.json:
        print(json.dumps({
            "rows": report.rows, "created": report.created, "created_numbers": report.created_numbers,
            "rejected": [{"row": e.row, "column": e.column, "reason": e.reason} for e in report.rejected],
            "ignored_columns": report.ignored_columns, "summary": report.summary(),
        }, ensure_ascii=False))  # fmt: skip
        return 0
    for e in report.rejected:
        print(f"dòng/row {e.row}, cột/column {e.column or '-'}: {e.reason}")
    if report.ignored_columns:
        print(f"cột bỏ qua / ignored columns: {', '.join(report.ignored_columns)}")
    print(report.summary())
    return 0


def cmd_assets_list(args: argparse.Namespace) -> int:
    from hub.assets.models import STATUS_LABELS

    with _service(args) as service:
        found, total = service.search(_cli(), " ".join(args.words), unit_code=args.unit, status=args.status,
                                      category=args.category, limit=args.limit, offset=args.offset)  # fmt: skip
    if args.json:
        print(json.dumps({"total": total, "items": [_asset_json(a) for a in found]}, ensure_ascii=False))
        return 0
    for a in found:
        status = STATUS_LABELS.get(a.status, (a.status,))[0]
        print(f"{a.asset_number}  {a.name} — {a.unit_name} · {status} · {a.cost:,} đ".replace(",", "."))
    print(f"{len(found)} / {total} tài sản / assets")
    return 0


def cmd_assets_show(args: argparse.Namespace) -> int:
    from hub.assets.models import STATUS_LABELS

    with _service(args) as service:
        asset = service.get(_cli(), args.number)
        history = service.history(_cli(), args.number)
        remaining = service.remaining_value(asset, service.now().date())
    if args.json:
        out = _asset_json(asset) | {"remaining_value": remaining}
        out["history"] = [{"at": h.at.isoformat(), "action": h.action, "actor": h.actor} for h in history]
        print(json.dumps(out, ensure_ascii=False))
        return 0
    status = STATUS_LABELS.get(asset.status, (asset.status,))[0]
    print(f"{asset.asset_number}  {asset.name}")
    print(f"  loại / category: {asset.category_name} ({asset.wear_rate_pct}%/năm)")
    print(f"  đơn vị / unit: {asset.unit_name}; người giữ / custodian: {asset.custodian_name or '-'}")
    print(f"  vị trí / location: {asset.location_name or '-'}; tình trạng / status: {status}")
    print(f"  nguyên giá / cost: {asset.cost:,} đ; giá trị còn lại / remaining: {remaining:,} đ".replace(",", "."))
    print(f"  ngày sử dụng / in use since: {asset.acquired_on:%d/%m/%Y}; EPC: {asset.epc_hex or '-'}")
    for h in history:
        print(f"  {h.at:%d/%m/%Y %H:%M}  {h.action}  {h.actor}")
    return 0


def cmd_assets_card(args: argparse.Namespace) -> int:
    with _service(args) as service:
        data = service.card_pdf(_cli(), args.number)
    _write(data, args.out, f"the-tai-san-{args.number}.pdf")
    return 0


def cmd_assets_wear(args: argparse.Namespace) -> int:
    with _service(args) as service:
        if args.format == "xlsx":
            data = service.wear_xlsx(_cli(), args.year, args.unit)
        else:
            data = service.wear_pdf(_cli(), args.year, args.unit)
    _write(data, args.out, f"bang-hao-mon-{args.year}.{args.format}")
    return 0


def cmd_assets_book(args: argparse.Namespace) -> int:
    with _service(args) as service:
        data = service.book(_cli(), args.year, args.unit, args.format)
    _write(data, args.out, f"so-tai-san-co-dinh-{args.year}.{args.format}")
    return 0


def add_assets_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `cces assets import|list|show|card|wear|book` with cli.build_parser's helpers."""
    assets = add("assets", None, "the asset register (quản lý tài sản): import, search, cards, wear, books", sub)
    assets_sub = assets.add_subparsers(dest="assets_command", required=True, metavar="ACTION")

    p = add("import", cmd_assets_import, "import assets from CSV/XLSX (rejected rows are listed)", assets_sub)
    hub_config(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true")

    p = add("list", cmd_assets_list, "search the register (number, name or serial; every word)", assets_sub)
    hub_config(p)
    p.add_argument("words", nargs="*", metavar="WORDS")
    p.add_argument("--unit", metavar="CODE", help="only this unit and the units under it")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--category", metavar="CODE")
    p.add_argument("--limit", type=_bounded(1, 500), default=50, help="at most N (1–500, default 50)")
    p.add_argument("--offset", type=_bounded(0, 1_000_000), default=0)
    p.add_argument("--json", action="store_true")

    p = add("show", cmd_assets_show, "one asset: its record, remaining value and history", assets_sub)
    hub_config(p)
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--json", action="store_true")

    p = add("card", cmd_assets_card, "the asset card (thẻ tài sản cố định) as PDF", assets_sub)
    hub_config(p)
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--out", type=Path, help="the file (default: its name here; - for standard output)")

    for name, handler, what in (
        ("wear", cmd_assets_wear, "the wear table (bảng tính hao mòn) of a year, at 31 December"),
        ("book", cmd_assets_book, "the fixed-asset book (sổ tài sản cố định) of a year"),
    ):
        p = add(name, handler, what, assets_sub)
        hub_config(p)
        p.add_argument("year", type=_bounded(1950, 2200), metavar="YEAR")
        p.add_argument("--unit", metavar="CODE", help="only this unit and the units under it")
        p.add_argument("--format", choices=("xlsx", "pdf"), default="xlsx")
        p.add_argument("--out", type=Path, help="the file (default: its name here; - for standard output)")


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"không phải số / not a number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"ngoài khoảng / out of range {low}–{high}: {value}")
        return value

    return parse
