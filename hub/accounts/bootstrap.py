"""The first account: a hub with no users at all creates `admin` (system admin) when it starts.

Its password is CCES_ADMIN_PASSWORD when set; otherwise a generated one written once to
<data_dir>/admin-password (mode 0600) — the log names that file, never the password. Hubs
starting together on one database create it once (an advisory lock around the check).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import psycopg

from hub.accounts import audit, repository
from hub.accounts.audit import SYSTEM_ACTOR
from hub.accounts.credentials import check_new_password, generate_password, hash_password
from hub.accounts.principal import Role

log = logging.getLogger(__name__)

ADMIN_USERNAME = "admin"
PASSWORD_FILE = "admin-password"


@dataclass(frozen=True, slots=True)
class Bootstrapped:
    username: str
    password_file: Path | None  # None when the password came from CCES_ADMIN_PASSWORD


def ensure_first_admin(
    conn: psycopg.Connection, data_dir: Path, password: str | None = None, min_length: int = 8
) -> Bootstrapped | None:
    """Create `admin` when there is no account at all; None when accounts exist already."""
    if password is not None:
        check_new_password(password, min_length, ADMIN_USERNAME)  # a weak CCES_ADMIN_PASSWORD is refused
    with conn.transaction():
        repository.lock_users(conn)
        if repository.count_users(conn) > 0:
            return None
        chosen = password or generate_password()
        source = "CCES_ADMIN_PASSWORD" if password else PASSWORD_FILE
        user_id = repository.insert_user(
            conn, ADMIN_USERNAME, "Quản trị hệ thống", None, hash_password(chosen), "vi", SYSTEM_ACTOR.username
        )
        repository.insert_grant(conn, user_id, Role.SYSTEM_ADMIN, None, SYSTEM_ACTOR.username)
        audit.record(
            conn,
            SYSTEM_ACTOR,
            "user.bootstrap",
            "user",
            user_id,
            after={"username": ADMIN_USERNAME, "role": Role.SYSTEM_ADMIN, "password_from": source},
        )
        path = None if password else write_password_file(data_dir, chosen)
    if path is None:
        log.info("created the first account %r (system admin), password from CCES_ADMIN_PASSWORD", ADMIN_USERNAME)
    else:
        log.warning("created the first account %r (system admin); its password is in %s", ADMIN_USERNAME, path)
    return Bootstrapped(ADMIN_USERNAME, path)


def write_password_file(data_dir: Path, password: str) -> Path:
    """Write the password readable by this OS user only (0600 from creation, never wider)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / PASSWORD_FILE
    path.unlink(missing_ok=True)  # a leftover of an earlier database: replaced, and its mode with it
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(password + "\n")
    return path
