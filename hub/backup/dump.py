"""Taking one backup: the database dumped in an exported snapshot, the files packed, the secrets sealed.

See `hub.backup.archive` for why the pieces are taken in this order (the backup point) and why a backup
is written into `<name>.partial` first.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import psycopg

from hub.backup import repository as repo
from hub.backup.archive import (
    CHUNK,
    CountingReader,
    Created,
    HashingWriter,
    NoProgress,
    Progress,
    Source,
    backup_name,
)
from hub.backup.crypto import Kdf, Keys
from hub.backup.models import (
    CONTENT_DIRS,
    DATABASE,
    FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PARTIAL_SUFFIX,
    SECRET_DIRS,
    SECRET_FILES,
    SECRETS,
    SECRETS_SUFFIX,
    BackupError,
    Piece,
)
from hub.backup.pgtools import libpq_env, pick_tools, tail, tool_major, without_password


def _private(path: Path) -> IO[bytes]:
    """A new file only its owner reads."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_backup(
    source: Source,
    to: Path,
    passphrase: str,
    *,
    secrets_to: Path | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Created:
    """Write one backup into a new folder of `to` (its secrets into `secrets_to` when given)."""
    import time

    started = time.monotonic()
    progress = progress or NoProgress()
    now = now or datetime.now(UTC)
    name = backup_name(now)
    final = to / name
    partial = to / f"{name}{PARTIAL_SUFFIX}"
    for folder in filter(None, (to, secrets_to)):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(
                f"Không tạo được thư mục {folder}: {exc}", f"Cannot create folder {folder}: {exc}"
            ) from exc
    if final.exists() or partial.exists():
        raise BackupError(f"Đã có bản sao lưu {final}.", f"A backup {final} already exists.")
    partial.mkdir(mode=0o700)  # the dump holds password hashes and personal data: the owner's only
    keys = Keys(passphrase, Kdf.new())
    backup_id = uuid.uuid4().hex
    try:
        database, point = _dump_database(source, partial / DATABASE, progress)
        files = _pack_files(source.data_dir, partial / FILES, progress)
        secrets_name = f"{name}{SECRETS_SUFFIX}" if secrets_to is not None else SECRETS
        secrets_dir = secrets_to if secrets_to is not None else partial
        secret_piece = _seal_secrets(source.data_dir, secrets_dir, secrets_name, keys, backup_id)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "id": backup_id,
            "name": name,
            "created_at": now.isoformat(),
            "backup_point": point["at"],
            "host": socket.gethostname(),
            "cces_version": _cces_version(),
            "source": {"database": "embedded" if source.embedded else "production", "data_dir": str(source.data_dir)},
            "database": {k: v for k, v in point.items() if k != "at"},
            "pieces": [_piece_json(database), _piece_json(files)],
            "secrets": {**_piece_json(secret_piece), "separate": secrets_to is not None},
            "notes": list(source.notes),
            "kdf": keys.kdf.describe(),
            "key_check": keys.check,
        }
        manifest["mac"] = keys.sign(manifest)
        with _private(partial / MANIFEST) as out:
            out.write((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
        for piece in (DATABASE, FILES, MANIFEST):
            _fsync_file(partial / piece)
        os.replace(partial, final)
        if secrets_to is not None:
            os.replace(secrets_to / f"{secrets_name}{PARTIAL_SUFFIX}", secrets_to / secrets_name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        if secrets_to is not None:
            (secrets_to / f"{name}{SECRETS_SUFFIX}{PARTIAL_SUFFIX}").unlink(missing_ok=True)
        raise
    finally:
        progress.done()
    size = database.size + files.size + secret_piece.size + (final / MANIFEST).stat().st_size
    secrets_path = (secrets_to / secrets_name) if secrets_to is not None else final / SECRETS
    return Created(final, secrets_path, manifest, size, time.monotonic() - started)


def _piece_json(piece: Piece) -> dict[str, Any]:
    return {"name": piece.name, "size": piece.size, "sha256": piece.sha256, **piece.detail}


def _cces_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cces")
    except PackageNotFoundError:
        return "0.0.0"


def _dump_database(source: Source, target: Path, progress: Progress) -> tuple[Piece, dict[str, Any]]:
    """pg_dump of the snapshot this exports; the row counts and migrations read in the same snapshot."""
    try:
        conn = psycopg.connect(source.database_url, application_name="cces-backup")
    except psycopg.OperationalError as exc:
        raise BackupError(f"Không kết nối được cơ sở dữ liệu: {exc}", f"Cannot connect to the database: {exc}") from exc
    with conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot, at, major = repo.export_snapshot(conn)
        rows = repo.row_counts(conn)
        migrations = repo.migrations(conn)
        estimate = repo.database_size(conn)
        tools = pick_tools(source.pg_bin, major)
        command = [
            str(tools / "pg_dump"),
            "--format=custom",
            f"--snapshot={snapshot}",
            "--no-sync",
            f"--dbname={without_password(source.database_url)}",
        ]
        progress.stage("database", estimate)
        with _private(target) as out:
            writer = HashingWriter(out)
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=libpq_env(source.database_url)
            )
            assert process.stdout is not None and process.stderr is not None
            try:
                while chunk := process.stdout.read(CHUNK):
                    writer.write(chunk)
                    progress.advance(len(chunk))
                stderr = process.stderr.read()
            finally:
                code = process.wait()
        if code != 0:
            raise BackupError(f"pg_dump thất bại: {tail(stderr)}", f"pg_dump failed: {tail(stderr)}")
        conn.rollback()
    point = {
        "at": at.isoformat(),
        "server_major": major,
        "pg_dump_major": tool_major(tools),
        "rows": rows,
        "migrations": migrations,
    }
    return Piece(DATABASE, writer.size, writer.digest.hexdigest(), {"format": "pg_dump custom"}), point


def _content_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    """(name in the archive, path) of every content file; a write's leftover temporary file is skipped."""
    for top in CONTENT_DIRS:
        root = data_dir / top
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for file in sorted(files):
                if ".tmp" in file:
                    continue
                path = Path(folder) / file
                yield path.relative_to(data_dir).as_posix(), path


def _pack_files(data_dir: Path, target: Path, progress: Progress) -> Piece:
    listed = list(_content_files(data_dir))
    total = 0
    for _name, path in listed:
        try:
            total += path.stat().st_size
        except FileNotFoundError:
            pass
    progress.stage("files", total)
    count = size = 0
    with _private(target) as out:
        writer = HashingWriter(out)
        with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for name, path in listed:
                try:
                    handle = open(path, "rb")
                except FileNotFoundError:  # removed since listed (retention): not part of this backup
                    continue
                with handle:
                    info = tar.gettarinfo(arcname=name, fileobj=handle)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    tar.addfile(info, CountingReader(handle, progress))
                count += 1
                size += info.size
    detail = {"files": count, "content_bytes": size, "folders": list(CONTENT_DIRS)}
    return Piece(FILES, writer.size, writer.digest.hexdigest(), detail)


def _secret_paths(data_dir: Path) -> Iterator[tuple[str, Path]]:
    for top in SECRET_DIRS:
        root = data_dir / top
        if root.is_dir():
            for folder, dirs, files in os.walk(root):
                dirs.sort()
                for file in sorted(files):
                    if ".tmp" not in file:
                        path = Path(folder) / file
                        yield path.relative_to(data_dir).as_posix(), path
    for file in SECRET_FILES:
        if (data_dir / file).is_file():
            yield file, data_dir / file


def _seal_secrets(data_dir: Path, folder: Path, name: str, keys: Keys, backup_id: str) -> Piece:
    buffer = io.BytesIO()
    names: list[str] = []
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for top in SECRET_DIRS:
            if (data_dir / top).is_dir():
                tar.add(data_dir / top, arcname=top, recursive=False)
        for arcname, path in _secret_paths(data_dir):
            tar.add(path, arcname=arcname, recursive=False)
            names.append(arcname)
    sealed = keys.seal_secrets(buffer.getvalue(), backup_id)
    target = folder / (f"{name}{PARTIAL_SUFFIX}" if name.endswith(SECRETS_SUFFIX) else name)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(sealed)
        out.flush()
        os.fsync(out.fileno())
    return Piece(name, len(sealed), hashlib.sha256(sealed).hexdigest(), {"contents": names})
