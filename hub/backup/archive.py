"""Taking, verifying and restoring one backup.

**Consistency.** The database is dumped by `pg_dump` (custom format) inside a snapshot this module
exports first: the rows counted for the manifest and the dump are the same moment, the *backup point*
(every transaction committed before it is in the dump, none after). The files are copied after the dump:
the content store and the sealed snapshots are written before the rows that name them and never changed
afterwards, so every file a dumped row names is already there (a file written after the backup point is
copied too, unreferenced and harmless). The secrets are read last and encrypted with the passphrase.
A backup is written into `<name>.partial` and renamed when complete, so a half-written one is never
verified, restored or counted by retention.

**Restore** checks everything first (the manifest's signature, every digest, the dump readable, the
secrets decrypting), restores the dump into a new database beside the hub's and unpacks the files into a
folder beside the data dir's; only when all of that worked does it swap them in (database renames, folder
renames). A refused or failed restore changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import socket
import subprocess
import tarfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import psycopg

from hub.backup import repository as repo
from hub.backup.crypto import MAX_SECRETS_BYTES, Kdf, Keys
from hub.backup.models import (
    CONTENT_DIRS,
    DATABASE,
    FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NAME_PREFIX,
    NAME_TIME,
    PARTIAL_SUFFIX,
    SECRET_DIRS,
    SECRET_FILES,
    SECRETS,
    SECRETS_SUFFIX,
    BackupError,
    Piece,
)
from hub.backup.pgtools import pick_tools, tail, tool_major

CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
RESTORE_JOBS = max(1, min(4, os.cpu_count() or 1))  # pg_restore's parallel jobs (tables, indexes at once)
_DIGEST_NAME = set("0123456789abcdef")


class Progress(Protocol):
    """Where long steps report: `stage` starts one (total bytes, or None), `advance` adds bytes done."""

    def stage(self, name: str, total: int | None) -> None: ...

    def advance(self, n: int) -> None: ...

    def done(self) -> None: ...


class NoProgress:
    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, n: int) -> None:
        pass

    def done(self) -> None:
        pass


@dataclass(frozen=True)
class Source:
    """What to back up: the hub's database and data dir (and where the PostgreSQL tools are, if set)."""

    database_url: str
    data_dir: Path
    embedded: bool
    pg_bin: Path | None = None
    notes: tuple[str, ...] = ()  # said in the manifest: secrets that live in settings, not in the data dir


@dataclass(frozen=True)
class Created:
    path: Path
    secrets_path: Path
    manifest: dict[str, Any]
    size: int  # bytes of every piece, the secrets included
    seconds: float


@dataclass
class Verified:
    path: Path
    manifest: dict[str, Any]
    secrets_tar: bytes
    checks: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    replaced: list[str]
    seconds: float


def backup_name(now: datetime) -> str:
    return NAME_PREFIX + now.astimezone(UTC).strftime(NAME_TIME)


def backup_time(name: str) -> datetime | None:
    """When the backup named `name` was taken (None: not a backup's name)."""
    if not name.startswith(NAME_PREFIX):
        return None
    try:
        return datetime.strptime(name.removeprefix(NAME_PREFIX), NAME_TIME).replace(tzinfo=UTC)
    except ValueError:
        return None


# --- writing --------------------------------------------------------------------------------------


class _HashingWriter(io.RawIOBase):
    """A file written through: counts bytes, hashes them, reports progress."""

    def __init__(self, target: IO[bytes], progress: Progress | None = None) -> None:
        self._target = target
        self._progress = progress
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._target.write(view)
        self.digest.update(view)
        self.size += len(view)
        return len(view)


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
            f"--dbname={_without_password(source.database_url)}",
        ]
        progress.stage("database", estimate)
        with _private(target) as out:
            writer = _HashingWriter(out)
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_libpq_env(source.database_url)
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
        writer = _HashingWriter(out)
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
                    tar.addfile(info, _CountingReader(handle, progress))
                count += 1
                size += info.size
    detail = {"files": count, "content_bytes": size, "folders": list(CONTENT_DIRS)}
    return Piece(FILES, writer.size, writer.digest.hexdigest(), detail)


class _CountingReader:
    def __init__(self, handle: IO[bytes], progress: Progress) -> None:
        self._handle = handle
        self._progress = progress

    def read(self, n: int = -1) -> bytes:
        data = self._handle.read(n)
        self._progress.advance(len(data))
        return data


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


# --- verifying ------------------------------------------------------------------------------------


def read_manifest(path: Path) -> tuple[Path, dict[str, Any]]:
    """The backup folder and its manifest (`path`: the folder or its manifest.json)."""
    folder = path.parent if path.name == MANIFEST else path
    if folder.name.endswith(PARTIAL_SUFFIX):
        raise BackupError(
            f"{folder} là bản sao lưu chưa hoàn tất (bị ngắt khi đang ghi).",
            f"{folder} is an incomplete backup (interrupted while being written).",
        )
    file = folder / MANIFEST
    try:
        raw = file.read_bytes() if file.stat().st_size <= MAX_MANIFEST_BYTES else b""
        manifest = json.loads(raw)
    except FileNotFoundError as exc:
        raise BackupError(f"Không có bản sao lưu tại {folder} (thiếu {MANIFEST}).",
                          f"No backup at {folder} ({MANIFEST} missing).") from exc  # fmt: skip
    except (OSError, ValueError) as exc:
        raise BackupError(f"Bản kê khai {file} không đọc được.", f"The manifest {file} is unreadable.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{file} không phải bản kê khai sao lưu CCES.", f"{file} is not a CCES backup manifest.")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"Phiên bản định dạng sao lưu {manifest.get('version')} không được hỗ trợ.",
            f"Backup format version {manifest.get('version')} is not supported.",
        )
    return folder, manifest


def _altered(piece: str, why_vi: str, why_en: str) -> BackupError:
    return BackupError(
        f"Bản sao lưu đã bị hỏng hoặc bị sửa: {piece} {why_vi}. Không có gì bị thay đổi.",
        f"The backup is damaged or altered: {piece} {why_en}. Nothing was changed.",
    )


def _check_piece(path: Path, expected: dict[str, Any], progress: Progress) -> None:
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise _altered(name, "bị thiếu", "is missing") from exc
    if size != expected.get("size"):
        raise _altered(
            name, f"có {size} byte thay vì {expected.get('size')}", f"has {size} bytes, not {expected.get('size')}"
        )
    progress.stage(f"verify {name}", size)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            progress.advance(len(chunk))
    if digest.hexdigest() != expected.get("sha256"):
        raise _altered(name, "có SHA-256 khác bản kê khai", "has a SHA-256 other than the manifest's")


def _piece(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    for piece in manifest.get("pieces", []):
        if isinstance(piece, dict) and piece.get("name") == name:
            return piece
    raise _altered(MANIFEST, f"không nhắc tới {name}", f"does not list {name}")


def _safe_member(member: tarfile.TarInfo, allowed: tuple[str, ...]) -> bool:
    parts = Path(member.name).parts
    return (
        bool(parts)
        and parts[0] in allowed
        and not member.name.startswith("/")
        and ".." not in parts
        and (member.isfile() or member.isdir())
    )


def verify_backup(
    path: Path,
    passphrase: str,
    *,
    secrets_file: Path | None = None,
    pg_bin: Path | None = None,
    progress: Progress | None = None,
) -> Verified:
    """Every check a restore relies on; raises BackupError (in words) at the first that fails."""
    progress = progress or NoProgress()
    folder, manifest = read_manifest(path)
    keys = Keys(passphrase, Kdf.from_manifest(manifest.get("kdf")))
    keys.verify(manifest)
    checks = ["manifest signed with this passphrase"]
    database = _piece(manifest, DATABASE)
    _check_piece(folder / DATABASE, database, progress)
    tools = pick_tools(pg_bin, int(manifest.get("database", {}).get("pg_dump_major") or 0))
    listing = subprocess.run(
        [str(tools / "pg_restore"), "--list", str(folder / DATABASE)], capture_output=True, timeout=600
    )
    if listing.returncode != 0:
        raise _altered(DATABASE, f"không đọc được ({tail(listing.stderr)})", f"is unreadable ({tail(listing.stderr)})")
    entries = sum(1 for line in listing.stdout.splitlines() if line and not line.startswith(b";"))
    checks.append(f"{DATABASE}: SHA-256 matches; pg_restore reads {entries} entries")
    files = _piece(manifest, FILES)
    count = _check_files(folder / FILES, files, progress)
    checks.append(f"{FILES}: SHA-256 matches; {count} files, content-store names match their SHA-256")
    secrets_tar = _open_secrets(folder, manifest, keys, secrets_file)
    checks.append(f"secrets: decrypted with the passphrase ({len(manifest['secrets'].get('contents', []))} files)")
    progress.done()
    return Verified(folder, manifest, secrets_tar, checks)


def _check_files(path: Path, expected: dict[str, Any], progress: Progress) -> int:
    """One pass over files.tar: its size and SHA-256, every member's place, content-store names = digests."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise _altered(FILES, "bị thiếu", "is missing") from exc
    if size != expected.get("size"):
        raise _altered(
            FILES, f"có {size} byte thay vì {expected.get('size')}", f"has {size} bytes, not {expected.get('size')}"
        )
    progress.stage(f"verify {FILES}", size)
    count = 0
    with open(path, "rb") as handle:
        reader = _HashingReader(handle, progress)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not _safe_member(member, CONTENT_DIRS):
                        raise _altered(
                            FILES, f"có mục lạ {member.name!r}", f"holds an unexpected entry {member.name!r}"
                        )
                    if not member.isfile():
                        continue
                    count += 1
                    data = tar.extractfile(member)
                    assert data is not None
                    digest = hashlib.sha256()
                    while chunk := data.read(CHUNK):
                        digest.update(chunk)
                    parts = Path(member.name).parts
                    named = parts[-1]
                    if parts[0] == "files" and len(named) == 64 and set(named) <= _DIGEST_NAME:
                        if digest.hexdigest() != named:
                            raise _altered(
                                FILES, f"có tệp {member.name} sai nội dung", f"holds {member.name} with other content"
                            )
            while reader.read(CHUNK):  # the tar's end padding: hash to the last byte
                pass
        except tarfile.TarError as exc:
            raise _altered(FILES, f"không đọc được ({exc})", f"is unreadable ({exc})") from exc
    if reader.digest.hexdigest() != expected.get("sha256"):
        raise _altered(FILES, "có SHA-256 khác bản kê khai", "has a SHA-256 other than the manifest's")
    if count != expected.get("files"):
        raise _altered(
            FILES,
            f"có {count} tệp thay vì {expected.get('files')}",
            f"holds {count} files, not {expected.get('files')}",
        )
    return count


class _HashingReader:
    def __init__(self, handle: IO[bytes], progress: Progress) -> None:
        self._handle = handle
        self._progress = progress
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self._handle.read(n)
        self.digest.update(data)
        self._progress.advance(len(data))
        return data


def secrets_location(folder: Path, manifest: dict[str, Any], given: Path | None) -> Path:
    name = str(manifest.get("secrets", {}).get("name", ""))
    if given is not None:
        return given / name if given.is_dir() else given
    if not manifest.get("secrets", {}).get("separate"):
        return folder / SECRETS
    if (folder.parent / name).is_file():
        return folder.parent / name
    raise BackupError(
        f"Các bí mật của bản sao lưu này được lưu riêng ({name}): chỉ ra tệp đó bằng --secrets.",
        f"This backup's secrets were written apart ({name}): give that file with --secrets.",
    )


def _open_secrets(folder: Path, manifest: dict[str, Any], keys: Keys, given: Path | None) -> bytes:
    expected = manifest.get("secrets")
    if not isinstance(expected, dict):
        raise _altered(MANIFEST, "không nhắc tới các bí mật", "does not describe the secrets")
    path = secrets_location(folder, manifest, given)
    try:
        sealed = path.read_bytes() if path.stat().st_size <= MAX_SECRETS_BYTES else b""
    except FileNotFoundError as exc:
        raise BackupError(f"Không thấy tệp bí mật {path}.", f"The secrets file {path} is not there.") from exc
    if len(sealed) != expected.get("size") or hashlib.sha256(sealed).hexdigest() != expected.get("sha256"):
        raise _altered(
            path.name, "có kích thước hoặc SHA-256 khác bản kê khai", "differs from the manifest (size or SHA-256)"
        )
    plain = keys.open_secrets(sealed, str(manifest.get("id", "")))
    try:
        with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as tar:
            for member in tar.getmembers():
                if not (_safe_member(member, SECRET_DIRS) or member.name in SECRET_FILES):
                    raise _altered(
                        path.name, f"có mục lạ {member.name!r}", f"holds an unexpected entry {member.name!r}"
                    )
    except tarfile.TarError as exc:
        raise _altered(path.name, f"không đọc được ({exc})", f"is unreadable ({exc})") from exc
    return plain


# --- restoring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where to restore: the hub's data dir and its database (embedded: started in the data dir)."""

    data_dir: Path
    database_url: str
    embedded: bool
    pg_bin: Path | None = None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _without_password(url: str) -> str:
    """The URL for a command line (seen by every user in the process list): the password goes by PGPASSWORD."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))


def _libpq_env(url: str) -> dict[str, str]:
    from urllib.parse import unquote

    env = dict(os.environ)
    password = urlsplit(url).password
    if password:
        env["PGPASSWORD"] = unquote(password)
    return env


def _database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name:
        raise BackupError("Địa chỉ cơ sở dữ liệu không nêu tên cơ sở dữ liệu.", "The database URL names no database.")
    return name


@contextmanager
def _maintenance(url: str) -> Iterator[psycopg.Connection]:
    try:
        conn = psycopg.connect(_with_database(url, "postgres"), autocommit=True, application_name="cces-restore")
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
    name = _database_name(target.database_url)
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
    name = _database_name(target.database_url)
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
        _unpack_files(verified.path / FILES, staging, int(_piece(manifest, FILES)["size"]), progress)
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
    with open(archive, "rb") as handle, tarfile.open(fileobj=_HashingReader(handle, progress), mode="r|") as tar:
        for member in tar:
            if not _safe_member(member, CONTENT_DIRS):
                raise _altered(FILES, f"có mục lạ {member.name!r}", f"holds an unexpected entry {member.name!r}")
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
                f"--dbname={_without_password(_with_database(target.database_url, staged_db))}",
                str(dump),
            ],
            capture_output=True,
            env=_libpq_env(target.database_url),
        )
        if result.returncode != 0:
            raise BackupError(
                f"pg_restore thất bại: {tail(result.stderr)}. Không có gì bị thay đổi.",
                f"pg_restore failed: {tail(result.stderr)}. Nothing was changed.",
            )
