"""`cces backup create|verify|restore`: backups of a hub from the command line (hub.backup).

The passphrase comes from `--passphrase-file`, `--passphrase-stdin`, the settings
(`CCES_BACKUP_PASSPHRASE` / `_FILE`), or a prompt on a terminal (asked twice for a new backup).
A progress bar is drawn on stderr when it is a terminal (`--no-progress` to leave it out).

Module-level imports stay light: `cces` on a device (no hub dependencies) builds this parser too.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cces.errors import UserError


def _settings(args: argparse.Namespace) -> Any:
    from hub.settings import HubSettings

    return HubSettings.load(getattr(args, "config", None))


def _passphrase(args: argparse.Namespace, settings: Any, *, new: bool) -> str:
    from hub.backup.crypto import check_new_passphrase
    from hub.backup.service import passphrase_from_settings

    if args.passphrase_file is not None:
        try:
            value = args.passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UserError(f"cannot read the passphrase file {args.passphrase_file}: {exc}") from exc
    elif args.passphrase_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
    else:
        value = passphrase_from_settings(settings) or ""
        if not value and sys.stdin.isatty():
            value = getpass.getpass("backup passphrase / cụm mật khẩu sao lưu: ")
            if new and getpass.getpass("again / nhập lại: ") != value:
                raise UserError("the two passphrases differ / hai cụm mật khẩu khác nhau")
        if not value:
            raise UserError(
                "no backup passphrase: --passphrase-file F, --passphrase-stdin,"
                " CCES_BACKUP_PASSPHRASE(_FILE) or a terminal"
            )
    return check_new_passphrase(value) if new else value


class _Bar:
    """A rich progress bar on stderr, one task per stage."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._progress.start()
        self._task: Any = None

    def stage(self, name: str, total: int | None) -> None:
        self._finish_task()
        self._task = self._progress.add_task(name, total=total)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, n)

    def _finish_task(self) -> None:
        if self._task is not None:
            task = self._progress.tasks[-1]
            self._progress.update(self._task, total=task.completed)

    def done(self) -> None:
        self._finish_task()
        self._task = None
        self._progress.stop()


def _progress(args: argparse.Namespace) -> Any:
    from hub.backup.archive import NoProgress

    if args.no_progress or args.json or not sys.stderr.isatty():
        return NoProgress()
    return _Bar()


def _fail(exc: Exception) -> UserError:
    return UserError(str(exc))


def cmd_backup_create(args: argparse.Namespace) -> int:
    import psycopg

    from hub.backup import repository as repo
    from hub.backup.dump import create_backup
    from hub.backup.models import BackupError
    from hub.backup.service import run_row, source_for
    from hub.db import migrate
    from hub.runtime import resolve_database

    settings = _settings(args)
    to = args.to or settings.backup.dir
    if to is None:
        raise UserError("say where the backup goes: --to DIR or CCES_BACKUP_DIR (best another disk or machine)")
    secrets_to = args.secrets_to or settings.backup.secrets_dir
    try:
        passphrase = _passphrase(args, settings, new=True)
    except BackupError as exc:
        raise _fail(exc) from exc
    started = datetime.now(UTC)
    url, embedded = resolve_database(settings)
    try:
        migrate(url)  # the record of runs is a table of the hub's schema
        try:
            created = create_backup(
                source_for(settings, url, embedded is not None), to, passphrase,
                secrets_to=secrets_to, progress=_progress(args),
            )  # fmt: skip
        except BackupError as exc:
            with psycopg.connect(url) as conn:
                repo.record_run(conn, run_row("command", started, error=exc.en))
            raise _fail(exc) from exc
        with psycopg.connect(url) as conn:
            repo.record_run(conn, run_row("command", started, created))
    finally:
        if embedded is not None:
            embedded.stop()
    m = created.manifest
    result = {
        "path": str(created.path),
        "secrets": str(created.secrets_path),
        "size": created.size,
        "seconds": round(created.seconds, 2),
        "backup_point": m["backup_point"],
        "rows": m["database"]["rows"],
        "files": m["pieces"][1]["files"],
        "notes": m["notes"],
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"backup written: {created.path} ({created.size:,} bytes, {created.seconds:.1f} s)")
    print(f"backup point: {m['backup_point']}; {result['files']:,} files; rows: "
          + ", ".join(f"{k} {v:,}" for k, v in result["rows"].items()))  # fmt: skip
    print(f"secrets (encrypted): {created.secrets_path}")
    for note in m["notes"]:
        print(f"note: {note}")
    return 0


def cmd_backup_verify(args: argparse.Namespace) -> int:
    from hub.backup.models import BackupError
    from hub.backup.verify import verify_backup

    settings = _settings(args)
    try:
        passphrase = _passphrase(args, settings, new=False)
        verified = verify_backup(
            args.source, passphrase, secrets_file=args.secrets, pg_bin=settings.backup.pg_bin, progress=_progress(args)
        )
    except BackupError as exc:
        raise _fail(exc) from exc
    if args.json:
        print(json.dumps({"ok": True, "path": str(verified.path), "checks": verified.checks}, ensure_ascii=False))
        return 0
    print(f"backup {verified.path} is sound:")
    for check in verified.checks:
        print(f"  ✓ {check}")
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from hub.backup.archive import Target
    from hub.backup.models import BackupError
    from hub.backup.restore import restore_backup
    from hub.runtime import resolve_database

    settings = _settings(args)
    try:
        passphrase = _passphrase(args, settings, new=False)
    except BackupError as exc:
        raise _fail(exc) from exc
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url, embedded = resolve_database(settings)
    try:
        target = Target(settings.data_dir, url, embedded is not None, settings.backup.pg_bin)
        restored = restore_backup(
            args.source, target, passphrase, secrets_file=args.secrets, replace=args.replace,
            progress=_progress(args), on_restored=_after_restore,
        )  # fmt: skip
    except BackupError as exc:
        raise _fail(exc) from exc
    finally:
        if embedded is not None:
            embedded.stop()
    m = restored.manifest
    if args.json:
        result = {
            "restored": m["name"],
            "backup_point": m["backup_point"],
            "replaced": restored.replaced,
            "rows": m["database"]["rows"],
            "seconds": round(restored.seconds, 2),
        }
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(
        f"restored {m['name']} (backup point {m['backup_point']}) into {settings.data_dir} in {restored.seconds:.1f} s"
    )
    for line in restored.replaced:
        print(f"  replaced: {line}")
    for note in m.get("notes", []):
        print(f"note: {note}")
    print("start the hub (cces hub); devices reconnect with their certificates")
    return 0


def _after_restore(url: str, manifest: dict[str, Any]) -> None:
    """On the restored database: this version's migrations, and the restore in the audit log."""
    import psycopg

    from hub.accounts import audit
    from hub.db import migrate

    migrate(url)
    after = {
        "backup_point": manifest.get("backup_point"),
        "host": manifest.get("host"),
        "rows": manifest.get("database", {}).get("rows"),
    }
    with psycopg.connect(url) as conn, conn.transaction():
        audit.record(conn, audit.CLI_ACTOR, "backup.restore", "backup", manifest.get("name"), after=after)


def add_backup_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `cces backup create|verify|restore` with cli.build_parser's helpers."""
    backup = add("backup", None, "backups: database, files and encrypted secrets (sao lưu)", sub)
    backup_sub = backup.add_subparsers(dest="backup_command", required=True, metavar="ACTION")

    def passphrase_options(p: argparse.ArgumentParser) -> None:
        hub_config(p)
        p.add_argument("--passphrase-file", type=Path, metavar="F", help="read the passphrase from this file")
        p.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase from stdin's first line")
        p.add_argument("--no-progress", action="store_true", help="no progress bar")
        p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = add("create", cmd_backup_create, "back up the database, the content store and the secrets", backup_sub)
    passphrase_options(p)
    p.add_argument("--to", type=Path, metavar="DIR", help="where the backup folder goes (default CCES_BACKUP_DIR)")
    p.add_argument(
        "--secrets-to", type=Path, metavar="DIR", help="write the encrypted secrets here instead, apart from the rest"
    )

    p = add(
        "verify", cmd_backup_verify, "check a backup: digests, the dump readable, the secrets decrypting", backup_sub
    )
    passphrase_options(p)
    p.add_argument("source", type=Path, metavar="FROM", help="the backup folder (cces-backup-…)")
    p.add_argument("--secrets", type=Path, metavar="FILE", help="its secrets file, when written apart")

    p = add("restore", cmd_backup_restore, "restore a backup into this hub's data dir and database", backup_sub)
    passphrase_options(p)
    p.add_argument("source", type=Path, metavar="FROM", help="the backup folder (cces-backup-…)")
    p.add_argument("--secrets", type=Path, metavar="FILE", help="its secrets file, when written apart")
    p.add_argument("--replace", action="store_true", help="replace a hub that is not empty (it says what)")
