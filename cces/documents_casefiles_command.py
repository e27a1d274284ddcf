"""`cces documents casefiles …`: case files and the archive (issue 15 item 7; hub.documents.casefiles), with the
operator's authority (the hub's tool: system admin, audited as 'cli', not cleared for secret documents):

- `import UNIT YEAR FILE.xlsx` — a file list (danh mục hồ sơ) from a sheet (rows `I. TCCB`, `1`, `01.TCCB`);
- `list UNIT YEAR [--format pdf|xlsx] [--out FILE]` — the file list printed;
- `due UNIT [--all]` — closed files due (30 days) or overdue for hand-over, one line each;
- `contents FILE_ID [--format pdf|xlsx] [--out FILE]` — a file's Mục lục văn bản;
- `handover HANDOVER_ID [--format pdf|xlsx] [--out FILE]` — Mục lục hồ sơ nộp lưu;
- `record HANDOVER_ID [--out FILE]` — the hand-over's Biên bản giao nhận (PDF);
- `package FILE_ID [--out FILE]` — a case file as one ZIP (its merged PDF and the XML of its metadata);
- `reopen FILE_ID --reason TEXT` — reopen a closed file not handed over yet (mở lại hồ sơ), audited with the reason;
- `review UNIT [--format xlsx|pdf] [--out FILE]` — the files past their retention (for the review).

Every command goes through the same service as the API (`DocumentsService(…).casefiles`, with the content store
of the hub's settings, so a package holds the documents' PDFs): the same checks, the same files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cces.errors import UserError


@contextmanager
def _service(args: argparse.Namespace) -> Iterator[Any]:
    from cces.context import hub_settings, migrated_database
    from hub.db import open_pool
    from hub.documents.files import FileRules
    from hub.documents.service import DocumentsService
    from hub.files import ContentStore
    from hub.services import utc_now

    settings = hub_settings(args)
    with migrated_database(args) as url:
        pool = open_pool(url, 2, name="cces-casefiles")
        try:
            documents = DocumentsService(
                pool, utc_now, file_rules=FileRules.from_settings(settings), store=ContentStore(settings.files_dir)
            )
            yield documents.casefiles
        finally:
            pool.close()


def _tool() -> Any:
    from hub.accounts.principal import Principal

    return Principal.tool("cli", "Dòng lệnh / command line")


def _run(call: Callable[[], Any]) -> Any:
    from hub.domain import DomainError

    try:
        return call()
    except DomainError as exc:
        raise UserError(str(exc)) from exc


def _write(name: str, data: bytes, out: Path | None) -> int:
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(data)
        return 0
    target = out or Path(name)
    target.write_bytes(data)
    print(f"{target} ({len(data)} bytes)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from hub.documents.casefiles.sheet import MAX_BYTES, read_xlsx

    path: Path = args.file
    if not path.is_file() or path.stat().st_size > MAX_BYTES:
        raise UserError(f"{path}: not a file of at most {MAX_BYTES} bytes")
    with _service(args) as service:
        found = _run(lambda: service.import_list(_tool(), args.unit, args.year, read_xlsx(path.read_bytes())))
    majors = sum(1 for h in found.headings if h.parent_id is None)
    print(f"{found.unit_code} {found.year}: {majors} headings, {len(found.entries)} files")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with _service(args) as service:
        found = _run(lambda: service.file_list_export(_tool(), args.unit, args.year, args.format))
    return _write(found.filename, found.content, args.out)


def cmd_due(args: argparse.Namespace) -> int:
    from hub.documents.casefiles.models import DUE_LABELS, Due

    with _service(args) as service:
        only = None if args.all else [Due.SOON, Due.OVERDUE]
        found = _run(lambda: service.due(_tool(), args.unit, only=only))
    for d in found:
        f = d.case_file
        print(f"{f.code}\t{f.year}\t{d.due_on.isoformat()}\t{d.status.value}\t{DUE_LABELS[d.status][0]}\t{f.title}")
    return 0


def cmd_contents(args: argparse.Namespace) -> int:
    with _service(args) as service:
        found = _run(lambda: service.contents_export(_tool(), args.file_id, args.format))
    return _write(found.filename, found.content, args.out)


def cmd_handover(args: argparse.Namespace) -> int:
    with _service(args) as service:
        found = _run(lambda: service.handover_export(_tool(), args.handover_id, args.format))
    return _write(found.filename, found.content, args.out)


def cmd_record(args: argparse.Namespace) -> int:
    with _service(args) as service:
        found = _run(lambda: service.handover_record_pdf(_tool(), args.handover_id))
    return _write(found.filename, found.content, args.out)


def cmd_package(args: argparse.Namespace) -> int:
    with _service(args) as service:
        found = _run(lambda: service.package(_tool(), args.file_id))
    return _write(found.filename, found.content, args.out)


def cmd_reopen(args: argparse.Namespace) -> int:
    """Reopen a closed case file (hub.documents.casefiles.reopening): an unknown file, an empty or over-long
    reason, a file that is open or handed over is the service's bilingual refusal (exit 2), nothing changed."""
    with _service(args) as service:
        found = _run(lambda: service.reopen(_tool(), args.file_id, args.reason))
    print(f"{found.code}\t{found.year}\t{found.state.value}\t{found.title}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    with _service(args) as service:
        found = _run(lambda: service.past_retention_export(_tool(), args.unit, args.format))
    return _write(found.filename, found.content, args.out)


def add_casefiles_commands(
    add: Callable[..., argparse.ArgumentParser],
    documents_sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    group = add("casefiles", None, "case files (hồ sơ) and the hand-over to the archive", documents_sub)
    sub = group.add_subparsers(dest="casefiles_command", required=True, metavar="ACTION")
    p = add("import", cmd_import, "import a file list (danh mục hồ sơ) from XLSX", sub)
    hub_config(p)
    p.add_argument("unit", metavar="UNIT")
    p.add_argument("year", type=int, metavar="YEAR")
    p.add_argument("file", type=Path, metavar="FILE.xlsx")
    for name, handler, help_text in (("list", cmd_list, "print a file list (danh mục hồ sơ)"),):
        p = add(name, handler, help_text, sub)
        hub_config(p)
        p.add_argument("unit", metavar="UNIT")
        p.add_argument("year", type=int, metavar="YEAR")
        p.add_argument("--format", choices=("pdf", "xlsx"), default="pdf")
        p.add_argument("--out", type=Path, help="the file (default: a name here; - for standard output)")
    p = add("due", cmd_due, "closed files due or overdue for hand-over to the archive", sub)
    hub_config(p)
    p.add_argument("unit", metavar="UNIT")
    p.add_argument("--all", action="store_true", help="every closed file not handed over, with its status")
    for name, handler, arg, help_text in (
        ("contents", cmd_contents, "file_id", "a case file's table of contents (mục lục văn bản)"),
        ("handover", cmd_handover, "handover_id", "a hand-over list (mục lục hồ sơ nộp lưu)"),
    ):
        p = add(name, handler, help_text, sub)
        hub_config(p)
        p.add_argument(arg, type=int, metavar=arg.upper())
        p.add_argument("--format", choices=("pdf", "xlsx"), default="pdf")
        p.add_argument("--out", type=Path, help="the file (default: a name here; - for standard output)")
    for name, handler, arg, help_text in (
        ("record", cmd_record, "handover_id", "a hand-over's record (biên bản giao nhận), PDF"),
        ("package", cmd_package, "file_id", "a case file as one ZIP: its merged PDF and the XML of its metadata"),
    ):
        p = add(name, handler, help_text, sub)
        hub_config(p)
        p.add_argument(arg, type=int, metavar=arg.upper())
        p.add_argument("--out", type=Path, help="the file (default: a name here; - for standard output)")
    p = add("reopen", cmd_reopen, "reopen a closed case file before its hand-over (mở lại hồ sơ)", sub)
    hub_config(p)
    p.add_argument("file_id", type=int, metavar="FILE_ID")
    p.add_argument("--reason", required=True, help="why it is reopened (lý do mở lại; at most 500 characters)")
    p = add("review", cmd_review, "the unit's case files past their retention (for the review)", sub)
    hub_config(p)
    p.add_argument("unit", metavar="UNIT")
    p.add_argument("--format", choices=("xlsx", "pdf"), default="xlsx")
    p.add_argument("--out", type=Path, help="the file (default: a name here; - for standard output)")
