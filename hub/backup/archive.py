"""A backup on disk, shared by its three steps: the records, the names, the hashing streams, the checks.

Taking one is `hub.backup.dump`, checking one `hub.backup.verify`, putting one back `hub.backup.restore`;
what they share lives here so that none of them imports another's internals.

**Consistency.** The database is dumped by `pg_dump` (custom format) inside a snapshot the dump exports
first: the rows counted for the manifest and the dump are the same moment, the *backup point*
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
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from hub.backup.models import (
    MANIFEST,
    NAME_PREFIX,
    NAME_TIME,
    BackupError,
)

CHUNK = 1024 * 1024


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


@dataclass(frozen=True)
class Target:
    """Where to restore: the hub's data dir and its database (embedded: started in the data dir)."""

    data_dir: Path
    database_url: str
    embedded: bool
    pg_bin: Path | None = None


class HashingWriter(io.RawIOBase):
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


class HashingReader:
    def __init__(self, handle: IO[bytes], progress: Progress) -> None:
        self._handle = handle
        self._progress = progress
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self._handle.read(n)
        self.digest.update(data)
        self._progress.advance(len(data))
        return data


class CountingReader:
    def __init__(self, handle: IO[bytes], progress: Progress) -> None:
        self._handle = handle
        self._progress = progress

    def read(self, n: int = -1) -> bytes:
        data = self._handle.read(n)
        self._progress.advance(len(data))
        return data


def altered(piece: str, why_vi: str, why_en: str) -> BackupError:
    return BackupError(
        f"Bản sao lưu đã bị hỏng hoặc bị sửa: {piece} {why_vi}. Không có gì bị thay đổi.",
        f"The backup is damaged or altered: {piece} {why_en}. Nothing was changed.",
    )


def listed_piece(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    for piece in manifest.get("pieces", []):
        if isinstance(piece, dict) and piece.get("name") == name:
            return piece
    raise altered(MANIFEST, f"không nhắc tới {name}", f"does not list {name}")


def safe_member(member: tarfile.TarInfo, allowed: tuple[str, ...]) -> bool:
    parts = Path(member.name).parts
    return (
        bool(parts)
        and parts[0] in allowed
        and not member.name.startswith("/")
        and ".." not in parts
        and (member.isfile() or member.isdir())
    )
