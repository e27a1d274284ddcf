"""Checking one backup before anything relies on it: the signed manifest, every digest, the dump readable,
the secrets decrypting. A restore runs exactly these checks first; `cces backup verify` runs them alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from hub.backup.archive import (
    CHUNK,
    HashingReader,
    NoProgress,
    Progress,
    Verified,
    altered,
    listed_piece,
    safe_member,
)
from hub.backup.crypto import MAX_SECRETS_BYTES, Kdf, Keys
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
    BackupError,
)
from hub.backup.pgtools import pick_tools, tail

MAX_MANIFEST_BYTES = 1024 * 1024
_DIGEST_NAME = set("0123456789abcdef")


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


def _check_piece(path: Path, expected: dict[str, Any], progress: Progress) -> None:
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise altered(name, "bị thiếu", "is missing") from exc
    if size != expected.get("size"):
        raise altered(
            name, f"có {size} byte thay vì {expected.get('size')}", f"has {size} bytes, not {expected.get('size')}"
        )
    progress.stage(f"verify {name}", size)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            progress.advance(len(chunk))
    if digest.hexdigest() != expected.get("sha256"):
        raise altered(name, "có SHA-256 khác bản kê khai", "has a SHA-256 other than the manifest's")


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
    database = listed_piece(manifest, DATABASE)
    _check_piece(folder / DATABASE, database, progress)
    tools = pick_tools(pg_bin, int(manifest.get("database", {}).get("pg_dump_major") or 0))
    listing = subprocess.run(
        [str(tools / "pg_restore"), "--list", str(folder / DATABASE)], capture_output=True, timeout=600
    )
    if listing.returncode != 0:
        raise altered(DATABASE, f"không đọc được ({tail(listing.stderr)})", f"is unreadable ({tail(listing.stderr)})")
    entries = sum(1 for line in listing.stdout.splitlines() if line and not line.startswith(b";"))
    checks.append(f"{DATABASE}: SHA-256 matches; pg_restore reads {entries} entries")
    files = listed_piece(manifest, FILES)
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
        raise altered(FILES, "bị thiếu", "is missing") from exc
    if size != expected.get("size"):
        raise altered(
            FILES, f"có {size} byte thay vì {expected.get('size')}", f"has {size} bytes, not {expected.get('size')}"
        )
    progress.stage(f"verify {FILES}", size)
    count = 0
    with open(path, "rb") as handle:
        reader = HashingReader(handle, progress)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not safe_member(member, CONTENT_DIRS):
                        raise altered(FILES, f"có mục lạ {member.name!r}", f"holds an unexpected entry {member.name!r}")
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
                            raise altered(
                                FILES, f"có tệp {member.name} sai nội dung", f"holds {member.name} with other content"
                            )
            while reader.read(CHUNK):  # the tar's end padding: hash to the last byte
                pass
        except tarfile.TarError as exc:
            raise altered(FILES, f"không đọc được ({exc})", f"is unreadable ({exc})") from exc
    if reader.digest.hexdigest() != expected.get("sha256"):
        raise altered(FILES, "có SHA-256 khác bản kê khai", "has a SHA-256 other than the manifest's")
    if count != expected.get("files"):
        raise altered(
            FILES,
            f"có {count} tệp thay vì {expected.get('files')}",
            f"holds {count} files, not {expected.get('files')}",
        )
    return count


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
        raise altered(MANIFEST, "không nhắc tới các bí mật", "does not describe the secrets")
    path = secrets_location(folder, manifest, given)
    try:
        sealed = path.read_bytes() if path.stat().st_size <= MAX_SECRETS_BYTES else b""
    except FileNotFoundError as exc:
        raise BackupError(f"Không thấy tệp bí mật {path}.", f"The secrets file {path} is not there.") from exc
    if len(sealed) != expected.get("size") or hashlib.sha256(sealed).hexdigest() != expected.get("sha256"):
        raise altered(
            path.name, "có kích thước hoặc SHA-256 khác bản kê khai", "differs from the manifest (size or SHA-256)"
        )
    plain = keys.open_secrets(sealed, str(manifest.get("id", "")))
    try:
        with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as tar:
            for member in tar.getmembers():
                if not (safe_member(member, SECRET_DIRS) or member.name in SECRET_FILES):
                    raise altered(path.name, f"có mục lạ {member.name!r}", f"holds an unexpected entry {member.name!r}")
    except tarfile.TarError as exc:
        raise altered(path.name, f"không đọc được ({exc})", f"is unreadable ({exc})") from exc
    return plain
