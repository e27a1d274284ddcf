"""`cces documents edxml …`: edXML messages of QCVN 102:2016.

- `show FILE [--json]` reads a message without touching the database: what it holds, and each rule of
  QCVN 102 or Decree 30 a field breaks under `warnings`. A file that is not well-formed XML or not edXML
  is one line on stderr and exit code 2.
- `import FILE --unit CODE` registers a received document in the unit's incoming register.
- `export ID --to ORGAN_ID[=NAME] … [--out FILE]` writes an outgoing document as a message.
- `status ID CODE [--out FILE]` writes a status packet (01 … 06, 13, 15, 16) for a document received as edXML.
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

MAX_FILE_BYTES = 100 * 1024 * 1024


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"{path}: tệp quá lớn (tối đa 100 MB) / file too large (at most 100 MB)")
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"không đọc được {path} / cannot read {path}: {exc.strerror or exc}") from exc


def _parse(data: bytes, path: Path) -> Any:
    from hub.documents.edxml import EdxmlError, parse

    try:
        return parse(data)
    except EdxmlError as exc:
        raise UserError(f"{path}: {' '.join(str(exc).split())}") from exc


def cmd_edxml_show(args: argparse.Namespace) -> int:
    message = _parse(_read(args.file), args.file)
    shown = message.as_show()
    if args.json:
        print(json.dumps(shown, ensure_ascii=False))
        return 0
    for key, value in shown.items():
        if key in ("attachments", "warnings"):
            continue
        print(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    for a in shown["attachments"]:
        print(f"tệp đính kèm / attachment: {a['name']} ({a['content_type']}, {a['size']} B)")
    for w in shown["warnings"]:
        print(f"cảnh báo / warning: {w['field']}: {w['message']} [{w['rule']}]")
    return 0


def _cli() -> Any:
    from hub.accounts.principal import Principal

    return Principal.tool("cli", "Dòng lệnh / command line")


@contextmanager
def _exchange(args: argparse.Namespace) -> Iterator[Any]:
    from cces.context import hub_settings, migrated_database
    from hub.db import open_pool
    from hub.documents.edxml_exchange import EdxmlExchange
    from hub.documents.service import DocumentsService
    from hub.files import ContentStore
    from hub.services import utc_now

    settings = hub_settings(args)
    with migrated_database(args) as url:
        pool = open_pool(url, 2, name="cces-edxml")
        try:
            yield EdxmlExchange(pool, DocumentsService(pool, utc_now), ContentStore(settings.files_dir), utc_now)
        finally:
            pool.close()


def _domain_errors() -> tuple[type[BaseException], ...]:
    from hub.domain import DomainError

    return (DomainError,)


def cmd_edxml_import(args: argparse.Namespace) -> int:
    data = _read(args.file)
    _parse(data, args.file)  # not edXML: refused before a database is started or touched
    with _exchange(args) as exchange:
        try:
            done = exchange.import_message(_cli(), args.unit, data)
        except _domain_errors() as exc:
            raise UserError(str(exc)) from exc
    doc = done.document
    result = {
        "id": doc.id, "unit": doc.unit_code, "year": doc.year, "series": doc.series_code, "number": doc.number,
        "code_number": doc.code_number, "code_notation": doc.code_notation, "subject": doc.subject,
        "attachments": len(done.message.attachments), "duplicates": list(doc.duplicates),
        "warnings": [w.as_dict() for w in done.message.warnings],
    }  # fmt: skip
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(
            f"số đến / incoming number {doc.number:02d} ({doc.unit_code} {doc.year}): {doc.number_line} — {doc.subject}"
        )
        if doc.duplicates:
            print(f"cảnh báo: trùng văn bản đã vào sổ / warning: duplicate of {list(doc.duplicates)}")
    return 0


def _write(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UserError(f"không ghi được {out} / cannot write {out}: {exc.strerror or exc}") from exc


def cmd_edxml_export(args: argparse.Namespace) -> int:
    from hub.documents.edxml import sniff_type
    from hub.documents.edxml_exchange import organ_argument
    from hub.documents.edxml_write import OutgoingFile

    with _exchange(args) as exchange:
        try:
            recipients = [organ_argument(t) for t in args.to]
            files = [OutgoingFile(p.name, sniff_type(p.name, d := _read(p)), d) for p in args.attach]
            data = exchange.export_document(
                _cli(), args.id, sender_organ_id=args.from_organ_id, recipients=recipients, files=files,
                signer_position=args.signer_position or "", signer_name=args.signer_name or "",
            )  # fmt: skip
        except _domain_errors() as exc:
            raise UserError(str(exc)) from exc
    _write(data, args.out)
    return 0


def cmd_edxml_status(args: argparse.Namespace) -> int:
    with _exchange(args) as exchange:
        try:
            data = exchange.status_for(
                _cli(), args.id, args.code, sender_organ_id=args.from_organ_id, description=args.description or ""
            )
        except _domain_errors() as exc:
            raise UserError(str(exc)) from exc
    _write(data, args.out)
    return 0


def add_edxml_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    edxml = add("edxml", None, "edXML messages (QCVN 102:2016): show, import, export, status", sub)
    edxml_sub = edxml.add_subparsers(dest="edxml_command", required=True, metavar="ACTION")
    p = add("show", cmd_edxml_show, "read a message without touching the database (warnings: broken rules)", edxml_sub)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p = add("import", cmd_edxml_import, "register a received message in a unit's incoming register", edxml_sub)
    hub_config(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--unit", required=True, help="code of the receiving unit (with a seal)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p = add("export", cmd_edxml_export, "write an outgoing document as an edXML message", edxml_sub)
    hub_config(p)
    p.add_argument("id", type=int, metavar="ID", help="the document's id")
    p.add_argument("--to", action="append", required=True, metavar="ORGAN_ID[=NAME]", help="a recipient (repeat)")
    p.add_argument("--from-organ-id", required=True, help="the sending unit's electronic id, e.g. 000.00.00.G12")
    p.add_argument("--attach", action="append", type=Path, default=[], metavar="FILE", help="a file (repeat)")
    p.add_argument("--signer-position", help="the signer's position")
    p.add_argument("--signer-name", help="the signer's full name")
    p.add_argument("--out", type=Path, help="the message file (default: standard output)")
    p = add("status", cmd_edxml_status, "write a status packet for a document received as edXML", edxml_sub)
    hub_config(p)
    p.add_argument("id", type=int, metavar="ID", help="the received document's id")
    p.add_argument("code", choices=["01", "02", "03", "04", "05", "06", "13", "15", "16"], help="status code")
    p.add_argument("--from-organ-id", required=True, help="this unit's electronic id, e.g. 000.00.00.G12")
    p.add_argument("--description", help="a message to the sender")
    p.add_argument("--out", type=Path, help="the message file (default: standard output)")
