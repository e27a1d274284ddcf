"""PostgreSQL's own client tools for backups: which `pg_dump`/`pg_restore` to run, and running them.

The embedded server comes from the `pgserver` wheel, whose folder holds its own `pg_dump`/`pg_restore`
(the same major version as the server); a production server needs tools of its major version or newer,
from `CCES_BACKUP_PG_BIN`, the PATH or Debian's `/usr/lib/postgresql/<major>/bin`. The newest found is
used: pg_dump reads older servers, pg_restore reads older dumps.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from hub.backup.models import BackupError


def _pgserver_bin() -> Path | None:
    try:
        import pgserver
    except ImportError:
        return None
    folder = Path(pgserver.__file__).parent / "pginstall" / "bin"
    return folder if (folder / "pg_dump").is_file() else None


@cache
def tool_major(folder: Path) -> int | None:
    """The major version of the `pg_dump` in `folder` (None when there is none that runs)."""
    try:
        out = subprocess.run([str(folder / "pg_dump"), "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    return int(match.group(1)) if out.returncode == 0 and match else None


def candidates(configured: Path | None) -> list[Path]:
    if configured is not None:
        return [configured]
    found: list[Path] = []
    bundled = _pgserver_bin()
    if bundled is not None:
        found.append(bundled)
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(Path(on_path).resolve().parent)
    found += sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return list(dict.fromkeys(found))


def pick_tools(configured: Path | None, at_least: int) -> Path:
    """The folder of the newest pg_dump/pg_restore of major version ≥ `at_least`."""
    usable = [(tool_major(f), f) for f in candidates(configured)]
    good = sorted(((m, f) for m, f in usable if m is not None and m >= at_least), reverse=True)
    if not good:
        seen = ", ".join(f"{f} ({m or '?'})" for m, f in usable) or "none"
        raise BackupError(
            f"Không tìm thấy pg_dump/pg_restore phiên bản {at_least} trở lên (đã xem: {seen}); đặt CCES_BACKUP_PG_BIN.",
            f"No pg_dump/pg_restore of version {at_least} or newer (looked at: {seen}); set CCES_BACKUP_PG_BIN.",
        )
    return good[0][1]


def tail(stderr: bytes | str, lines: int = 6) -> str:
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


# --- the database URL as the tools take it ---------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def without_password(url: str) -> str:
    """The URL for a command line (seen by every user in the process list): the password goes by PGPASSWORD."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))


def libpq_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    password = urlsplit(url).password
    if password:
        env["PGPASSWORD"] = unquote(password)
    return env


def database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name:
        raise BackupError("Địa chỉ cơ sở dữ liệu không nêu tên cơ sở dữ liệu.", "The database URL names no database.")
    return name
