"""Records and errors of backups: the manifest, a backup run as the admin page shows it, the retention policy.

A backup is one folder `cces-backup-<UTC time>` holding `manifest.json`, `database.dump` (pg_dump's
custom format), `files.tar` (the content store, sealed snapshots, model pack archives) and, unless
written to a separate destination, `secrets.enc` (the data dir's secrets, encrypted with a passphrase).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

FORMAT = "cces-backup"
FORMAT_VERSION = 1
NAME_PREFIX = "cces-backup-"
NAME_TIME = "%Y%m%dT%H%M%SZ"
PARTIAL_SUFFIX = ".partial"  # a backup being written: never verified, restored or counted by retention
MANIFEST = "manifest.json"
DATABASE = "database.dump"
FILES = "files.tar"
SECRETS = "secrets.enc"
SECRETS_SUFFIX = ".secrets.enc"  # `<name>.secrets.enc` when written to a separate destination

#: what of the data dir a backup holds, beside the database
CONTENT_DIRS = ("files", "snapshots", "packs")  # content store, sealed face snapshots, model pack archives
SECRET_DIRS = ("secrets", "ca")  # biometrics key, CA passphrase, broker and UI secrets; the CA's key and registry
SECRET_FILES = ("admin-password",)  # the first admin's generated password, while it is kept
#: rows counted at the backup point (in the dump's own snapshot) and written to the manifest
COUNTED_TABLES = (
    "attendance_events",
    "unknown_faces",
    "rfid_reads",
    "device_events",
    "devices",
    "device_certificates",
    "employees",
    "users",
    "biometric_photos",
    "audit_log",
)

Trigger = Literal["command", "schedule"]
RunStatus = Literal["succeeded", "failed"]


class BackupError(Exception):
    """A backup, verify or restore that cannot go on; the message says why in Vietnamese and English, and
    that nothing was changed where that is so."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(f"{vi}\n{en}" if "\n" in vi + en else f"{vi} / {en}")  # Vietnamese first
        self.vi = vi
        self.en = en


@dataclass(frozen=True)
class Piece:
    """One file of a backup as the manifest describes it."""

    name: str
    size: int
    sha256: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RetentionPolicy:
    """Keep the newest backup of each of the last `daily` days, `weekly` ISO weeks and `monthly` months that
    have one (restic's rule); the newest backup is always kept."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class BackupRun:
    """One backup taken by the command or the schedule, as recorded in the database."""

    id: int
    name: str
    trigger: str
    status: str
    started_at: datetime
    finished_at: datetime
    size_bytes: int | None
    location: str | None
    error: str | None


@dataclass(frozen=True)
class BackupStatus:
    """What the admin page and /metrics say: the last success, the last run, whether an alert stands."""

    last_success: BackupRun | None
    last_run: BackupRun | None
    recent: list[BackupRun]
    scheduled: bool
    alert: str | None  # why an administrator must look (a failure, none for a day), else None
    alert_vi: str | None = None  # the same in Vietnamese
