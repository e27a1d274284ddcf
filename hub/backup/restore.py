"""Putting one backup back: verified first, staged beside the hub (a new database, a new folder), then
swapped in by renames only, so a refused or failed restore changes nothing.
"""

from __future__ import annotations

import io
import os
import secrets
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

from hub.backup import repository as repo
from hub.backup.archive import (
    HashingReader,
    NoProgress,
    Progress,
    Restored,
    Target,
    altered,
    listed_piece,
    safe_member,
)
from hub.backup.models import (
    CONTENT_DIRS,
    DATABASE,
    FILES,
    SECRET_DIRS,
    SECRET_FILES,
    BackupError,
)
from hub.backup.pgtools import database_name, libpq_env, pick_tools, tail, with_database, without_password
from hub.backup.verify import verify_backup

RESTORE_JOBS = max(1, min(4, os.cpu_count() or 1))  # pg_restore's parallel jobs (tables, indexes at once)


@contextmanager
def _maintenance(url: str) -> Iterator[psycopg.Connection]:
    try:
        conn = psycopg.connect(with_database(url, "postgres"), autocommit=True, application_name="cces-restore")
    except psycopg.OperationalError as exc:
        raise BackupError(
            f"Không kết nối được cơ sở dữ liệu 'postgres' của máy chủ: {exc}",
            f"Cannot connect to the server's 'postgres' database: {exc}",
        ) from exc
    with conn:
        yield conn


def describe_target(target: Target) -> list[str]:
    """What a restore would replace, one line each (empty: a fresh hub)."""
    lines: list[str] = []
    name = database_name(target.database_url)
    where = f"embedded in {target.data_dir / 'postgres'}" if target.embedded else urlsplit(target.database_url).hostname
    try:
        with psycopg.connect(target.database_url, application_name="cces-restore") as conn:
            tables = repo.user_tables(conn)
            rows = repo.row_counts(conn) if tables else {}
    except psycopg.OperationalError as exc:
        raise BackupError(f"Không kết nối được cơ sở dữ liệu: {exc}", f"Cannot connect to the database: {exc}") from exc
    if tables:
        counted = ", ".join(f"{n:,} {t}" for t, n in rows.items())
        lines.append(f"database {name} ({where}): {tables} tables; {counted}")
    for top in CONTENT_DIRS:
        files = (
            [p for p in (target.data_dir / top).rglob("*") if p.is_file()] if (target.data_dir / top).is_dir() else []
        )
        if files:
            size = sum(p.stat().st_size for p in files)
            lines.append(f"{target.data_dir / top}: {len(files):,} files, {size:,} bytes")
    for top in SECRET_DIRS:
        folder = target.data_dir / top
        names = (
            sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
            if folder.is_dir()
            else []
        )
        if names:
            lines.append(f"{folder}: {', '.join(names)}")
    for file in SECRET_FILES:
        if (target.data_dir / file).is_file():
            lines.append(str(target.data_dir / file))
    return lines


def restore_backup(
    path: Path,
    target: Target,
    passphrase: str,
    *,
    secrets_file: Path | None = None,
    replace: bool = False,
    progress: Progress | None = None,
    on_restored: Callable[[str, dict[str, Any]], None] | None = None,
) -> Restored:
    """Verify, stage, then swap in; `on_restored(url, manifest)` runs on the restored database (migrate, audit)."""
    import time

    started = time.monotonic()
    progress = progress or NoProgress()
    verified = verify_backup(path, passphrase, secrets_file=secrets_file, pg_bin=target.pg_bin, progress=progress)
    manifest = verified.manifest
    _refuse_newer_schema(manifest)
    name = database_name(target.database_url)
    with _maintenance(target.database_url) as admin:
        _refuse_if_in_use(admin, name)
    present = describe_target(target)
    if present and not replace:
        listing = "\n  - ".join(present)
        raise BackupError(
            f"Hub này không trống; khôi phục sẽ thay thế:\n  - {listing}\n"
            "Không có gì bị thay đổi. Chạy lại với --replace để thay thế.",
            f"This hub is not empty; a restore would replace:\n  - {listing}\n"
            "Nothing was changed. Run again with --replace to replace it.",
        )
    token = secrets.token_hex(4)
    staging = target.data_dir / f".restore-{token}"
    replaced_dir = target.data_dir / f".replaced-{token}"
    staged_db = f"{name}_restore_{token}"
    old_db = f"{name}_replaced_{token}"
    target.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        staging.mkdir()
        _unpack_files(verified.path / FILES, staging, int(listed_piece(manifest, FILES)["size"]), progress)
        with tarfile.open(fileobj=io.BytesIO(verified.secrets_tar), mode="r:") as tar:
            tar.extractall(staging, filter="data")
        _restore_database(verified.path / DATABASE, target, staged_db, manifest, progress)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        with _maintenance(target.database_url) as admin:
            repo.drop_database(admin, staged_db)
        raise
    # everything is staged: swap in (renames only), then clear away what was replaced
    with _maintenance(target.database_url) as admin:
        try:
            _refuse_if_in_use(admin, name)
            if repo.database_exists(admin, name):
                repo.rename_database(admin, name, old_db)
            repo.rename_database(admin, staged_db, name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            repo.drop_database(admin, staged_db)
            raise
    replaced_dir.mkdir()
    for entry in (*CONTENT_DIRS, *SECRET_DIRS, *SECRET_FILES):
        if (target.data_dir / entry).exists():
            os.replace(target.data_dir / entry, replaced_dir / entry)
        if (staging / entry).exists():
            os.replace(staging / entry, target.data_dir / entry)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(replaced_dir, ignore_errors=True)
    with _maintenance(target.database_url) as admin:
        repo.drop_database(admin, old_db)
    if on_restored is not None:
        on_restored(target.database_url, manifest)
    progress.done()
    return Restored(manifest, present, time.monotonic() - started)


def _refuse_newer_schema(manifest: dict[str, Any]) -> None:
    """A backup of a newer CCES holds migrations this version does not know: its code would not match the data."""
    from hub.db import migrations_dir

    known = {p.stem for p in Path(migrations_dir()).glob("*.sql")}
    unknown = sorted(set(manifest.get("database", {}).get("migrations", [])) - known)
    if unknown:
        listed = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"Bản sao lưu do phiên bản CCES mới hơn tạo ({manifest.get('cces_version')}; migration {listed}): "
            "hãy cài phiên bản đó trước. Không có gì bị thay đổi.",
            f"The backup was taken by a newer CCES ({manifest.get('cces_version')}; migrations {listed}): "
            "install that version first. Nothing was changed.",
        )


def _refuse_if_in_use(admin: psycopg.Connection, name: str) -> None:
    sessions = repo.other_sessions(admin, name)
    if sessions:
        who = ", ".join(f"pid {pid}" + (f" ({app})" if app else "") for pid, app in sessions[:5])
        raise BackupError(
            f"Cơ sở dữ liệu {name} đang được dùng ({who}): hãy dừng mọi tiến trình hub trước. Không có gì bị thay đổi.",
            f"Database {name} is in use ({who}): stop every hub process first. Nothing was changed.",
        )


def _unpack_files(archive: Path, staging: Path, size: int, progress: Progress) -> None:
    progress.stage("restore files", size)
    with open(archive, "rb") as handle, tarfile.open(fileobj=HashingReader(handle, progress), mode="r|") as tar:
        for member in tar:
            if not safe_member(member, CONTENT_DIRS):
                raise altered(FILES, f"có mục lạ {member.name!r}", f"holds an unexpected entry {member.name!r}")
            tar.extract(member, staging, filter="data")


def _restore_database(dump: Path, target: Target, staged_db: str, manifest: dict[str, Any], progress: Progress) -> None:
    with _maintenance(target.database_url) as admin:
        try:
            repo.create_database(admin, staged_db)
        except psycopg.Error as exc:
            raise BackupError(
                f"Không tạo được cơ sở dữ liệu tạm {staged_db} (cần quyền CREATEDB): {exc}",
                f"Cannot create the staging database {staged_db} (CREATEDB is needed): {exc}",
            ) from exc
        major = repo.server_major(admin)
    tools = pick_tools(target.pg_bin, max(major, int(manifest.get("database", {}).get("pg_dump_major") or 0)))
    progress.stage("restore database", None)
    # Tables and rows first, then indexes, constraints and triggers: in one parallel run a trigger on a
    # partitioned table (created once the parent's empty data is in) is cloned onto partitions whose rows are
    # still being copied, fires on restored rows and, with restore's empty search_path, fails or changes them.
    for sections in (("pre-data", "data"), ("post-data",)):
        result = subprocess.run(
            [
                str(tools / "pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *(f"--section={section}" for section in sections),
                f"--jobs={RESTORE_JOBS}",  # into a staging database: a failure drops it whole, no transaction needed
                f"--dbname={without_password(with_database(target.database_url, staged_db))}",
                str(dump),
            ],
            capture_output=True,
            env=libpq_env(target.database_url),
        )
        if result.returncode != 0:
            raise BackupError(
                f"pg_restore thất bại: {tail(result.stderr)}. Không có gì bị thay đổi.",
                f"pg_restore failed: {tail(result.stderr)}. Nothing was changed.",
            )
