"""Sealed snapshot files in `<data dir>/snapshots`: what ingest writes and the service opens.

A snapshot is a face: personal data as sensitive as an enrollment crop, so it is kept the same
way (hub.biometrics.crypto: AES-256-GCM under the biometrics key), with two choices of its own:

- The file name is a keyed hash of the event (`Sealer.name`), not of the content: a name made
  from the image's SHA-256 would let anyone who can list the directory confirm a guessed image,
  and one made from the event id would link files to events without the key. The same event
  always gets the same name, so a replayed event (or a batch written again) finds its file there
  and writes nothing new.
- Each file is sealed with the event as associated data: a file copied over another event's file,
  or a row pointed at another event's file, fails to open instead of showing another person.

This module needs only the key and `cryptography` (no face models, no database): the ingest role
imports it and stays light.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from uuid import UUID

from hub.biometrics.crypto import Sealer

SnapshotKind = Literal["attendance", "unknown_face"]
KINDS: tuple[SnapshotKind, ...] = ("attendance", "unknown_face")

_NAME = re.compile(r"^[0-9a-f]{64}$")


class SnapshotMissing(FileNotFoundError):
    """The row names a snapshot file that is not in this hub's snapshot directory."""


@dataclass(frozen=True, slots=True)
class SnapshotEvent:
    """The event a snapshot belongs to: its kind (which table), id and time (the row's key)."""

    kind: SnapshotKind
    event_id: UUID
    ts: datetime

    @property
    def context(self) -> str:
        """Names and seals the file: the same text at ingest (from the message) and later (from the row)."""
        return f"snapshot:{self.kind}:{self.event_id}:{self.ts.astimezone(UTC).isoformat(timespec='microseconds')}"


class SnapshotStore:
    def __init__(self, root: Path, sealer: Sealer) -> None:
        self.root = root
        self.sealer = sealer

    def name_of(self, event: SnapshotEvent) -> str:
        return self.sealer.name(event.context)

    def path_of(self, name: str) -> Path:
        if not _NAME.match(name):  # a name comes from a row: never let it leave the directory
            raise ValueError(f"not a snapshot file name: {name!r}")
        return self.root / name[:2] / name

    def put(self, event: SnapshotEvent, jpeg: bytes) -> str:
        """Seal and write the event's snapshot (once: an existing file is kept); its file name."""
        name = self.name_of(event)
        target = self.path_of(name)
        if target.exists():
            return name
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        target.parent.mkdir(exist_ok=True, mode=0o700)
        tmp = target.with_name(f"{name}.tmp-{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.sealer.seal(jpeg, event.context))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return name

    def open(self, event: SnapshotEvent, name: str) -> bytes:
        """The JPEG; SnapshotMissing when the file is gone, SealError when it is not this event's."""
        try:
            sealed = self.path_of(name).read_bytes()
        except FileNotFoundError as exc:
            raise SnapshotMissing(f"snapshot file {name} is not in {self.root}") from exc
        return self.sealer.open(sealed, event.context)

    def remove(self, name: str) -> bool:
        """Delete one file; False when it was already gone."""
        try:
            self.path_of(name).unlink()
        except FileNotFoundError:
            return False
        return True

    def files_older_than(self, moment: datetime) -> Iterator[Path]:
        """Every file (sealed snapshots and leftovers of an interrupted write) last written before `moment`."""
        if not self.root.is_dir():
            return
        limit = moment.timestamp()
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                    yield Path(entry.path)
