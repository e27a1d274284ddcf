"""`cces rfid …`: EPC tags of the GS1 Tag Data Standard from the command line.

`decode` and `encode` need only `protocol.epc` (they run on a device too); `asset-epc` reads the
agency's EPC settings (CCES_ASSETS_*); `labels` writes label sheets and a tag printer's encoding list.
A value that does not fit its scheme is one line on stderr (Vietnamese / English) and exit code 2.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cces.errors import UserError


def _epc_error() -> type[Exception]:
    from protocol.epc import EpcError

    return EpcError


def _print_epc(epc: Any, as_json: bool, extra: dict[str, object] | None = None) -> None:
    from protocol.epc.schemes import LABELS, SCHEME_TITLES

    data = {**(extra or {}), **epc.as_dict()}
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    lines = [
        f"{epc.scheme.upper()} — {SCHEME_TITLES[epc.family]}, {epc.bits} bit",
        f"URI thẻ / tag URI:          {epc.tag_uri}",
        f"URI định danh / pure URI:   {epc.pure_uri}",
        f"hex (EPC bank):             {epc.hex}",
    ]
    if epc.filter is not None:
        vi, en = epc.filter_label
        lines.append(f"lọc / filter:               {epc.filter} — {vi} / {en}")
    for name, value in epc.fields.items():
        vi, en = LABELS[name]
        lines.append(f"{vi} / {en}: {value}")
    if epc.gs1_element_string:
        lines.append(f"GS1: {epc.gs1_element_string}")
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {value}")
    print("\n".join(lines))


def cmd_rfid_decode(args: argparse.Namespace) -> int:
    from protocol.epc import decode

    try:
        epc = decode(args.hex)
    except _epc_error() as exc:
        raise UserError(str(exc)) from exc
    _print_epc(epc, args.json)
    return 0


def cmd_rfid_encode(args: argparse.Namespace) -> int:
    from protocol.epc import parse_uri

    try:
        epc = parse_uri(args.uri, filter=args.filter, scheme=args.scheme)
    except _epc_error() as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print(json.dumps(epc.as_dict(), ensure_ascii=False))
    else:
        print(f"{epc.hex}\n{epc.tag_uri}")
    return 0


def _policy(args: argparse.Namespace) -> Any:
    """The agency's EPC policy: the command's options over the hub settings (CCES_ASSETS_…)."""
    from protocol.epc import AssetEpcPolicy

    prefix, manager, klass, filter_value = args.company_prefix, args.gid_manager, args.gid_class, args.filter
    if (prefix is None and manager is None) or klass is None or filter_value is None:
        from hub.settings import HubSettings

        settings = HubSettings.load(getattr(args, "config", None))
        if prefix is None and manager is None:
            prefix, manager = settings.assets.gs1_company_prefix, settings.assets.gid_manager
        klass = settings.assets.gid_class if klass is None else klass
        filter_value = settings.assets.epc_filter if filter_value is None else filter_value
    try:
        return AssetEpcPolicy(company_prefix=prefix, gid_manager=manager, gid_class=klass, filter=filter_value)
    except _epc_error() as exc:
        raise UserError(str(exc)) from exc


def cmd_rfid_asset_epc(args: argparse.Namespace) -> int:
    from protocol.epc import asset_epc

    policy = _policy(args)
    try:
        epc = asset_epc(args.reference, policy, register_serial=args.serial)
    except _epc_error() as exc:
        raise UserError(str(exc)) from exc
    _print_epc(epc, args.json, {"asset_number": args.reference})
    return 0


def cmd_rfid_labels(args: argparse.Namespace) -> int:
    """Label sheets (PDF) and the tag printer's encoding list (CSV) for a CSV of asset numbers."""
    from hub.assets.labels import (
        LabelInputError,
        SheetLayout,
        encoding_list_csv,
        label_sheet_pdf,
        make_labels,
        read_asset_csv,
    )

    policy = _policy(args)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UserError(f"không đọc được {args.file} / cannot read {args.file}: {exc.strerror or exc}") from exc
    try:
        layout = SheetLayout(columns=args.columns, rows=args.rows)
        labels = make_labels(read_asset_csv(data), policy)
    except LabelInputError as exc:
        raise UserError(str(exc)) from exc
    listing = args.encoding_list or args.out.with_name(f"{args.out.stem}-encoding.csv")
    pdf = label_sheet_pdf(labels, layout, title=args.title or "")
    try:  # written only once everything is made: a refused row leaves no half-made files behind
        args.out.write_bytes(pdf)
        listing.write_bytes(encoding_list_csv(labels))
    except OSError as exc:
        raise UserError(f"không ghi được tệp / cannot write: {exc}") from exc
    sheets = -(-len(labels) // layout.per_sheet)
    schemes: dict[str, int] = {}
    for label in labels:
        schemes[label.epc.scheme] = schemes.get(label.epc.scheme, 0) + 1
    result = {"labels": len(labels), "sheets": sheets, "pdf": str(args.out), "encoding_list": str(listing)}
    if args.json:
        print(json.dumps({**result, "schemes": schemes}, ensure_ascii=False))
    else:
        counted = ", ".join(f"{n} {s.upper()}" for s, n in sorted(schemes.items()))
        print(f"{len(labels)} nhãn / labels ({counted}) on {sheets} sheet(s): {args.out}\nencoding list: {listing}")
    return 0


def cmd_rfid_simulate(args: argparse.Namespace) -> int:
    """A simulated serial UHF reader on a pseudo-terminal, for an agent's `[rfid] port` (demo, bench)."""
    import signal
    import threading

    from devices.rfid.simulator import SerialReaderSimulator, SimTag

    epcs = list(args.epc or []) or [f"3034257BF7194E40{i:08X}" for i in range(args.tags)]
    for epc in epcs:
        if len(epc) % 4 or not all(c in "0123456789abcdefABCDEF" for c in epc) or not 4 <= len(epc) <= 124:
            raise UserError(f"EPC không hợp lệ / not an EPC (hex, whole 16-bit words): {epc!r}")
    if not 0 < args.rate <= 100_000:
        raise UserError("--rate phải từ 0 đến 100000 / --rate must be within 0–100000 reads per second")
    link = Path(args.link)
    round_s = len(epcs) / args.rate
    stop = threading.Event()
    with SerialReaderSimulator(args.protocol, link, [SimTag(e.upper()) for e in epcs], round_s=round_s) as sim:
        print(
            f"Đầu đọc mô phỏng / simulated reader: {args.protocol} at {link} -> {link.resolve()}, {len(epcs)} tags,"
            f" ~{args.rate:g} reads/s (Ctrl-C to stop)",
            flush=True,
        )
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())  # systemd's or timeout's stop
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
        print(f"{sim.rounds} rounds, {sim.tags_sent} reads sent")
    return 0


def add_rfid_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    rfid = add("rfid", None, "RFID tags: GS1 EPC codec (Tag Data Standard), asset EPCs, label sheets")
    rfid_sub = rfid.add_subparsers(dest="rfid_command", required=True, metavar="ACTION")
    p = add("decode", cmd_rfid_decode, "an EPC bank's hex → scheme, tag URI, pure identity URI, fields", rfid_sub)
    p.add_argument("hex", metavar="HEX", help="e.g. 3074257BF7194E4000001A85 (after the PC word)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p = add("encode", cmd_rfid_encode, "an EPC tag URI (or pure identity URI) → the hex to write", rfid_sub)
    p.add_argument("uri", metavar="URI", help="urn:epc:tag:giai-96:1.0614141.12345400 or urn:epc:id:giai:…")
    p.add_argument("--filter", type=int, default=0, help="filter value for a pure identity URI (default 0)")
    p.add_argument("--scheme", help="binary scheme for a pure identity URI (default: the smallest that fits)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p = add("asset-epc", cmd_rfid_asset_epc, "the EPC an asset's tag carries (GIAI-96, GIAI-202 or GID-96)", rfid_sub)
    hub_config(p)
    p.add_argument("reference", metavar="ASSET_NUMBER", help="the asset number, kept exactly as written")
    p.add_argument("--serial", type=int, help="the asset's numeric register serial (GID-96 only)")
    _policy_options(p)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p = add("labels", cmd_rfid_labels, "label sheets (QR + asset number, PDF) and a tag printer's list (CSV)", rfid_sub)
    hub_config(p)
    p.add_argument("file", type=Path, metavar="FILE.csv", help="asset_number[,name,register_serial] per row")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="the label sheets")
    p.add_argument("--encoding-list", type=Path, metavar="FILE.csv", help="default: <out>-encoding.csv")
    p.add_argument("--title", help="the agency's name, printed on every label")
    p.add_argument("--columns", type=int, default=3, help="labels across an A4 sheet (default 3)")
    p.add_argument("--rows", type=int, default=8, help="labels down an A4 sheet (default 8)")
    _policy_options(p)
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = add("simulate", cmd_rfid_simulate, "a simulated serial UHF reader on a pty (for an agent's [rfid] port)",
            rfid_sub)  # fmt: skip
    p.add_argument("--protocol", choices=("chafon", "yrm100"), default="chafon")
    p.add_argument("--link", default="/tmp/cces-rfid-sim", help="the path the agent opens (a symlink to the pty)")
    p.add_argument("--epc", action="append", help="a tag in the field (repeat); default: --tags made-up SGTINs")
    p.add_argument("--tags", type=int, default=20, choices=range(1, 10_001), metavar="N", help="default 20")
    p.add_argument("--rate", type=float, default=100.0, help="reads per second, all tags together (default 100)")


def _policy_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--company-prefix", help="GS1 company prefix (default: CCES_ASSETS_GS1_COMPANY_PREFIX)")
    p.add_argument("--gid-manager", type=int, help="GID-96 manager number (default: CCES_ASSETS_GID_MANAGER)")
    p.add_argument("--gid-class", type=int, help="GID-96 object class (default: CCES_ASSETS_GID_CLASS)")
    p.add_argument("--filter", type=int, help="GIAI filter value (default: CCES_ASSETS_EPC_FILTER)")
